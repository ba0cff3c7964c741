package dev.jnfs.examples.demo;

import dev.jnfs.spi.Access;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.FsStat;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.ReadResult;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.spi.WriteResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A small read-only file system whose files are generated when read: the sample of how to
 * implement {@link NfsFileSystem}. It holds
 *
 * <pre>
 * /hello.txt            "Hello from jnfs!"
 * /numbers/1.txt        "1 squared is 1"
 * ...
 * /numbers/100.txt      "100 squared is 10000"
 * </pre>
 *
 * <p>Every object is identified by a file id; its handle is a tag byte followed by that id, so
 * handles stay valid across restarts (nothing is stored). Every method that would change
 * something answers {@link NfsStatus#ROFS}. The tree never changes, so the class is immutable
 * and thread-safe, and nothing blocks: {@link #isNonBlocking()} is true.
 */
public final class HelloFileSystem implements NfsFileSystem {
  /** The number of files under {@code /numbers}. */
  public static final int NUMBER_FILES = 100;

  private static final byte HANDLE_TAG = 'H';
  private static final int HANDLE_LENGTH = 1 + Long.BYTES;
  private static final long ROOT_ID = 1;
  private static final long HELLO_ID = 2;
  private static final long NUMBERS_ID = 3;
  /** File ids of /numbers/N.txt are NUMBER_BASE + N. */
  private static final long NUMBER_BASE = 100;
  /** Cookies 0, 1 and 2 are reserved; the entry at list index i gets cookie i + 3. */
  private static final long FIRST_COOKIE = 3;
  private static final long COOKIE_VERIFIER = 0x4845_4C4CL;
  private static final long FSID = 0x4A4E_4653L;
  private static final byte[] HELLO = "Hello from jnfs!\n".getBytes(StandardCharsets.US_ASCII);

  private final Instant created;

  /** Creates the tree; its timestamps are the moment of creation. */
  public HelloFileSystem() {
    this.created = Instant.now();
  }

  @Override
  public FileHandle root() {
    return handleOf(ROOT_ID);
  }

  @Override
  public boolean isNonBlocking() {
    return true;
  }

  // ---- reading ---------------------------------------------------------------------------

  @Override
  public FileAttributes getattr(Caller caller, FileHandle handle) throws NfsException {
    return attributesOf(idOf(handle));
  }

  @Override
  public FileEntry lookup(Caller caller, FileHandle directory, String name) throws NfsException {
    long dir = idOf(directory);
    if (!isDirectory(dir)) {
      throw new NfsException(NfsStatus.NOTDIR, "lookup in a file");
    }
    long found = switch (name) {
      case "." -> dir;
      case ".." -> ROOT_ID; // /numbers' parent is the root, and the root is its own parent
      default -> childId(dir, name);
    };
    return entryOf(found);
  }

  private static long childId(long dir, String name) throws NfsException {
    if (dir == ROOT_ID) {
      if (name.equals("hello.txt")) {
        return HELLO_ID;
      }
      if (name.equals("numbers")) {
        return NUMBERS_ID;
      }
    } else if (name.endsWith(".txt")) {
      String digits = name.substring(0, name.length() - ".txt".length());
      // only the canonical spelling ("7.txt", not "07.txt") names a file
      if (digits.matches("[1-9][0-9]{0,2}")) {
        int n = Integer.parseInt(digits);
        if (n <= NUMBER_FILES) {
          return NUMBER_BASE + n;
        }
      }
    }
    throw new NfsException(NfsStatus.NOENT, name);
  }

  @Override
  public int access(Caller caller, FileHandle handle, int requested) throws NfsException {
    long id = idOf(handle);
    int granted = isDirectory(id) ? Access.READ | Access.LOOKUP : Access.READ;
    return requested & granted;
  }

  @Override
  public String readlink(Caller caller, FileHandle handle) throws NfsException {
    idOf(handle);
    throw new NfsException(NfsStatus.INVAL, "not a symbolic link");
  }

  @Override
  public ReadResult read(Caller caller, FileHandle handle, long offset, ByteBuffer destination)
      throws NfsException {
    long id = idOf(handle);
    if (isDirectory(id)) {
      throw new NfsException(NfsStatus.ISDIR, "read of a directory");
    }
    if (offset < 0) {
      throw new NfsException(NfsStatus.INVAL, "negative offset");
    }
    byte[] content = contentOf(id);
    if (offset >= content.length) {
      return new ReadResult(0, true);
    }
    int count = (int) Math.min(destination.remaining(), content.length - offset);
    destination.put(content, (int) offset, count);
    return new ReadResult(count, offset + count == content.length);
  }

  @Override
  public DirectoryPage readdir(
      Caller caller,
      FileHandle directory,
      long cookie,
      long verifier,
      int maxEntries,
      boolean withAttributes)
      throws NfsException {
    long dir = idOf(directory);
    if (!isDirectory(dir)) {
      throw new NfsException(NfsStatus.NOTDIR, "readdir of a file");
    }
    List<String> names = namesIn(dir);
    long start = cookie == 0 ? 0 : cookie - FIRST_COOKIE + 1;
    if ((cookie != 0 && cookie < FIRST_COOKIE) || start > names.size()) {
      throw new NfsException(NfsStatus.BAD_COOKIE, "cookie " + cookie);
    }
    List<DirectoryEntry> entries = new ArrayList<>();
    int index = (int) start;
    for (; index < names.size() && entries.size() < maxEntries; index++) {
      String name = names.get(index);
      long id = childId(dir, name);
      entries.add(new DirectoryEntry(
          name,
          id,
          FIRST_COOKIE + index,
          withAttributes ? handleOf(id) : null,
          withAttributes ? attributesOf(id) : null));
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
    long files = 3 + NUMBER_FILES;
    return new FsStat(bytes, 0, 0, files, 0, 0);
  }

  // ---- changing: a read-only file system refuses every change ----------------------------

  @Override
  public FileAttributes setattr(
      Caller caller, FileHandle handle, SetAttributes changes, Instant guardCtime)
      throws NfsException {
    throw readOnly(handle);
  }

  @Override
  public WriteResult write(
      Caller caller, FileHandle handle, long offset, ByteBuffer data, Stability stability)
      throws NfsException {
    throw readOnly(handle);
  }

  @Override
  public void commit(Caller caller, FileHandle handle, long offset, long count)
      throws NfsException {
    idOf(handle); // nothing is ever unstable, so there is nothing to commit
  }

  @Override
  public FileEntry create(
      Caller caller,
      FileHandle directory,
      String name,
      CreateMode mode,
      SetAttributes attributes,
      long verifier)
      throws NfsException {
    throw readOnly(directory);
  }

  @Override
  public FileEntry mkdir(
      Caller caller, FileHandle directory, String name, SetAttributes attributes)
      throws NfsException {
    throw readOnly(directory);
  }

  @Override
  public FileEntry symlink(
      Caller caller, FileHandle directory, String name, String target, SetAttributes attributes)
      throws NfsException {
    throw readOnly(directory);
  }

  @Override
  public FileEntry mknod(
      Caller caller,
      FileHandle directory,
      String name,
      FileType type,
      SetAttributes attributes,
      DeviceNumber device)
      throws NfsException {
    throw readOnly(directory);
  }

  @Override
  public FileAttributes link(Caller caller, FileHandle file, FileHandle directory, String name)
      throws NfsException {
    idOf(file);
    throw readOnly(directory);
  }

  @Override
  public void remove(Caller caller, FileHandle directory, String name) throws NfsException {
    throw readOnly(directory);
  }

  @Override
  public void rmdir(Caller caller, FileHandle directory, String name) throws NfsException {
    throw readOnly(directory);
  }

  @Override
  public void rename(
      Caller caller,
      FileHandle fromDirectory,
      String fromName,
      FileHandle toDirectory,
      String toName)
      throws NfsException {
    idOf(toDirectory);
    throw readOnly(fromDirectory);
  }

  /** A handle that does not name an object is still BADHANDLE, not ROFS. */
  private static NfsException readOnly(FileHandle handle) throws NfsException {
    idOf(handle);
    return new NfsException(NfsStatus.ROFS, "read-only file system");
  }

  // ---- the tree --------------------------------------------------------------------------

  private static FileHandle handleOf(long id) {
    return FileHandle.of(ByteBuffer.allocate(HANDLE_LENGTH).put(HANDLE_TAG).putLong(id).array());
  }

  /** Decodes a handle, rejecting any this file system could not have minted. */
  private static long idOf(FileHandle handle) throws NfsException {
    if (handle.length() != HANDLE_LENGTH || handle.byteAt(0) != HANDLE_TAG) {
      throw new NfsException(NfsStatus.BADHANDLE, "not a handle of this file system");
    }
    long id = ByteBuffer.wrap(handle.toBytes(), 1, Long.BYTES).getLong();
    boolean known = id == ROOT_ID || id == HELLO_ID || id == NUMBERS_ID
        || (id > NUMBER_BASE && id <= NUMBER_BASE + NUMBER_FILES);
    if (!known) {
      throw new NfsException(NfsStatus.BADHANDLE, "unknown file id " + id);
    }
    return id;
  }

  private static boolean isDirectory(long id) {
    return id == ROOT_ID || id == NUMBERS_ID;
  }

  private static byte[] contentOf(long id) {
    if (id == HELLO_ID) {
      return HELLO;
    }
    long n = id - NUMBER_BASE;
    return (n + " squared is " + n * n + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  private FileEntry entryOf(long id) {
    return new FileEntry(handleOf(id), attributesOf(id));
  }

  private FileAttributes attributesOf(long id) {
    boolean dir = isDirectory(id);
    long size = dir ? 4096 : contentOf(id).length;
    return new FileAttributes(
        dir ? FileType.DIRECTORY : FileType.REGULAR,
        dir ? 0555 : 0444,
        dir ? (id == ROOT_ID ? 3 : 2) : 1,
        0,
        0,
        size,
        size,
        DeviceNumber.NONE,
        FSID,
        id,
        created,
        created,
        created,
        created.getEpochSecond());
  }
}
