package dev.jnfs.localfs;

import dev.jnfs.localfs.ObjectResolver.Resolved;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem.XattrMode;
import dev.jnfs.spi.NfsStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * GETXATTR, SETXATTR, LISTXATTRS and REMOVEXATTR (RFC 8276 §8.4) through the provider's {@link
 * UserDefinedFileAttributeView}: the {@code user.} namespace on Linux, extended attributes on
 * macOS, alternate data streams on Windows. The file system moves the ctime (and so the
 * change attribute) when an attribute changes; the change counter moves too, for file
 * systems whose ctime is coarse.
 *
 * <p>The view has no create-only or replace-only write: SETXATTR checks the name's presence
 * and writes under a lock per object, which orders the changes made through this file
 * system (not those of other programs). As on Linux, only regular files and directories hold
 * attributes: other objects have none and refuse to get one (PERM).
 */
final class ExtendedAttributes extends ExportState {
  /** The largest value Linux stores (XATTR_SIZE_MAX); file systems may take less. */
  static final int MAX_VALUE_BYTES = 65536;
  /** The longest name Linux takes (XATTR_NAME_MAX) less the "user." prefix. */
  static final int MAX_NAME_BYTES = 255 - "user.".length();
  private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private final ReentrantLock[] stripes = new ReentrantLock[64];

  ExtendedAttributes(ExportState state) {
    super(state);
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /** @return whether the store holding {@code root} keeps user-defined attributes */
  static boolean supported(Path root) {
    try {
      return Files.getFileStore(root).supportsFileAttributeView(UserDefinedFileAttributeView.class);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  byte[] getxattr(Caller caller, FileHandle handle, String name) throws NfsException {
    checkName(name);
    Resolved r = resolver.resolve(handle);
    requireRead(caller, r.attrs());
    if (!holdsAttributes(r)) {
      throw new NfsException(NfsStatus.NOXATTR, name);
    }
    UserDefinedFileAttributeView view = view(r);
    try {
      while (true) {
        int size = view.size(name);
        if (size > MAX_VALUE_BYTES) {
          throw new NfsException(NfsStatus.XATTR2BIG, name);
        }
        ByteBuffer value = ByteBuffer.allocate(size + 1); // one more, to see it grew meanwhile
        int n = view.read(name, value);
        if (n <= size) {
          byte[] bytes = new byte[n];
          value.flip().get(bytes);
          return bytes;
        }
      }
    } catch (IOException e) {
      throw map(e, name);
    } catch (IllegalArgumentException e) {
      throw new NfsException(NfsStatus.NOXATTR, name); // providers that say so this way (jimfs)
    }
  }

  FileAttributes setxattr(Caller caller, FileHandle handle, String name, byte[] value, XattrMode mode)
      throws NfsException {
    checkName(name);
    Resolved r = resolver.resolve(handle);
    requireWrite(caller, r.attrs());
    if (value.length > MAX_VALUE_BYTES) {
      throw new NfsException(NfsStatus.XATTR2BIG, "value of " + value.length + " bytes");
    }
    if (!holdsAttributes(r)) {
      throw new NfsException(NfsStatus.PERM, "a " + r.attrs().type() + " holds no extended attributes");
    }
    UserDefinedFileAttributeView view = view(r);
    ReentrantLock lock = stripes[Long.hashCode(r.id()) & (stripes.length - 1)];
    lock.lock();
    try {
      if (mode != XattrMode.EITHER) {
        boolean exists = view.list().contains(name);
        if (mode == XattrMode.CREATE && exists) {
          throw new NfsException(NfsStatus.EXIST, name);
        }
        if (mode == XattrMode.REPLACE && !exists) {
          throw new NfsException(NfsStatus.NOXATTR, name);
        }
      }
      view.write(name, ByteBuffer.wrap(value));
    } catch (IOException e) {
      NfsException mapped = map(e, name);
      throw mapped.status() == NfsStatus.NOSPC && roomFor(r.path(), value.length)
          ? new NfsException(NfsStatus.XATTR2BIG, "value of " + value.length + " bytes") : mapped;
    } finally {
      lock.unlock();
    }
    return changed(r);
  }

  List<String> listxattrs(Caller caller, FileHandle handle) throws NfsException {
    Resolved r = resolver.resolve(handle);
    requireRead(caller, r.attrs());
    if (!holdsAttributes(r)) {
      return List.of();
    }
    try {
      List<String> names = new ArrayList<>(view(r).list());
      names.sort(null); // a stable order for the server's cookies
      return names;
    } catch (IOException e) {
      throw map(e, "");
    }
  }

  FileAttributes removexattr(Caller caller, FileHandle handle, String name) throws NfsException {
    checkName(name);
    Resolved r = resolver.resolve(handle);
    requireWrite(caller, r.attrs());
    if (!holdsAttributes(r)) {
      throw new NfsException(NfsStatus.NOXATTR, name);
    }
    UserDefinedFileAttributeView view = view(r);
    ReentrantLock lock = stripes[Long.hashCode(r.id()) & (stripes.length - 1)];
    lock.lock();
    try {
      if (!view.list().contains(name)) {
        throw new NfsException(NfsStatus.NOXATTR, name);
      }
      view.delete(name);
    } catch (IOException e) {
      throw map(e, name);
    } finally {
      lock.unlock();
    }
    return changed(r);
  }

  private static void checkName(String name) throws NfsException {
    if (name.isEmpty() || name.indexOf('\0') >= 0) {
      throw new NfsException(NfsStatus.INVAL, "bad attribute name");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new NfsException(NfsStatus.NAMETOOLONG, "attribute name too long");
    }
  }

  /**
   * Whether the store has room for a value, so that ENOSPC meant the value is larger than the
   * file system keeps for an object's attributes (ext4 without large xattrs: one block).
   */
  private static boolean roomFor(Path path, int bytes) {
    try {
      return Files.getFileStore(path).getUsableSpace() > bytes + (1L << 20);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean holdsAttributes(Resolved r) {
    FileType type = r.attrs().type();
    return type == FileType.REGULAR || type == FileType.DIRECTORY;
  }

  private static UserDefinedFileAttributeView view(Resolved r) throws NfsException {
    UserDefinedFileAttributeView view =
        Files.getFileAttributeView(r.path(), UserDefinedFileAttributeView.class, NOFOLLOW);
    if (view == null) {
      throw new NfsException(NfsStatus.NOTSUPP, "no user-defined attributes here");
    }
    return view;
  }

  private FileAttributes changed(Resolved r) throws NfsException {
    bumpChange(r.id());
    return toNfs(r.id(), refresh(r.id()).attrs());
  }

  /** ENODATA (Linux) and ENOATTR (macOS) are NOXATTR; E2BIG and ERANGE are XATTR2BIG. */
  private static NfsException map(IOException e, String name) {
    String reason = e instanceof FileSystemException fse && fse.getReason() != null
        ? fse.getReason() : String.valueOf(e.getMessage());
    reason = reason.toLowerCase(Locale.ROOT);
    if (reason.contains("no data available") || reason.contains("attribute not found")) {
      return new NfsException(NfsStatus.NOXATTR, name);
    }
    if (reason.contains("argument list too long") || reason.contains("result too large")
        || reason.contains("out of range")) {
      return new NfsException(NfsStatus.XATTR2BIG, name);
    }
    if (reason.contains("operation not supported")) {
      return new NfsException(NfsStatus.NOTSUPP, "extended attributes: " + reason);
    }
    return Errors.map(e);
  }
}
