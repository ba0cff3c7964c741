package dev.jnfs.localfs;

import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.FileType;
import java.time.Instant;

/**
 * An object's attributes as read from the provider, before they become the SPI's {@link
 * dev.jnfs.spi.FileAttributes} (which add the id, fsid and change attribute).
 *
 * @param type the object's type
 * @param mode permission and set-id/sticky bits (low 12 bits)
 * @param nlink hard link count
 * @param uid owner
 * @param gid group
 * @param size size in bytes (for a symlink the target's length)
 * @param used bytes of storage used: the block count where the native calls read it ({@link
 *     NativeFiles#allocatedBytes}), else the size
 * @param rdev device number
 * @param atime access time
 * @param mtime modification time
 * @param ctime attribute change time
 * @param key the provider's file key, or null
 * @param birth creation time in nanoseconds, or {@link Node#NO_TIME}
 * @param nlinkKnown whether the provider reported the link count (else the index counts the
 *     links made through NFS)
 */
record Snapshot(
    FileType type,
    int mode,
    int nlink,
    int uid,
    int gid,
    long size,
    long used,
    DeviceNumber rdev,
    Instant atime,
    Instant mtime,
    Instant ctime,
    FileKey key,
    long birth,
    boolean nlinkKnown) {

  Snapshot withOverrides(Node node) {
    if (node.mode() < 0 && node.uid() < 0 && node.gid() < 0 && node.metaCtime() == Node.NO_TIME
        && (nlinkKnown || type == FileType.DIRECTORY) && node.linkTarget() == null) {
      return this; // the usual case on a Unix provider: the index overrides nothing
    }
    int m = node.mode() >= 0 ? node.mode() : mode;
    int u = node.uid() >= 0 ? node.uid() : uid;
    int g = node.gid() >= 0 ? node.gid() : gid;
    Instant c = ctime;
    if (node.metaCtime() != Node.NO_TIME) {
      Instant meta = Times.fromNanos(node.metaCtime());
      if (meta.isAfter(c)) {
        c = meta;
      }
    }
    int links = nlinkKnown || type == FileType.DIRECTORY ? nlink : 1 + node.aliases().size();
    long sz = type == FileType.SYMLINK && node.linkTarget() != null
        ? node.linkTarget().getBytes(java.nio.charset.StandardCharsets.UTF_8).length : size;
    return new Snapshot(type, m, links, u, g, sz, used, rdev, atime, mtime, c, key, birth, nlinkKnown);
  }

  boolean isDirectory() {
    return type == FileType.DIRECTORY;
  }
}
