package dev.jnfs.localfs;

import dev.jnfs.localfs.ObjectResolver.Resolved;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.TimeUpdate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * GETATTR, SETATTR and ACCESS: reading attributes, checking who may change which, and applying
 * changes to the disk or, for what the provider cannot hold, to the id index.
 */
final class AttributeChanges extends ExportState {
  AttributeChanges(ExportState state) {
    super(state);
  }

  FileAttributes getattr(Caller caller, FileHandle handle) throws NfsException {
    Resolved r = resolver.resolveForReading(handle, caller);
    return toNfs(r.id(), r.attrs());
  }

  FileAttributes setattr(Caller caller, FileHandle handle, SetAttributes changes, Instant guardCtime)
      throws NfsException {
    return namespaceLocks.exclusive(() -> {
      Resolved r = resolver.resolve(handle);
      Snapshot s = r.attrs();
      if (guardCtime != null && !guardCtime.equals(s.ctime())) {
        throw new NfsException(NfsStatus.NOT_SYNC, "ctime guard does not match");
      }
      checkSetattr(caller, s, changes);
      applyAttributes(r, changes);
      return toNfs(r.id(), refresh(r.id()).attrs());
    });
  }

  void checkSetattr(Caller caller, Snapshot s, SetAttributes c) throws NfsException {
    boolean owner = PermissionCheck.ownsOrRoot(caller, s);
    if (c.size() != null) {
      if (s.type() == FileType.DIRECTORY) {
        throw new NfsException(NfsStatus.ISDIR, "size of a directory");
      }
      if (s.type() != FileType.REGULAR) {
        throw new NfsException(NfsStatus.INVAL, "size of a " + s.type());
      }
      if (c.size() < 0) {
        throw new NfsException(NfsStatus.INVAL, "negative size");
      }
      PermissionCheck.require(caller, s, PermissionCheck.WRITE);
    }
    if (c.mode() != null && !owner) {
      throw new NfsException(NfsStatus.PERM, "only the owner may change the mode");
    }
    if (c.uid() != null && !caller.isRoot() && !(owner && c.uid() == s.uid())) {
      throw new NfsException(NfsStatus.PERM, "only the superuser may change the owner");
    }
    if (c.gid() != null && !caller.isRoot() && !(owner && (caller.inGroup(c.gid()) || c.gid() == s.gid()))) {
      throw new NfsException(NfsStatus.PERM, "may not change the group");
    }
    for (TimeUpdate t : List.of(c.atime(), c.mtime())) {
      if (t instanceof TimeUpdate.ClientTime && !owner) {
        throw new NfsException(NfsStatus.PERM, "only the owner may set times");
      }
      if (t instanceof TimeUpdate.ServerTime && !owner && !PermissionCheck.holds(caller, s, PermissionCheck.WRITE)) {
        throw new NfsException(NfsStatus.ACCES, "no write permission to touch");
      }
    }
  }

  /** Applies checked changes; called under the namespace locks (see {@link NamespaceLocks}). */
  void applyAttributes(Resolved r, SetAttributes c) throws NfsException {
    Node node = r.node();
    Path path = r.path();
    try {
      if (c.size() != null) {
        resize(r, c.size());
      }
      int mode = node.mode();
      int uid = node.uid();
      int gid = node.gid();
      boolean indexChanged = false;
      if (c.mode() != null) {
        int m = c.mode() & 07777;
        mode = attributes.writeMode(path, m, r.attrs().type()) ? -1 : m;
        indexChanged = true;
      }
      if (c.uid() != null || c.gid() != null) {
        if (attributes.writeOwner(path, c.uid(), c.gid())) {
          uid = c.uid() != null ? -1 : uid;
          gid = c.gid() != null ? -1 : gid;
        } else {
          uid = c.uid() != null ? c.uid() : uid;
          gid = c.gid() != null ? c.gid() : gid;
        }
        indexChanged = true;
      }
      Instant atime = timeOf(c.atime());
      Instant mtime = timeOf(c.mtime());
      if (atime != null || mtime != null) {
        attributes.writeTimes(path, r.attrs().type(), atime, mtime);
      }
      boolean anything = !c.isEmpty();
      if (indexChanged || (anything && !traits.unixView())) {
        Node updated = node.withOwnership(mode, uid, gid,
            traits.unixView() ? node.metaCtime() : Times.toNanos(Instant.now()));
        index.update(updated, true);
        node = updated;
      }
      if (anything) {
        bumpChange(node.id());
      }
      // Setting an early mtime moves the birth time on some systems (macOS): follow it.
      Snapshot after = attributes.read(path);
      if (after.birth() != node.birth() && after.type() == node.type()
          && Objects.equals(after.key(), node.key())) {
        index.update(node.withIdentity(after.key(), after.birth()), false);
      }
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  private void resize(Resolved r, long size) throws IOException {
    try (ChannelCache.Lease lease = channels.acquire(r.id(), r.path(), true)) {
      FileChannel ch = lease.channel();
      long current = ch.size();
      if (size < current) {
        ch.truncate(size);
      } else if (size > current) {
        // One byte at the new end; everything between stays a hole.
        ch.write(ByteBuffer.wrap(new byte[1]), size - 1);
      }
    }
  }

  private static Instant timeOf(TimeUpdate t) {
    if (t instanceof TimeUpdate.ClientTime ct) {
      return ct.time();
    }
    if (t instanceof TimeUpdate.ServerTime) {
      return Instant.now();
    }
    return null;
  }

  int access(Caller caller, FileHandle handle, int requested) throws NfsException {
    Resolved r = resolver.resolveForReading(handle, caller);
    return PermissionCheck.access(caller, r.attrs(), requested);
  }
}
