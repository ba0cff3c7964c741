package dev.jnfs.localfs;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * {@link NativeFiles} on Linux through the Foreign Function &amp; Memory API (JDK 22): glibc's
 * {@code open}, {@code lseek}, {@code fallocate}, {@code ioctl}, {@code statx} and {@code
 * close}, and for {@link Confined} {@code openat}, {@code openat2} (through {@code syscall}),
 * {@code mkdirat}, {@code unlinkat}, {@code symlinkat}, {@code readlinkat}, {@code linkat}, {@code mknodat}, {@code fchmodat},
 * {@code fchownat} and {@code utimensat}, and for {@link ChangeWatch} {@code inotify_init1}, {@code
 * inotify_add_watch}, {@code inotify_rm_watch} and {@code read}, with errno captured right after each call. Only x86-64 and
 * AArch64, whose constants are known here; elsewhere the constructor fails and {@link NativeFiles#of} finds none.
 */
final class LinuxNativeFiles implements NativeFiles {
  private static final int O_RDONLY = 0;
  private static final int O_RDWR = 2;
  private static final int O_CLOEXEC = 02000000;
  private static final int SEEK_DATA = 3;
  private static final int SEEK_HOLE = 4;
  private static final int SEEK_END = 2;
  private static final int FALLOC_FL_KEEP_SIZE = 1;
  private static final int FALLOC_FL_PUNCH_HOLE = 2;
  /** _IOW(0x94, 13, struct file_clone_range), the struct being four 64-bit fields. */
  private static final long FICLONERANGE = 0x4020940dL;
  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;
  private static final int AT_REMOVEDIR = 0x200;
  private static final int ENOTEMPTY = 39;
  private static final int STATX_BLOCKS = 0x400;
  /** STATX_BASIC_STATS (what stat(2) has) and STATX_BTIME. */
  private static final int STATX_ALL_USED = 0x7ff | 0x800;
  private static final int STATX_BTIME = 0x800;
  private static final int O_PATH = 010000000;
  private static final int AT_EMPTY_PATH = 0x1000;
  /** The same number on x86-64 and AArch64 (system calls added since 5.x are numbered alike). */
  private static final long SYS_OPENAT2 = 437;
  /** Also alike on both architectures. */
  private static final long SYS_CACHESTAT = 451;
  /** struct cachestat_range: offset and length; struct cachestat: five counts, nr_cache first. */
  private static final long CACHESTAT_RANGE_SIZE = 16;
  private static final long CACHESTAT_SIZE = 40;
  /** struct open_how: flags, mode and resolve, three 64-bit fields. */
  private static final long OPEN_HOW_SIZE = 24;
  private static final long RESOLVE_NO_MAGICLINKS = 0x02;
  private static final long RESOLVE_NO_SYMLINKS = 0x04;
  private static final long RESOLVE_BENEATH = 0x08;
  /** utimensat's "leave this time as it is". */
  private static final long UTIME_OMIT = (1L << 30) - 2;
  /** struct statx, 256 bytes in all (include/uapi/linux/stat.h): the offsets of its fields. */
  private static final long STATX_SIZE = 256;
  private static final long STATX_NLINK = 16;
  private static final long STATX_UID = 20;
  private static final long STATX_GID = 24;
  private static final long STATX_MODE = 28;
  private static final long STATX_INO = 32;
  private static final long STATX_SIZE_OFFSET = 40;
  private static final long STATX_BLOCKS_OFFSET = 48;
  /** Each timestamp is a 64-bit tv_sec and a 32-bit tv_nsec, padded to 16 bytes. */
  private static final long STATX_ATIME = 64;
  private static final long STATX_BTIME_OFFSET = 80;
  private static final long STATX_CTIME = 96;
  private static final long STATX_MTIME = 112;
  private static final long STATX_RDEV_MAJOR = 128;
  private static final long STATX_DEV_MAJOR = 136;
  /** The 8-byte words of struct statx that {@link #statOf} reads: up to stx_dev_minor. */
  private static final int STATX_WORDS_READ = (int) (STATX_DEV_MAJOR + 8) / 8;
  private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
  /** NAME_MAX plus the terminating NUL. */
  private static final int NAME_BUFFER = 256;
  /** PATH_MAX: a symlink's content is shorter (a full buffer means it may be cut). */
  private static final int LINK_BUFFER = 4096;
  private static final int EINTR = 4;
  /** inotify's flags and event bits (include/uapi/linux/inotify.h), alike on both architectures. */
  private static final int IN_NONBLOCK = 04000;
  private static final int IN_MODIFY = 0x2;
  private static final int IN_ATTRIB = 0x4;
  private static final int IN_CLOSE_WRITE = 0x8;
  private static final int IN_MOVED_FROM = 0x40;
  private static final int IN_MOVED_TO = 0x80;
  private static final int IN_CREATE = 0x100;
  private static final int IN_DELETE = 0x200;
  private static final int IN_DELETE_SELF = 0x400;
  private static final int IN_MOVE_SELF = 0x800;
  private static final int IN_UNMOUNT = 0x2000;
  private static final int IN_Q_OVERFLOW = 0x4000;
  private static final int IN_IGNORED = 0x8000;
  private static final int IN_ONLYDIR = 0x01000000;
  private static final int IN_EXCL_UNLINK = 0x04000000;
  private static final int IN_ISDIR = 0x40000000;
  private static final int WATCHED_EVENTS = IN_ATTRIB | IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE
      | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_EXCL_UNLINK | IN_ONLYDIR;
  /** What ends what is known of a watched directory: it went away, moved, or its watch ended. */
  private static final int DIRECTORY_GONE = IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT | IN_IGNORED;
  /** struct inotify_event: wd, mask, cookie and len, then len bytes of NUL-padded name. */
  private static final int EVENT_HEADER = 16;
  /** Room for many events per read; one event is at most the header and NAME_MAX + 1 bytes. */
  private static final int EVENT_BUFFER = 32 * 1024;

  private static final StructLayout CAPTURED = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = CAPTURED.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  private final int noFollow;
  private final int directory;
  private final MethodHandle open;
  private final MethodHandle close;
  private final MethodHandle lseek;
  private final MethodHandle fallocate;
  private final MethodHandle ioctl;
  private final MethodHandle statx;
  private final MethodHandle openat;
  /** {@code syscall}, for {@code openat2}, which glibc has no wrapper for. */
  private final MethodHandle syscall;
  private final MethodHandle mkdirat;
  private final MethodHandle unlinkat;
  private final MethodHandle symlinkat;
  private final MethodHandle linkat;
  private final MethodHandle readlinkat;
  private final MethodHandle fchmodat;
  private final MethodHandle fchownat;
  private final MethodHandle utimensat;
  /** Null before glibc 2.33, which exported only {@code __xmknodat}. */
  private final MethodHandle mknodat;
  private final MethodHandle inotifyInit1;
  private final MethodHandle inotifyAddWatch;
  private final MethodHandle inotifyRmWatch;
  private final MethodHandle read;
  /** The unit {@code cachestat} counts in. */
  private final long pageSize;
  /** Cleared for good when the kernel answers ENOSYS (before 6.5) or refuses the call. */
  private volatile boolean hasCachestat = true;

  LinuxNativeFiles() {
    String arch = System.getProperty("os.arch", "");
    noFollow = switch (arch) {
      case "amd64", "x86_64" -> 0400000;
      case "aarch64" -> 0100000;
      default -> throw new UnsupportedOperationException("no O_NOFOLLOW known for " + arch);
    };
    directory = arch.equals("aarch64") ? 040000 : 0200000;
    Linker linker = Linker.nativeLinker();
    SymbolLookup libc = linker.defaultLookup();
    Linker.Option errno = Linker.Option.captureCallState("errno");
    open = handle(linker, libc, "open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
        errno, Linker.Option.firstVariadicArg(2));
    close = handle(linker, libc, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    lseek = handle(linker, libc, "lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT), errno);
    fallocate = handle(linker, libc, "fallocate",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), errno);
    ioctl = handle(linker, libc, "ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
        errno, Linker.Option.firstVariadicArg(2));
    statx = handle(linker, libc, "statx",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), errno);
    openat = handle(linker, libc, "openat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
        errno, Linker.Option.firstVariadicArg(3));
    syscall = handle(linker, libc, "syscall",
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG),
        errno, Linker.Option.firstVariadicArg(1));
    mkdirat = handle(linker, libc, "mkdirat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
    unlinkat = handle(linker, libc, "unlinkat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
    symlinkat = handle(linker, libc, "symlinkat", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), errno);
    linkat = handle(linker, libc, "linkat",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT), errno);
    readlinkat = handle(linker, libc, "readlinkat",
        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), errno);
    fchmodat = handle(linker, libc, "fchmodat",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), errno);
    fchownat = handle(linker, libc, "fchownat",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT), errno);
    utimensat = handle(linker, libc, "utimensat",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT), errno);
    // mode_t and uid_t are 32-bit and dev_t a 64-bit unsigned integer on both architectures
    mknodat = libc.find("mknodat")
        .map(symbol -> linker.downcallHandle(symbol,
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG), errno))
        .orElse(null);
    inotifyInit1 = handle(linker, libc, "inotify_init1", FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
    inotifyAddWatch = handle(linker, libc, "inotify_add_watch",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
    inotifyRmWatch = handle(linker, libc, "inotify_rm_watch", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), errno);
    read = handle(linker, libc, "read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), errno);
    try {
      pageSize = (int) handle(linker, libc, "getpagesize", FunctionDescriptor.of(JAVA_INT)).invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException("getpagesize", t);
    }
  }

  private static MethodHandle handle(Linker linker, SymbolLookup libc, String name, FunctionDescriptor descriptor,
      Linker.Option... options) {
    MemorySegment symbol = libc.find(name).orElseThrow(() -> new UnsupportedOperationException("no " + name));
    return linker.downcallHandle(symbol, descriptor, options);
  }

  /** A system call made with an open descriptor and the errno capture area. */
  private interface WithDescriptor<T> {
    T call(Arena arena, MemorySegment state, int fd) throws Throwable;
  }

  /** Opens a file for a call on its data: the descriptor, or -1 with the errno in {@code state}. */
  private interface FileOpener {
    int open(Arena arena, MemorySegment state, int flags) throws Throwable;
  }

  private FileOpener byPath(Path file) {
    return (arena, state, flags) -> (int) open.invokeExact(state, arena.allocateFrom(file.toString()), flags, 0);
  }

  private <T> T withFile(FileOpener file, int access, WithDescriptor<T> body) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CAPTURED);
      int fd = file.open(arena, state, access | noFollow | O_CLOEXEC);
      if (fd < 0) {
        throw new ErrnoException("open", errno(state));
      }
      try {
        return body.call(arena, state, fd);
      } finally {
        int ignored = (int) close.invokeExact(fd);
      }
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  @Override
  public long seek(Path file, long offset, boolean data) throws IOException {
    return seek(byPath(file), offset, data);
  }

  private long seek(FileOpener file, long offset, boolean data) throws IOException {
    return withFile(file, O_RDONLY, (arena, state, fd) -> {
      long at = (long) lseek.invokeExact(state, fd, offset, data ? SEEK_DATA : SEEK_HOLE);
      if (at >= 0) {
        return at;
      }
      int errno = errno(state);
      if (errno == ErrnoException.ENXIO && data) {
        long end = (long) lseek.invokeExact(state, fd, 0L, SEEK_END);
        if (end > offset) {
          return -1L; // nothing but a hole from offset to the end
        }
      }
      throw new ErrnoException("lseek", errno);
    });
  }

  @Override
  public void allocate(Path file, long offset, long length) throws IOException {
    fallocate(byPath(file), 0, offset, length);
  }

  @Override
  public void punchHole(Path file, long offset, long length) throws IOException {
    fallocate(byPath(file), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length);
  }

  private void fallocate(FileOpener file, int mode, long offset, long length) throws IOException {
    withFile(file, O_RDWR, (arena, state, fd) -> {
      int rc = (int) fallocate.invokeExact(state, fd, mode, offset, length);
      if (rc != 0) {
        throw new ErrnoException("fallocate", errno(state));
      }
      return null;
    });
  }

  @Override
  public void cloneRange(Path source, long sourceOffset, Path destination, long destinationOffset, long length)
      throws IOException {
    cloneRange(byPath(source), sourceOffset, byPath(destination), destinationOffset, length);
  }

  private void cloneRange(FileOpener source, long sourceOffset, FileOpener destination, long destinationOffset,
      long length) throws IOException {
    withFile(source, O_RDONLY, (outer, outerState, sourceFd) -> withFile(destination, O_RDWR, (arena, state, fd) -> {
      MemorySegment range = arena.allocate(JAVA_LONG, 4); // struct file_clone_range
      range.setAtIndex(JAVA_LONG, 0, sourceFd);
      range.setAtIndex(JAVA_LONG, 1, sourceOffset);
      range.setAtIndex(JAVA_LONG, 2, length);
      range.setAtIndex(JAVA_LONG, 3, destinationOffset);
      int rc = (int) ioctl.invokeExact(state, fd, FICLONERANGE, range);
      if (rc != 0) {
        throw new ErrnoException("ioctl(FICLONERANGE)", errno(state));
      }
      return null;
    }));
  }

  @Override
  public long allocatedBytes(Path file) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CAPTURED);
      MemorySegment buffer = arena.allocate(STATX_SIZE, 8);
      int rc = (int) statx.invokeExact(state, AT_FDCWD, arena.allocateFrom(file.toString()), AT_SYMLINK_NOFOLLOW,
          STATX_BLOCKS, buffer);
      if (rc != 0) {
        throw new ErrnoException("statx", errno(state));
      }
      if ((buffer.get(JAVA_INT, 0) & STATX_BLOCKS) == 0) {
        throw new ErrnoException("statx", ErrnoException.EIO); // the file system keeps no block count
      }
      return buffer.get(JAVA_LONG, STATX_BLOCKS_OFFSET) * 512;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  @Override
  public Stat stat(Path path) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CAPTURED);
      MemorySegment buffer = arena.allocate(STATX_SIZE, 8);
      int rc = (int) statx.invokeExact(state, AT_FDCWD, arena.allocateFrom(path.toString()), AT_SYMLINK_NOFOLLOW,
          STATX_ALL_USED, buffer);
      if (rc != 0) {
        throw nioFailure(path, errno(state));
      }
      return statOf(buffer);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  @Override
  public Stat[] statAll(Path dir, List<String> names) throws IOException {
    Stat[] out = new Stat[names.size()];
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(CAPTURED);
      MemorySegment buffer = arena.allocate(STATX_SIZE, 8);
      MemorySegment name = arena.allocate(NAME_BUFFER);
      long[] words = new long[STATX_WORDS_READ];
      // O_PATH: a handle on the directory for the *at calls, needing no read permission
      int fd = (int) open.invokeExact(state, arena.allocateFrom(dir.toString()),
          O_PATH | directory | noFollow | O_CLOEXEC, 0);
      if (fd < 0) {
        throw nioFailure(dir, errno(state));
      }
      try {
        for (int i = 0; i < out.length; i++) {
          byte[] bytes = names.get(i).getBytes(StandardCharsets.UTF_8);
          if (bytes.length >= NAME_BUFFER) {
            throw new ErrnoException("statx", ErrnoException.ENAMETOOLONG);
          }
          MemorySegment.copy(bytes, 0, name, JAVA_BYTE, 0, bytes.length);
          name.set(JAVA_BYTE, bytes.length, (byte) 0);
          int rc = (int) statx.invokeExact(state, fd, name, AT_SYMLINK_NOFOLLOW, STATX_ALL_USED, buffer);
          if (rc == 0) {
            out[i] = statOf(buffer, words);
          } else if (errno(state) != ErrnoException.ENOENT) {
            throw nioFailure(dir.resolve(names.get(i)), errno(state));
          } // else removed since it was listed: left null
        }
      } finally {
        int ignored = (int) close.invokeExact(fd);
      }
      return out;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * Decodes a {@code struct statx} from a copy of its first fields taken at once: one bounds and
   * liveness check of the native buffer instead of one per field.
   */
  private static Stat statOf(MemorySegment b) {
    return statOf(b, new long[STATX_WORDS_READ]);
  }

  /** As {@link #statOf(MemorySegment)}, copying into {@code w} (of {@link #STATX_WORDS_READ} words). */
  private static Stat statOf(MemorySegment b, long[] w) {
    MemorySegment.copy(b, JAVA_LONG, 0, w, 0, w.length);
    int mask = intAt(w, 0);
    boolean hasBirth = (mask & STATX_BTIME) != 0;
    return new Stat(
        unsignedShortAt(w, STATX_MODE),
        intAt(w, STATX_NLINK),
        intAt(w, STATX_UID),
        intAt(w, STATX_GID),
        w[(int) (STATX_SIZE_OFFSET / 8)],
        (mask & STATX_BLOCKS) != 0 ? w[(int) (STATX_BLOCKS_OFFSET / 8)] : -1,
        NativeFiles.deviceNumber(intAt(w, STATX_RDEV_MAJOR), intAt(w, STATX_RDEV_MAJOR + 4)),
        NativeFiles.deviceNumber(intAt(w, STATX_DEV_MAJOR), intAt(w, STATX_DEV_MAJOR + 4)),
        w[(int) (STATX_INO / 8)],
        timeAt(w, STATX_ATIME),
        timeAt(w, STATX_MTIME),
        timeAt(w, STATX_CTIME),
        hasBirth ? timeAt(w, STATX_BTIME_OFFSET) : null);
  }

  /** The {@code struct statx_timestamp} at {@code offset}: seconds, then nanoseconds. */
  private static Instant timeAt(long[] w, long offset) {
    return Instant.ofEpochSecond(w[(int) (offset / 8)], Integer.toUnsignedLong(intAt(w, offset + 8)));
  }

  /** @return the native-order int at a byte offset of the copied words */
  private static int intAt(long[] w, long offset) {
    int inWord = (int) (offset & 7);
    return (int) (w[(int) (offset >>> 3)] >>> (LITTLE_ENDIAN ? inWord * 8 : (4 - inWord) * 8));
  }

  /** @return the native-order unsigned short at a byte offset of the copied words */
  private static int unsignedShortAt(long[] w, long offset) {
    int inWord = (int) (offset & 7);
    return (int) (w[(int) (offset >>> 3)] >>> (LITTLE_ENDIAN ? inWord * 8 : (6 - inWord) * 8)) & 0xffff;
  }

  /** The exceptions {@code java.nio} throws for the same errors, which callers tell apart. */
  private static IOException nioFailure(Path path, int errno) {
    return failure("statx", path, errno);
  }

  private static IOException failure(String call, Path path, int errno) {
    return switch (errno) {
      case ErrnoException.ENOENT -> new NoSuchFileException(path.toString());
      case ErrnoException.EACCES -> new AccessDeniedException(path.toString());
      case ErrnoException.ENOTDIR -> new NotDirectoryException(path.toString());
      default -> new ErrnoException(call, errno);
    };
  }

  @Override
  public Confined confine(Path root) throws IOException {
    return new ConfinedRoot(root);
  }

  /** System calls made with a directory's descriptor. */
  private interface InDirectory<T> {
    T call(Arena arena, MemorySegment state, int directoryFd) throws Throwable;
  }

  /** A system call made relative to the directory holding an object, given its name there. */
  private interface AtCall<T> {
    T call(Arena arena, MemorySegment state, int directoryFd, MemorySegment name) throws Throwable;
  }

  /**
   * {@link Confined} over one root, whose descriptor ({@code O_PATH}) it holds: the root stays
   * the directory it was when the export started, whatever is later renamed above it.
   */
  /**
   * {@code cachestat} on a descriptor held open until {@link #close}, with the call's memory
   * made once (calls are serialised by the probe's lock).
   */
  private final class CachestatProbe implements PageCacheProbe {
    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = arena.allocate(CAPTURED);
    private final MemorySegment range = arena.allocate(CACHESTAT_RANGE_SIZE, 8);
    private final MemorySegment counts = arena.allocate(CACHESTAT_SIZE, 8);
    private boolean closed;

    CachestatProbe(int fd) {
      this.fd = fd;
    }

    @Override
    public synchronized boolean holds(long offset, long length) {
      if (closed || !hasCachestat || offset < 0 || length < 0) {
        return false;
      }
      range.set(JAVA_LONG, 0, offset);
      range.set(JAVA_LONG, 8, length);
      long result;
      try {
        result = (long) syscall.invokeExact(state, SYS_CACHESTAT, (long) fd, range, counts, 0L);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
      if (result != 0) {
        int errno = errno(state);
        if (errno == ErrnoException.ENOSYS || errno == ErrnoException.EPERM) {
          hasCachestat = false; // an older kernel, or a seccomp filter that forbids it
        }
        return false;
      }
      long pages = length == 0 ? 0 : Math.ceilDiv(offset + length, pageSize) - offset / pageSize;
      return counts.get(JAVA_LONG, 0) >= pages;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        arena.close();
        try {
          int ignored = (int) close.invokeExact(fd);
        } catch (Throwable t) {
          throw new IllegalStateException(t);
        }
      }
    }
  }

  private final class ConfinedRoot implements Confined {
    private final Path root;
    private final int rootFd;
    /** Cleared for good when the kernel answers ENOSYS (before 5.6) or refuses the call. */
    private volatile boolean resolvesBeneath = true;

    ConfinedRoot(Path root) throws IOException {
      this.root = root;
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment state = arena.allocate(CAPTURED);
        int fd = (int) open.invokeExact(state, arena.allocateFrom(root.toString()),
            O_PATH | directory | noFollow | O_CLOEXEC, 0);
        if (fd < 0) {
          throw nioFailure(root, errno(state));
        }
        this.rootFd = fd;
      } catch (IOException | RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }

    @Override
    public Stat stat(Path path) throws IOException {
      if (path.equals(root)) {
        return inDirectory("statx", null, (arena, state, fd) -> statAt(state, fd, arena.allocateFrom(""),
            AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, arena.allocate(STATX_SIZE, 8), path));
      }
      return at("statx", path, (arena, state, fd, name) -> statAt(state, fd, name, AT_SYMLINK_NOFOLLOW,
          arena.allocate(STATX_SIZE, 8), path));
    }

    private Stat statAt(MemorySegment state, int fd, MemorySegment name, int flags, MemorySegment buffer, Path path)
        throws Throwable {
      int rc = (int) statx.invokeExact(state, fd, name, flags, STATX_ALL_USED, buffer);
      if (rc != 0) {
        throw nioFailure(path, errno(state));
      }
      return statOf(buffer);
    }

    @Override
    public Stat[] statAll(Path dir, List<String> names) throws IOException {
      Stat[] out = new Stat[names.size()];
      return inDirectory("statx", directoryBelowRoot(dir), (arena, state, dirFd) -> {
        MemorySegment buffer = arena.allocate(STATX_SIZE, 8);
        MemorySegment name = arena.allocate(NAME_BUFFER);
        long[] words = new long[STATX_WORDS_READ];
        for (int i = 0; i < out.length; i++) {
          byte[] bytes = names.get(i).getBytes(StandardCharsets.UTF_8);
          if (bytes.length >= NAME_BUFFER) {
            throw new ErrnoException("statx", ErrnoException.ENAMETOOLONG);
          }
          MemorySegment.copy(bytes, 0, name, JAVA_BYTE, 0, bytes.length);
          name.set(JAVA_BYTE, bytes.length, (byte) 0);
          int rc = (int) statx.invokeExact(state, dirFd, name, AT_SYMLINK_NOFOLLOW, STATX_ALL_USED, buffer);
          if (rc == 0) {
            out[i] = statOf(buffer, words);
          } else if (errno(state) != ErrnoException.ENOENT) {
            throw nioFailure(dir.resolve(names.get(i)), errno(state));
          } // else removed since it was listed: left null
        }
        return out;
      });
    }

    @Override
    public void makeDirectory(Path path, int mode) throws IOException {
      at("mkdirat", path, (arena, state, fd, name) -> check("mkdirat", path, state,
          (int) mkdirat.invokeExact(state, fd, name, mode)));
    }

    @Override
    public void remove(Path path, boolean directory) throws IOException {
      at("unlinkat", path, (arena, state, fd, name) -> {
        int rc = (int) unlinkat.invokeExact(state, fd, name, directory ? AT_REMOVEDIR : 0);
        if (rc != 0) {
          int errno = errno(state);
          // rmdir(2) answers either for a directory with entries, as java.nio's deletion reports
          throw errno == ENOTEMPTY || errno == ErrnoException.EEXIST
              ? new DirectoryNotEmptyException(path.toString()) : failure("unlinkat", path, errno);
        }
        return null;
      });
    }

    @Override
    public void makeSymlink(Path path, String target) throws IOException {
      at("symlinkat", path, (arena, state, fd, name) -> check("symlinkat", path, state,
          (int) symlinkat.invokeExact(state, arena.allocateFrom(target), fd, name)));
    }

    @Override
    public long seek(Path file, long offset, boolean data) throws IOException {
      return LinuxNativeFiles.this.seek(below(file), offset, data);
    }

    @Override
    public void allocate(Path file, long offset, long length) throws IOException {
      fallocate(below(file), 0, offset, length);
    }

    @Override
    public void punchHole(Path file, long offset, long length) throws IOException {
      fallocate(below(file), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length);
    }

    @Override
    public void cloneRange(Path source, long sourceOffset, Path destination, long destinationOffset, long length)
        throws IOException {
      LinuxNativeFiles.this.cloneRange(below(source), sourceOffset, below(destination), destinationOffset, length);
    }

    @Override
    public PageCacheProbe probePageCache(Path file) throws IOException {
      if (!hasCachestat) {
        return null;
      }
      FileOpener opener = below(file);
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment state = arena.allocate(CAPTURED);
        int fd = opener.open(arena, state, O_RDONLY | noFollow | O_CLOEXEC);
        if (fd < 0) {
          throw new ErrnoException("open", errno(state));
        }
        CachestatProbe probe = new CachestatProbe(fd);
        probe.holds(0, 1); // asks once, so that a kernel without cachestat is known at once
        if (!hasCachestat) {
          probe.close();
          return null;
        }
        return probe;
      } catch (IOException | RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }

    /** Opens a file relative to its directory, reached as {@link #directoryOf} does. */
    private FileOpener below(Path file) throws IOException {
      Path parent = parentBelowRoot(file);
      String name = file.getFileName().toString();
      return (arena, state, flags) -> {
        int dirFd = directoryOf(arena, state, parent);
        try {
          return (int) openat.invokeExact(state, dirFd, arena.allocateFrom(name), flags, 0);
        } finally {
          if (dirFd != rootFd) {
            int ignored = (int) close.invokeExact(dirFd); // errno is not captured: open's stays
          }
        }
      };
    }

    /** @return the directory holding {@code path}, relative to the root; null for the root */
    private Path parentBelowRoot(Path path) throws IOException {
      if (path.equals(root) || path.getParent() == null) {
        throw new IOException(path + " is not below the export's root");
      }
      return directoryBelowRoot(path.getParent());
    }

    /**
     * @return {@code directory} relative to the root; null for the root
     * @throws IOException when it is not below the root, or names {@code .} or {@code ..}
     *     (which a walk one component at a time would follow out)
     */
    private Path directoryBelowRoot(Path directory) throws IOException {
      if (directory.equals(root)) {
        return null;
      }
      if (!directory.startsWith(root)) {
        throw new IOException(directory + " is not below the export's root");
      }
      Path relative = root.relativize(directory);
      for (Path component : relative) {
        if (component.toString().equals(".") || component.toString().equals("..")) {
          throw new IOException(directory + " is not below the export's root");
        }
      }
      return relative;
    }

    @Override
    public String readLink(Path path) throws IOException {
      return at("readlinkat", path, (arena, state, fd, name) -> {
        MemorySegment buffer = arena.allocate(LINK_BUFFER);
        long length = (long) readlinkat.invokeExact(state, fd, name, buffer, (long) LINK_BUFFER);
        if (length < 0) {
          throw failure("readlinkat", path, errno(state));
        }
        if (length == LINK_BUFFER) {
          throw new ErrnoException("readlinkat", ErrnoException.ENAMETOOLONG);
        }
        return new String(buffer.asSlice(0, length).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
      });
    }

    @Override
    public void makeLink(Path existing, Path path) throws IOException {
      at("linkat", existing, (outer, outerState, existingFd, existingName) ->
          at("linkat", path, (arena, state, fd, name) -> check("linkat", path, state,
              (int) linkat.invokeExact(state, existingFd, existingName, fd, name, 0))));
    }

    @Override
    public boolean makesNodes() {
      return mknodat != null;
    }

    @Override
    public void makeNode(Path path, int mode, long device) throws IOException {
      if (mknodat == null) {
        throw new ErrnoException("mknodat", ErrnoException.EOPNOTSUPP);
      }
      at("mknodat", path, (arena, state, fd, name) -> check("mknodat", path, state,
          (int) mknodat.invokeExact(state, fd, name, mode, device)));
    }

    @Override
    public void changeMode(Path path, int mode) throws IOException {
      at("fchmodat", path, (arena, state, fd, name) -> check("fchmodat", path, state,
          (int) fchmodat.invokeExact(state, fd, name, mode, AT_SYMLINK_NOFOLLOW)));
    }

    @Override
    public void changeOwner(Path path, int uid, int gid) throws IOException {
      at("fchownat", path, (arena, state, fd, name) -> check("fchownat", path, state,
          (int) fchownat.invokeExact(state, fd, name, uid, gid, AT_SYMLINK_NOFOLLOW)));
    }

    @Override
    public void changeTimes(Path path, Instant atime, Instant mtime) throws IOException {
      at("utimensat", path, (arena, state, fd, name) -> {
        MemorySegment times = arena.allocate(JAVA_LONG, 4); // struct timespec[2]
        setTime(times, 0, atime);
        setTime(times, 2, mtime);
        return check("utimensat", path, state, (int) utimensat.invokeExact(state, fd, name, times,
            AT_SYMLINK_NOFOLLOW));
      });
    }

    private static void setTime(MemorySegment times, int index, Instant time) {
      times.setAtIndex(JAVA_LONG, index, time == null ? 0 : time.getEpochSecond());
      times.setAtIndex(JAVA_LONG, index + 1, time == null ? UTIME_OMIT : time.getNano());
    }

    private static Void check(String call, Path path, MemorySegment state, int rc) throws IOException {
      if (rc != 0) {
        int errno = errno(state);
        throw errno == ErrnoException.EEXIST ? new FileAlreadyExistsException(path.toString())
            : failure(call, path, errno);
      }
      return null;
    }

    /**
     * Runs a call with a directory opened as {@link #directoryOf} does.
     *
     * @param relative the directory relative to the root; null for the root
     */
    private <T> T inDirectory(String call, Path relative, InDirectory<T> body) throws IOException {
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment state = arena.allocate(CAPTURED);
        int fd = directoryOf(arena, state, relative);
        try {
          return body.call(arena, state, fd);
        } finally {
          if (fd != rootFd) {
            int ignored = (int) close.invokeExact(fd);
          }
        }
      } catch (IOException | RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(call, t);
      }
    }

    /**
     * Runs a call relative to the directory holding {@code path}, reached from the root; on
     * the root itself, by the path the export was given (no directory of the export is above
     * it).
     */
    private <T> T at(String call, Path path, AtCall<T> body) throws IOException {
      if (path.equals(root)) {
        return inDirectory(call, null, (arena, state, fd) -> body.call(arena, state, AT_FDCWD,
            arena.allocateFrom(root.toString())));
      }
      String last = path.getFileName().toString();
      return inDirectory(call, parentBelowRoot(path), (arena, state, fd) -> body.call(arena, state, fd,
          arena.allocateFrom(last)));
    }

    /**
     * Opens a directory below the root ({@code O_PATH}) following no symlink on the way: one
     * {@code openat2} where the kernel has it, else one {@code openat} per component.
     *
     * @param relative the directory relative to the root; null for the root (not opened again)
     */
    private int directoryOf(Arena arena, MemorySegment state, Path relative) throws Throwable {
      if (relative == null) {
        return rootFd;
      }
      if (resolvesBeneath) {
        MemorySegment how = arena.allocate(OPEN_HOW_SIZE, 8);
        how.set(JAVA_LONG, 0, O_PATH | directory | O_CLOEXEC);
        how.set(JAVA_LONG, 8, 0L);
        how.set(JAVA_LONG, 16, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
        long fd = (long) syscall.invokeExact(state, SYS_OPENAT2, (long) rootFd,
            arena.allocateFrom(relative.toString()), how, OPEN_HOW_SIZE);
        if (fd >= 0) {
          return (int) fd;
        }
        int errno = errno(state);
        if (errno == ErrnoException.ENOSYS || errno == ErrnoException.EPERM) {
          resolvesBeneath = false; // an older kernel, or a seccomp filter that forbids it
        } else if (errno != ErrnoException.EAGAIN) { // EAGAIN: a rename raced; walk instead
          throw walkFailure(root.resolve(relative), errno);
        }
      }
      int fd = rootFd;
      for (Path component : relative) {
        int next = (int) openat.invokeExact(state, fd, arena.allocateFrom(component.toString()),
            O_PATH | directory | noFollow | O_CLOEXEC, 0);
        int errno = errno(state);
        if (fd != rootFd) {
          int ignored = (int) close.invokeExact(fd);
        }
        if (next < 0) {
          throw walkFailure(root.resolve(relative), errno);
        }
        fd = next;
      }
      return fd;
    }

    @Override
    public ChangeWatch watchChanges() throws IOException {
      return new Inotify(this);
    }

    /**
     * Watches a directory, reached as {@link #directoryOf} does, through its descriptor's
     * {@code /proc/self/fd} entry: the kernel resolves that to the very directory opened, so
     * no name is looked up again; its status is read from the same descriptor.
     */
    private ChangeWatch.Watched addWatch(int inotifyFd, Path dir) throws IOException {
      return inDirectory("inotify_add_watch", directoryBelowRoot(dir), (arena, state, fd) -> {
        Stat st = statAt(state, fd, arena.allocateFrom(""), AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
            arena.allocate(STATX_SIZE, 8), dir);
        int wd = (int) inotifyAddWatch.invokeExact(state, inotifyFd, arena.allocateFrom("/proc/self/fd/" + fd),
            WATCHED_EVENTS);
        if (wd < 0) {
          throw new ErrnoException("inotify_add_watch", errno(state));
        }
        return new ChangeWatch.Watched(wd, st.dev(), st.ino());
      });
    }

    @Override
    public void close() throws IOException {
      try {
        int ignored = (int) close.invokeExact(rootFd);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }
  }

  /**
   * {@link ChangeWatch} over one inotify descriptor, with one event buffer (native memory,
   * freed on {@link #close}) that {@link #drain} reads into under the object's monitor.
   */
  private final class Inotify implements ChangeWatch {
    private final ConfinedRoot root;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = arena.allocate(CAPTURED);
    private final MemorySegment events = arena.allocate(EVENT_BUFFER, 8);
    private final int fd;
    private boolean closed;

    Inotify(ConfinedRoot root) throws IOException {
      this.root = root;
      try {
        fd = (int) inotifyInit1.invokeExact(state, IN_NONBLOCK | O_CLOEXEC);
      } catch (RuntimeException | Error e) {
        arena.close();
        throw e;
      } catch (Throwable t) {
        arena.close();
        throw new IllegalStateException(t);
      }
      if (fd < 0) {
        int errno = errno(state);
        arena.close();
        throw new ErrnoException("inotify_init1", errno);
      }
    }

    @Override
    public synchronized ChangeWatch.Watched watch(Path directory) throws IOException {
      requireOpen();
      return root.addWatch(fd, directory);
    }

    @Override
    public synchronized void unwatch(int descriptor) throws IOException {
      requireOpen();
      try {
        int ignored = (int) inotifyRmWatch.invokeExact(state, fd, descriptor); // EINVAL: already gone
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }

    @Override
    public synchronized void drain(Changes changes) throws IOException {
      requireOpen();
      try {
        while (true) {
          long n = (long) read.invokeExact(state, fd, events, (long) EVENT_BUFFER);
          if (n < 0) {
            int errno = errno(state);
            if (errno == ErrnoException.EAGAIN) {
              return; // nothing more queued
            }
            if (errno != EINTR) {
              throw new ErrnoException("read", errno);
            }
            continue;
          }
          report(n, changes);
        }
      } catch (IOException | RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }

    /** Reports the events in the first {@code n} bytes read. */
    private void report(long n, Changes changes) {
      long at = 0;
      while (at + EVENT_HEADER <= n) {
        int wd = events.get(JAVA_INT, at);
        int mask = events.get(JAVA_INT, at + 4);
        int length = events.get(JAVA_INT, at + 12);
        long name = at + EVENT_HEADER;
        at = name + length;
        if ((mask & IN_Q_OVERFLOW) != 0) {
          changes.overflow();
        } else if ((mask & DIRECTORY_GONE) != 0) {
          changes.directory(wd);
        } else if (length > 0) {
          int end = 0;
          while (end < length && events.get(JAVA_BYTE, name + end) != 0) {
            end++;
          }
          byte[] bytes = events.asSlice(name, end).toArray(JAVA_BYTE);
          changes.entry(wd, new String(bytes, StandardCharsets.UTF_8),
              (mask & IN_CREATE) != 0 && (mask & IN_ISDIR) == 0);
        } else {
          changes.itself(wd);
        }
      }
    }

    private void requireOpen() throws IOException {
      if (closed) {
        throw new IOException("change watch closed");
      }
    }

    @Override
    public synchronized void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        int ignored = (int) close.invokeExact(fd);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      } finally {
        arena.close();
      }
    }
  }

  /**
   * A directory on the way could not be opened: a symlink or something else than a directory
   * in its place (ELOOP, ENOTDIR, or EXDEV for a way out of the root) is ELOOP, which the
   * server answers STALE; the rest as {@link #nioFailure}.
   */
  private static IOException walkFailure(Path directory, int errno) {
    return switch (errno) {
      case ErrnoException.ELOOP, ErrnoException.ENOTDIR, ErrnoException.EXDEV -> new ErrnoException("openat", ErrnoException.ELOOP);
      default -> failure("openat", directory, errno);
    };
  }

  private static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }
}
