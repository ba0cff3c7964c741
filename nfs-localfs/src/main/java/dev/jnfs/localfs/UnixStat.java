package dev.jnfs.localfs;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Reads the stat fields the JDK's Unix file system keeps in its {@link PosixFileAttributes}
 * object but only hands out through the string-keyed "unix:" view, which parses the names and
 * builds a map on every call (a fifth of a GETATTR's cost). The fields are reached directly
 * when the JVM opens {@code java.base/sun.nio.fs} to this code ({@code --add-opens
 * java.base/sun.nio.fs=ALL-UNNAMED}, which the standalone server's jar declares); otherwise
 * {@link #AVAILABLE} is false and callers use the "unix:" view.
 */
final class UnixStat {
  private static final String ATTRIBUTES_CLASS = "sun.nio.fs.UnixFileAttributes";
  private static final Class<?> TYPE;
  private static final MethodHandle MODE;
  private static final MethodHandle NLINK;
  private static final MethodHandle UID;
  private static final MethodHandle GID;
  private static final MethodHandle RDEV;
  private static final MethodHandle CTIME;

  /** Whether the fields can be read directly. */
  static final boolean AVAILABLE;

  static {
    Class<?> type = null;
    MethodHandle mode = null;
    MethodHandle nlink = null;
    MethodHandle uid = null;
    MethodHandle gid = null;
    MethodHandle rdev = null;
    MethodHandle ctime = null;
    try {
      type = Class.forName(ATTRIBUTES_CLASS);
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
      mode = getter(lookup, type, "mode", int.class);
      nlink = getter(lookup, type, "nlink", int.class);
      uid = getter(lookup, type, "uid", int.class);
      gid = getter(lookup, type, "gid", int.class);
      rdev = getter(lookup, type, "rdev", long.class);
      ctime = getter(lookup, type, "ctime", FileTime.class);
    } catch (ReflectiveOperationException | RuntimeException e) {
      type = null; // not opened to us, or another JDK: use the "unix:" view
    }
    TYPE = type;
    MODE = mode;
    NLINK = nlink;
    UID = uid;
    GID = gid;
    RDEV = rdev;
    CTIME = ctime;
    AVAILABLE = type != null;
  }

  private UnixStat() {}

  private static MethodHandle getter(
      MethodHandles.Lookup lookup, Class<?> type, String name, Class<?> result)
      throws ReflectiveOperationException {
    return lookup
        .findVirtual(type, name, MethodType.methodType(result))
        .asType(MethodType.methodType(result, Object.class));
  }

  /** @return whether {@code attributes} is the JDK's Unix attribute object these fields read */
  static boolean covers(PosixFileAttributes attributes) {
    return AVAILABLE && attributes.getClass() == TYPE;
  }

  /** @return st_mode, file type bits included */
  static int mode(PosixFileAttributes a) {
    try {
      return (int) MODE.invokeExact((Object) a);
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return st_nlink */
  static int nlink(PosixFileAttributes a) {
    try {
      return (int) NLINK.invokeExact((Object) a);
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return st_uid */
  static int uid(PosixFileAttributes a) {
    try {
      return (int) UID.invokeExact((Object) a);
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return st_gid */
  static int gid(PosixFileAttributes a) {
    try {
      return (int) GID.invokeExact((Object) a);
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return st_rdev */
  static long rdev(PosixFileAttributes a) {
    try {
      return (long) RDEV.invokeExact((Object) a);
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return the status change time */
  static FileTime ctime(PosixFileAttributes a) {
    try {
      return (FileTime) CTIME.invokeExact((Object) a);
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }
}
