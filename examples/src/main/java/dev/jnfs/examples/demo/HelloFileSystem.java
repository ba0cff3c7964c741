package dev.jnfs.examples.demo;

import dev.jnfs.spi.Access;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.FsStat;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.ReadOnlyFileSystem;
import dev.jnfs.spi.ReadResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small read-only file system whose files are generated when read: the sample of how little
 * a backend needs. It holds
 *
 * <pre>
 * /hello.txt            "Hello from jnfs!"
 * /numbers/1.txt        "1 squared is 1"
 * ...
 * /numbers/100.txt      "100 squared is 10000"
 * </pre>
 *
 * <p>As a {@link ReadOnlyFileSystem} it implements only the reading methods: the server
 * answers ROFS to every change without calling it. Each object has a fixed file id, and its
 * handle is that id ({@link FileHandle#ofId}), so handles stay valid across restarts with
 * nothing stored. Times are {@link FileAttributes#DEFAULT_TIME}. The tree never changes, so
 * the class is immutable and thread-safe, and nothing blocks: {@link #isNonBlocking()} is
 * true.
 */
public final class HelloFileSystem implements ReadOnlyFileSystem {
  /** The number of files under {@code /numbers}. */
  public static final int NUMBER_FILES = 100;

  private static final long ROOT_ID = 1;
  private static final long HELLO_ID = 2;
  private static final long NUMBERS_ID = 3;
  /** File ids of /numbers/N.txt are NUMBER_BASE + N. */
  private static final long NUMBER_BASE = 100;
  /** Cookies 0, 1 and 2 are reserved; the entry at list index i gets cookie i + 3. */
  private static final long FIRST_COOKIE = 3;
  private static final long COOKIE_VERIFIER = 0x4845_4C4CL;
  private static final byte[] HELLO = "Hello from jnfs!\n".getBytes(StandardCharsets.US_ASCII);

  @Override
  public FileHandle root() {
    return FileHandle.ofId(ROOT_ID);
  }

  @Override
  public boolean isNonBlocking() {
    return true;
  }

  @Override
  public FileAttributes getattr(Caller caller, FileHandle handle) throws NfsException {
    return attributesOf(idOf(handle));
  }

  @Override
  public FileEntry lookup(Caller caller, FileHandle directory, String name) throws NfsException {
    long dir = directoryId(directory);
    long found = switch (name) {
      case "." -> dir;
      case ".." -> ROOT_ID; // /numbers' parent is the root, and the root is its own parent
      default -> childId(dir, name);
    };
    return new FileEntry(FileHandle.ofId(found), attributesOf(found));
  }

  private static long childId(long dir, String name) throws NfsException {
    if (dir == ROOT_ID && name.equals("hello.txt")) {
      return HELLO_ID;
    } else if (dir == ROOT_ID && name.equals("numbers")) {
      return NUMBERS_ID;
    } else if (dir == NUMBERS_ID && name.matches("[1-9][0-9]{0,2}\\.txt")) { // not "07.txt"
      int n = Integer.parseInt(name.substring(0, name.length() - ".txt".length()));
      if (n <= NUMBER_FILES) {
        return NUMBER_BASE + n;
      }
    }
    throw new NfsException(NfsStatus.NOENT, name);
  }

  @Override
  public int access(Caller caller, FileHandle handle, int requested) throws NfsException {
    return requested & (isDirectory(idOf(handle)) ? Access.READ | Access.LOOKUP : Access.READ);
  }

  @Override
  public ReadResult read(Caller caller, FileHandle handle, long offset, ByteBuffer destination)
      throws NfsException {
    long id = idOf(handle);
    if (isDirectory(id)) {
      throw new NfsException(NfsStatus.ISDIR, "read of a directory");
    }
    byte[] content = contentOf(id);
    int start = (int) Math.min(Math.max(offset, 0), content.length);
    int count = Math.min(destination.remaining(), content.length - start);
    destination.put(content, start, count);
    return new ReadResult(count, start + count == content.length);
  }

  @Override
  public DirectoryPage readdir(Caller caller, FileHandle directory, long cookie, long verifier,
      int maxEntries, boolean withAttributes) throws NfsException {
    long dir = directoryId(directory);
    List<String> names = namesIn(dir);
    long start = cookie == 0 ? 0 : cookie - FIRST_COOKIE + 1;
    if ((cookie != 0 && cookie < FIRST_COOKIE) || start > names.size()) {
      throw new NfsException(NfsStatus.BAD_COOKIE, "cookie " + cookie);
    }
    List<DirectoryEntry> entries = new ArrayList<>();
    int index = (int) start;
    for (; index < names.size() && entries.size() < maxEntries; index++) {
      long id = childId(dir, names.get(index));
      entries.add(new DirectoryEntry(names.get(index), id, FIRST_COOKIE + index,
          withAttributes ? FileHandle.ofId(id) : null, withAttributes ? attributesOf(id) : null));
    }
    return new DirectoryPage(entries, index == names.size(), COOKIE_VERIFIER);
  }

  private static List<String> namesIn(long dir) {
    if (dir == ROOT_ID) {
      return List.of("hello.txt", "numbers");
    }
    List<String> names = new ArrayList<>(NUMBER_FILES);
    for (int n = 1; n <= NUMBER_FILES; n++) {
      names.add(n + ".txt");
    }
    return names;
  }

  @Override
  public FsStat fsstat(Caller caller, FileHandle handle) throws NfsException {
    idOf(handle);
    long bytes = HELLO.length;
    for (int n = 1; n <= NUMBER_FILES; n++) {
      bytes += contentOf(NUMBER_BASE + n).length;
    }
    return new FsStat(bytes, 0, 0, 3 + NUMBER_FILES, 0, 0);
  }

  /** Reads a handle's id, rejecting any this file system could not have minted. */
  private static long idOf(FileHandle handle) throws NfsException {
    long id = FileHandle.toId(handle);
    boolean known = id == ROOT_ID || id == HELLO_ID || id == NUMBERS_ID
        || (id > NUMBER_BASE && id <= NUMBER_BASE + NUMBER_FILES);
    if (!known) {
      throw new NfsException(NfsStatus.BADHANDLE, "unknown file id " + id);
    }
    return id;
  }

  private static long directoryId(FileHandle handle) throws NfsException {
    long id = idOf(handle);
    if (!isDirectory(id)) {
      throw new NfsException(NfsStatus.NOTDIR, "not a directory");
    }
    return id;
  }

  private static boolean isDirectory(long id) {
    return id == ROOT_ID || id == NUMBERS_ID;
  }

  private static byte[] contentOf(long id) {
    long n = id - NUMBER_BASE;
    return id == HELLO_ID
        ? HELLO : (n + " squared is " + n * n + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static FileAttributes attributesOf(long id) {
    if (isDirectory(id)) { // the root's third link is /numbers' ".."
      return FileAttributes.builder(FileType.DIRECTORY, id).mode(0555).size(4096)
          .nlink(id == ROOT_ID ? 3 : 2).build();
    }
    return FileAttributes.builder(FileType.REGULAR, id).mode(0444).size(contentOf(id).length)
        .build();
  }
}
