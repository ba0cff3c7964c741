package dev.jnfs.localfs;

import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.FileType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.DosFileAttributeView;
import java.nio.file.attribute.DosFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes attributes through whichever views the provider has.
 *
 * <ul>
 *   <li>With the "unix" view (Linux, macOS): mode, uid, gid, nlink, rdev and ctime come from
 *       the file system.
 *   <li>With only the "posix" view: the nine permission bits come from the file system; uid
 *       and gid are the configured defaults unless the index keeps others.
 *   <li>With a "dos" view (Windows): the mode is the configured default, without write bits
 *       when the read-only flag is set; setting a mode without any write bit sets the flag,
 *       with one clears it.
 *   <li>Otherwise: defaults.
 * </ul>
 *
 * <p>On Linux with the native calls ({@link NativeFiles}), the "unix" view's fields and the
 * block count come from one {@code statx}, and a directory's entries are read relative to the
 * directory opened once ({@link #readAll}); every read and change is then made relative to
 * the object's directory reached from the root without following a symlink ({@link
 * NativeFiles.Confined}), so another program's swap of a directory for a symlink makes it
 * fail instead of reaching outside the export.
 *
 * <p>What the provider cannot keep (owner on a provider without numeric ids, special mode bits)
 * is kept by the id index ({@link Node}) and applied over what is read. Without a real ctime,
 * ctime is the later of the modification time and the last index-kept change.
 */
final class AttributeAccess {
  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
  /** The unix attributes used; not "unix:*", which also resolves owner and group names. */
  private static final String UNIX_ATTRIBUTES =
      "unix:mode,uid,gid,nlink,size,rdev,ctime,lastAccessTime,lastModifiedTime,creationTime,fileKey";

  private final ProviderTraits traits;
  private final int defaultUid;
  private final int defaultGid;
  private final int defaultFileMode;
  private final int defaultDirectoryMode;
  /** Reads the block counts behind {@code used}, or null (then {@code used} is the size). */
  private final NativeFiles nativeFiles;
  /** Reads and writes the export's objects relative to their directories, or null. */
  private final NativeFiles.Confined confined;

  /**
   * @param nativeFiles the native calls, or null
   * @param confined the same confined to the export's root, or null: when given (with the
   *     unix view), every path read or changed must be the root or below it
   */
  AttributeAccess(ProviderTraits traits, int defaultUid, int defaultGid, int defaultFileMode,
      int defaultDirectoryMode, NativeFiles nativeFiles, NativeFiles.Confined confined) {
    this.traits = traits;
    this.nativeFiles = nativeFiles;
    this.confined = traits.unixView() ? confined : null;
    this.defaultUid = defaultUid;
    this.defaultGid = defaultGid;
    this.defaultFileMode = defaultFileMode;
    this.defaultDirectoryMode = defaultDirectoryMode;
  }

  /**
   * @return whether reads reach objects through directories opened from the root without
   *     following a symlink, failing with ELOOP (STALE) where one is in a directory's place
   */
  boolean confinesReads() {
    return confined != null;
  }

  /** Reads an object's attributes without following a symlink. */
  Snapshot read(Path path) throws IOException {
    if (traits.unixView()) {
      return readUnix(path);
    }
    BasicFileAttributes basic;
    int mode;
    if (traits.posixView()) {
      PosixFileAttributes posix = Files.readAttributes(path, PosixFileAttributes.class, NOFOLLOW);
      basic = posix;
      mode = toMode(posix.permissions());
    } else if (traits.dosView()) {
      DosFileAttributes dos = Files.readAttributes(path, DosFileAttributes.class, NOFOLLOW);
      basic = dos;
      mode = defaultMode(typeOf(dos));
      if (dos.isReadOnly()) {
        mode &= ~0222;
      }
    } else {
      basic = Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
      mode = defaultMode(typeOf(basic));
    }
    FileType type = typeOf(basic);
    long size = type == FileType.SYMLINK ? linkLength(path) : basic.size();
    Instant mtime = Times.of(basic.lastModifiedTime());
    return new Snapshot(type, mode, type == FileType.DIRECTORY ? 2 : 1, defaultUid, defaultGid, size, size,
        DeviceNumber.NONE, Times.of(basic.lastAccessTime()), mtime, mtime, keyOf(basic.fileKey()),
        birthOf(basic.creationTime()), false);
  }

  /**
   * Reads the attributes of names in one directory, as {@link #read} does for each.
   *
   * @return one per name, in the same order; null for a name that no longer exists
   */
  List<Snapshot> readAll(Path directory, List<String> names) throws IOException {
    List<Snapshot> out = new ArrayList<>(names.size());
    if (traits.unixView() && nativeFiles != null) {
      NativeFiles.Stat[] stats = confined != null ? confined.statAll(directory, names)
          : nativeFiles.statAll(directory, names);
      for (NativeFiles.Stat st : stats) {
        out.add(st == null ? null : fromStat(st));
      }
      return out;
    }
    for (String name : names) {
      try {
        out.add(read(directory.resolve(name)));
      } catch (NoSuchFileException e) {
        out.add(null);
      }
    }
    return out;
  }

  private Snapshot readUnix(Path path) throws IOException {
    if (confined != null) {
      return fromStat(confined.stat(path)); // one statx, block count included
    }
    if (nativeFiles != null) {
      return fromStat(nativeFiles.stat(path));
    }
    Snapshot s = null;
    if (UnixStat.AVAILABLE) {
      PosixFileAttributes p = Files.readAttributes(path, PosixFileAttributes.class, NOFOLLOW);
      if (UnixStat.covers(p)) {
        s = readUnixDirect(p);
      }
    }
    if (s == null) {
      s = readUnixView(path);
    }
    return s;
  }

  /**
   * The snapshot of a {@code statx} result, field for field what the JDK's attributes give
   * (the file key's text, the creation time falling back to the modification time), so that
   * identities recorded from either compare equal; {@code used} is the block count of a
   * regular file where the file system keeps one.
   */
  private Snapshot fromStat(NativeFiles.Stat st) {
    FileType type = typeOfMode(st.mode());
    long used = type == FileType.REGULAR && st.blocks() >= 0 ? st.blocks() * 512 : st.size();
    FileKey key = traits.fileKeys() ? FileKey.unix(st.dev(), st.ino()) : null;
    long birth = !traits.birthUsable() ? Node.NO_TIME
        : Times.toNanos(st.birth() != null ? st.birth() : st.mtime());
    return new Snapshot(type, st.mode() & 07777, st.nlink(), st.uid(), st.gid(), st.size(), used,
        deviceOf(type, st.rdev()), st.atime(), st.mtime(), st.ctime(), key, birth, true);
  }

  /** Reads through the "unix:" view, which every Unix provider offers. */
  Snapshot readUnixView(Path path) throws IOException {
    Map<String, Object> a = Files.readAttributes(path, UNIX_ATTRIBUTES, NOFOLLOW);
    int rawMode = (Integer) a.get("mode");
    FileType type = typeOfMode(rawMode);
    DeviceNumber dev = deviceOf(type, a.get("rdev") instanceof Long l ? l : 0);
    return new Snapshot(type, rawMode & 07777, (Integer) a.get("nlink"), (Integer) a.get("uid"),
        (Integer) a.get("gid"), (Long) a.get("size"), (Long) a.get("size"), dev, Times.of((FileTime) a.get("lastAccessTime")),
        Times.of((FileTime) a.get("lastModifiedTime")), Times.of((FileTime) a.get("ctime")),
        keyOf(a.get("fileKey")), birthOf((FileTime) a.get("creationTime")), true);
  }

  /** The same snapshot as the "unix:" view gives, from the JDK's attribute object itself. */
  private Snapshot readUnixDirect(PosixFileAttributes p) {
    int rawMode = UnixStat.mode(p);
    FileType type = typeOfMode(rawMode);
    return new Snapshot(type, rawMode & 07777, UnixStat.nlink(p), UnixStat.uid(p), UnixStat.gid(p),
        p.size(), p.size(), deviceOf(type, UnixStat.rdev(p)), Times.of(p.lastAccessTime()),
        Times.of(p.lastModifiedTime()), Times.of(UnixStat.ctime(p)), keyOf(p.fileKey()),
        birthOf(p.creationTime()), true);
  }

  /** Splits a Linux dev_t into major and minor numbers, for device nodes only. */
  private static DeviceNumber deviceOf(FileType type, long rdev) {
    return type == FileType.BLOCK_DEVICE || type == FileType.CHAR_DEVICE
        ? new DeviceNumber(NativeFiles.major(rdev), NativeFiles.minor(rdev))
        : DeviceNumber.NONE;
  }

  /**
   * Sets the mode on disk as far as the provider can.
   *
   * @return true if the file system now holds the whole mode, false if the index must keep it
   */
  boolean writeMode(Path path, int mode, FileType type) throws IOException {
    if (type == FileType.SYMLINK) {
      return false; // symlink modes cannot be changed on most systems; the index keeps it
    }
    if (isSpecial(type)) {
      return false; // java.nio opens the node to change its mode, which blocks on a FIFO
    }
    if (confined != null) {
      confined.changeMode(path, mode & 07777);
      return true;
    }
    if (traits.unixView()) {
      try {
        Files.setAttribute(path, "unix:mode", mode & 07777, NOFOLLOW);
        return true;
      } catch (UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
        // fall through to the posix view
      }
    }
    if (traits.posixView()) {
      Files.setPosixFilePermissions(path, toPermissions(mode));
      return (mode & 07000) == 0;
    }
    if (traits.dosView()) {
      Files.getFileAttributeView(path, DosFileAttributeView.class, NOFOLLOW).setReadOnly((mode & 0222) == 0);
    }
    return false;
  }

  /**
   * Sets the owner and/or group on disk if the provider can.
   *
   * @return true if done, false if the index must keep them
   */
  boolean writeOwner(Path path, Integer uid, Integer gid) throws IOException {
    if (!traits.unixView()) {
      return false;
    }
    try {
      if (uid == null && gid == null) {
        return true;
      }
      if (confined != null) {
        confined.changeOwner(path, uid != null ? uid : -1, gid != null ? gid : -1);
        return true;
      }
      if (uid != null) {
        Files.setAttribute(path, "unix:uid", uid, NOFOLLOW);
      }
      if (gid != null) {
        Files.setAttribute(path, "unix:gid", gid, NOFOLLOW);
      }
      return true;
    } catch (UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
      return false;
    } catch (IOException e) {
      if (Errors.statusOf(e) == dev.jnfs.spi.NfsStatus.PERM
          || e instanceof java.nio.file.AccessDeniedException) {
        return false; // the server runs unprivileged: keep ownership in the index
      }
      throw e;
    }
  }

  /** Sets access and/or modification times (null leaves one unchanged). */
  void writeTimes(Path path, FileType type, Instant atime, Instant mtime) throws IOException {
    if (confined != null) {
      confined.changeTimes(path, atime, mtime); // utimensat opens nothing, a FIFO included
      return;
    }
    if (isSpecial(type)) {
      // java.nio opens the node to set its times, which blocks on a FIFO
      Fifos.setTimes(path, atime, mtime);
      return;
    }
    Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW)
        .setTimes(mtime == null ? null : FileTime.from(mtime), atime == null ? null : FileTime.from(atime), null);
  }

  private static boolean isSpecial(FileType type) {
    return type == FileType.FIFO || type == FileType.SOCKET || type == FileType.CHAR_DEVICE
        || type == FileType.BLOCK_DEVICE;
  }

  int defaultMode(FileType type) {
    return switch (type) {
      case DIRECTORY -> defaultDirectoryMode;
      case SYMLINK -> 0777;
      default -> defaultFileMode;
    };
  }

  private static long linkLength(Path path) throws IOException {
    return Files.readSymbolicLink(path).toString().getBytes(StandardCharsets.UTF_8).length;
  }

  private FileKey keyOf(Object fileKey) {
    return traits.fileKeys() && fileKey != null ? FileKey.ofText(fileKey.toString()) : null;
  }

  private long birthOf(FileTime creation) {
    return traits.birthUsable() && creation != null ? Times.toNanos(creation.toInstant()) : Node.NO_TIME;
  }

  static FileType typeOf(BasicFileAttributes a) {
    if (a.isSymbolicLink()) {
      return FileType.SYMLINK;
    }
    if (a.isDirectory()) {
      return FileType.DIRECTORY;
    }
    if (a.isRegularFile()) {
      return FileType.REGULAR;
    }
    return FileType.FIFO;
  }

  static FileType typeOfMode(int mode) {
    return switch (mode & 0170000) {
      case 0140000 -> FileType.SOCKET;
      case 0120000 -> FileType.SYMLINK;
      case 0060000 -> FileType.BLOCK_DEVICE;
      case 0040000 -> FileType.DIRECTORY;
      case 0020000 -> FileType.CHAR_DEVICE;
      case 0010000 -> FileType.FIFO;
      default -> FileType.REGULAR;
    };
  }

  private static final PosixFilePermission[] BITS = {
    PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
    PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
    PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
  };

  static int toMode(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (int i = 0; i < BITS.length; i++) {
      if (permissions.contains(BITS[i])) {
        mode |= 1 << i;
      }
    }
    return mode;
  }

  static Set<PosixFilePermission> toPermissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < BITS.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(BITS[i]);
      }
    }
    return set;
  }
}
