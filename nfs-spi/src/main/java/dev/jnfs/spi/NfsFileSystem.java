package dev.jnfs.spi;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The file system an export serves: the one contract between the NFS protocols and a backend.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Blocking and thread-safe.</b> Methods are called concurrently from many threads,
 *       for the same and for different objects; an implementation writes plain blocking code
 *       and guards its own state. The server provides the concurrency.
 *   <li><b>Handles.</b> Every object is named by a {@link FileHandle} the backend minted. A
 *       method given a handle it never minted answers {@link NfsStatus#BADHANDLE}; given the
 *       handle of an object that no longer exists, {@link NfsStatus#STALE}. A handle never
 *       resolves to another object.
 *   <li><b>Names.</b> A name is one path component. The server has already rejected empty
 *       names and names containing {@code '/'} or NUL. {@link #lookup} understands {@code "."}
 *       and {@code ".."} (at the root, {@code ".."} is the root itself); operations that make
 *       or remove entries answer {@link NfsStatus#INVAL} for them (EXIST for "." and ".."
 *       as a new name is also acceptable). A name longer than {@link
 *       FsProperties#maxNameLength()} answers {@link NfsStatus#NAMETOOLONG}.
 *   <li><b>Permissions.</b> The backend checks the {@link Caller}'s permission for every
 *       operation, as a POSIX file system would (owner, group, other; the superuser passes
 *       all but execute checks). The server has already applied squash rules and rejected
 *       writes to read-only exports.
 *   <li><b>Atomicity.</b> Each method is atomic with respect to the others on the same
 *       objects: a GUARDED or EXCLUSIVE create never makes two files, a rename replaces its
 *       target in one step, a remove of a name another thread renames fails cleanly.
 *   <li><b>Errors.</b> Failures are reported only as {@link NfsException}; any other
 *       exception is a server fault, logged and answered with SERVERFAULT.
 *   <li><b>Symlinks</b> are never followed by these methods: an object that is a symlink is
 *       returned as a symlink.
 *   <li><b>Optional operations.</b> {@link #readlink}, {@link #symlink}, {@link #mknod} and
 *       {@link #link} have defaults answering {@link NfsStatus#NOTSUPP}; a backend overrides
 *       those it supports and lists them in {@link #capabilities()}. The server never calls
 *       an optional operation whose capability is missing: NFSv3 answers NOTSUPP, NFSv4
 *       NOTSUPP (LINK, READLINK) or BADTYPE (CREATE of a symlink or special file).
 *   <li><b>Read-only backends</b> answer true from {@link #isReadOnly()}; the server then
 *       treats every export of it as exported {@code ro}, answering ROFS to every modifying
 *       call without calling the backend. {@link ReadOnlyFileSystem} declares it and supplies
 *       the modifying methods, so that such a backend implements only the reading ones.
 * </ul>
 */
public interface NfsFileSystem {

  /** @return the handle of the file system's root directory */
  FileHandle root();

  /** @return the backend's static properties */
  default FsProperties properties() {
    return FsProperties.POSIX;
  }

  /**
   * Whether every method returns without blocking on I/O or long waits (an in-memory
   * backend). The server may then call it directly on its network threads, saving the hop to
   * a worker thread. Defaults to false, which is always safe.
   *
   * @return true if no method ever blocks
   */
  default boolean isNonBlocking() {
    return false;
  }

  /**
   * Whether reading one object's attributes would now return without blocking, because what
   * it needs is already in memory (its attributes cached): {@link #getattr} and {@link
   * #access} of it, and when it is a directory {@link #lookup} of a name in it and reading the
   * attributes of what the lookup finds (NFS replies carry them). The server asks on its
   * network thread just before such a call, and on true runs the call there, saving the hop
   * to a worker thread; on false the call runs on a worker as it always may. Reads of file
   * data have their own forecast, {@link #readsDataWithoutBlocking}.
   *
   * <p>Must answer at once: no I/O, no waiting for a lock held across I/O, no exception (an
   * unknown or malformed handle answers false). The answer is a forecast: a true that proves
   * wrong because the object changed meanwhile only delays other calls of that network
   * thread while the call reads what it needs; it never changes what the call answers.
   * Defaults to {@link #isNonBlocking()}.
   *
   * @param handle the object, as the client sent it (not yet checked)
   * @return true if reading the object's attributes would not block now
   */
  default boolean readsAttributesWithoutBlocking(FileHandle handle) {
    return isNonBlocking();
  }

  /**
   * Whether reading a range of a file would now return without blocking, because the data
   * and what else {@link #read} and {@link #readRegion} need are already in memory (the
   * operating system's page cache, say). As for {@link #readsAttributesWithoutBlocking}: the
   * server asks on its network thread just before a READ and on true runs it there; the
   * answer must come at once, without I/O or exception, and is a forecast that never changes
   * what the READ answers. Defaults to {@link #isNonBlocking()}.
   *
   * @param handle the file, as the client sent it (not yet checked)
   * @param offset where the read begins
   * @param count how many bytes it asks for
   * @return true if reading the range would not block now
   */
  default boolean readsDataWithoutBlocking(FileHandle handle, long offset, int count) {
    return isNonBlocking();
  }

  /** @return the optional abilities this backend has */
  default Set<Capability> capabilities() {
    return Set.of();
  }

  /**
   * Whether this backend never changes: every export of it is then read-only whatever its
   * options say, and the server answers ROFS to modifying calls (SETATTR, WRITE, CREATE,
   * MKDIR, SYMLINK, MKNOD, LINK, REMOVE, RMDIR, RENAME, an NFSv4 OPEN for writing)
   * without calling the backend, and never grants modify, extend or delete in ACCESS. The
   * server asks once, when the export is made. Defaults to false.
   *
   * @return true if the backend is read-only
   */
  default boolean isReadOnly() {
    return false;
  }

  /**
   * Reads an object's attributes. Needs no permission.
   *
   * @param caller who asks
   * @param handle the object
   * @return its attributes
   * @throws NfsException STALE, BADHANDLE
   */
  FileAttributes getattr(Caller caller, FileHandle handle) throws NfsException;

  /**
   * Changes attributes. Size changes need write permission; mode changes need ownership;
   * uid changes need the superuser (or, without chown restriction, ownership); gid changes
   * need ownership and membership of the new group; times set to the server's clock need
   * write permission or ownership, times set to a client's value need ownership. Applying
   * the changes is atomic: either all are made or none.
   *
   * @param caller who asks
   * @param handle the object
   * @param changes what to change
   * @param guardCtime when non-null, the change is made only if the object's ctime equals it,
   *     else {@link NfsStatus#NOT_SYNC} (the check and the change are atomic)
   * @return the attributes after the change
   * @throws NfsException PERM, ACCES, INVAL (e.g. size on a directory: ISDIR), FBIG, NOT_SYNC
   */
  FileAttributes setattr(Caller caller, FileHandle handle, SetAttributes changes, Instant guardCtime)
      throws NfsException;

  /**
   * Finds a name in a directory. Needs search (execute) permission on the directory.
   *
   * @param caller who asks
   * @param directory the directory
   * @param name the name, or "." or ".."
   * @return the object and its attributes
   * @throws NfsException NOENT, NOTDIR, ACCES, NAMETOOLONG, STALE
   */
  FileEntry lookup(Caller caller, FileHandle directory, String name) throws NfsException;

  /**
   * Answers which of the requested {@link Access} bits the caller holds on an object.
   *
   * @param caller who asks
   * @param handle the object
   * @param requested a mask of {@link Access} bits
   * @return the granted subset of {@code requested}
   * @throws NfsException STALE, BADHANDLE
   */
  int access(Caller caller, FileHandle handle, int requested) throws NfsException;

  /**
   * Reads the target of a symbolic link. Optional ({@link Capability#SYMLINKS}); the default
   * answers NOTSUPP.
   *
   * @param caller who asks
   * @param handle the symlink
   * @return its target, exactly as stored
   * @throws NfsException INVAL when the object is not a symlink, NOTSUPP without
   *     {@link Capability#SYMLINKS}
   */
  default String readlink(Caller caller, FileHandle handle) throws NfsException {
    throw new NfsException(NfsStatus.NOTSUPP, "no symbolic links");
  }

  /**
   * Reads file data into {@code destination}, from its position up to its limit, at most
   * {@code destination.remaining()} bytes. Needs read permission (the owner may read a file
   * it may execute, as NFS servers allow). Reading at or past the end gives 0 bytes and eof.
   *
   * @param caller who asks
   * @param handle a regular file
   * @param offset where to start reading
   * @param destination where to put the bytes; its position advances by the count read
   * @return how many bytes were read and whether the end was reached
   * @throws NfsException ISDIR, INVAL (not a regular file), ACCES, IO
   */
  ReadResult read(Caller caller, FileHandle handle, long offset, ByteBuffer destination)
      throws NfsException;

  /**
   * Offers a range of file data for the server to send without copying it through the Java
   * heap (zero-copy, e.g. a Netty file region). Checks exactly what {@link #read} checks. A
   * backend that cannot offer a channel answers empty, and the server then calls {@link
   * #read}; the default always answers empty.
   *
   * @param caller who asks
   * @param handle a regular file
   * @param offset where to start reading
   * @param count the most bytes wanted
   * @return the range, which the server must {@link FileRegionSource#close() close}; or empty
   * @throws NfsException as {@link #read}
   */
  default Optional<FileRegionSource> readRegion(
      Caller caller, FileHandle handle, long offset, int count) throws NfsException {
    return Optional.empty();
  }

  /**
   * Writes {@code data}'s remaining bytes at {@code offset}, extending the file (a gap past
   * the old end becomes a hole of zeros). Needs write permission (the owner of a file may
   * write it regardless of mode, as NFS servers allow for open files). Once this returns with
   * {@link Stability#DATA_SYNC} or {@link Stability#FILE_SYNC}, the bytes must survive a
   * crash.
   *
   * @param caller who asks
   * @param handle a regular file
   * @param offset where to write
   * @param data the bytes; its position may be changed
   * @param stability the least durability the client asked for
   * @return the count written and the durability reached
   * @throws NfsException ISDIR, INVAL, ACCES, FBIG, NOSPC, DQUOT, IO
   */
  WriteResult write(Caller caller, FileHandle handle, long offset, ByteBuffer data, Stability stability)
      throws NfsException;

  /**
   * Makes earlier UNSTABLE writes in a range durable.
   *
   * @param caller who asks
   * @param handle a regular file
   * @param offset start of the range
   * @param count length of the range; 0 means to the end of the file
   * @throws NfsException IO, STALE
   */
  void commit(Caller caller, FileHandle handle, long offset, long count) throws NfsException;

  /**
   * Creates a regular file. Needs write and search permission on the directory.
   *
   * @param caller who asks; the new file belongs to it (uid, and gid unless the backend
   *     inherits the directory's group)
   * @param directory where
   * @param name the new name
   * @param mode how an existing name is treated
   * @param attributes initial attributes (for {@link CreateMode#EXCLUSIVE}: ignored, the
   *     server sets them with a later SETATTR)
   * @param verifier the client's verifier for {@link CreateMode#EXCLUSIVE}, else ignored
   * @return the file and its attributes
   * @throws NfsException EXIST, NOTDIR, ACCES, NAMETOOLONG, NOSPC, ISDIR (UNCHECKED over a
   *     directory)
   */
  FileEntry create(
      Caller caller,
      FileHandle directory,
      String name,
      CreateMode mode,
      SetAttributes attributes,
      long verifier)
      throws NfsException;

  /**
   * Creates a directory. Needs write and search permission on the parent.
   *
   * @param caller who asks
   * @param directory the parent
   * @param name the new name
   * @param attributes initial attributes (mode defaults to 0755 when null)
   * @return the directory and its attributes
   * @throws NfsException EXIST, NOTDIR, ACCES, NAMETOOLONG, NOSPC
   */
  FileEntry mkdir(Caller caller, FileHandle directory, String name, SetAttributes attributes)
      throws NfsException;

  /**
   * Creates a symbolic link. The target is stored verbatim and never interpreted. Optional
   * ({@link Capability#SYMLINKS}); the default answers NOTSUPP.
   *
   * @param caller who asks
   * @param directory the parent
   * @param name the new name
   * @param target the link's contents
   * @param attributes initial attributes (mode defaults to 0777)
   * @return the link and its attributes
   * @throws NfsException EXIST, NOTDIR, ACCES, NAMETOOLONG, NOTSUPP without
   *     {@link Capability#SYMLINKS}
   */
  default FileEntry symlink(
      Caller caller, FileHandle directory, String name, String target, SetAttributes attributes)
      throws NfsException {
    throw new NfsException(NfsStatus.NOTSUPP, "no symbolic links");
  }

  /**
   * Creates a special file: a device, socket or FIFO. Optional ({@link
   * Capability#SPECIAL_FILES}); the default answers NOTSUPP.
   *
   * @param caller who asks
   * @param directory the parent
   * @param name the new name
   * @param type one of BLOCK_DEVICE, CHAR_DEVICE, SOCKET, FIFO
   * @param attributes initial attributes
   * @param device the device number for devices, else ignored
   * @return the node and its attributes
   * @throws NfsException EXIST, ACCES, BADTYPE for other types, NOTSUPP without
   *     {@link Capability#SPECIAL_FILES}
   */
  default FileEntry mknod(
      Caller caller,
      FileHandle directory,
      String name,
      FileType type,
      SetAttributes attributes,
      DeviceNumber device)
      throws NfsException {
    throw new NfsException(NfsStatus.NOTSUPP, "no special files");
  }

  /**
   * Adds a hard link to an existing non-directory. Optional ({@link Capability#HARD_LINKS});
   * the default answers NOTSUPP.
   *
   * @param caller who asks
   * @param file the object to link to
   * @param directory where the new name goes
   * @param name the new name
   * @return the object's attributes after linking (nlink increased)
   * @throws NfsException EXIST, ISDIR (linking a directory), XDEV, MLINK, ACCES, NOTSUPP
   *     without {@link Capability#HARD_LINKS}
   */
  default FileAttributes link(Caller caller, FileHandle file, FileHandle directory, String name)
      throws NfsException {
    throw new NfsException(NfsStatus.NOTSUPP, "no hard links");
  }

  /**
   * Removes a non-directory name. Needs write and search permission on the directory (and,
   * with the sticky bit, ownership of the directory or the file).
   *
   * @param caller who asks
   * @param directory the parent
   * @param name the name
   * @throws NfsException NOENT, ISDIR (use {@link #rmdir}), ACCES, NOTDIR
   */
  void remove(Caller caller, FileHandle directory, String name) throws NfsException;

  /**
   * Removes an empty directory.
   *
   * @param caller who asks
   * @param directory the parent
   * @param name the directory's name
   * @throws NfsException NOENT, NOTDIR (not a directory), NOTEMPTY, ACCES, INVAL for "."
   */
  void rmdir(Caller caller, FileHandle directory, String name) throws NfsException;

  /**
   * Renames atomically, replacing an existing target of a compatible type (a file over a
   * file, a directory over an empty directory). Renaming an object onto itself (or onto
   * another hard link of the same object) succeeds without change. Moving a directory into
   * its own subtree fails with INVAL.
   *
   * @param caller who asks
   * @param fromDirectory the source directory
   * @param fromName the source name
   * @param toDirectory the target directory
   * @param toName the target name
   * @throws NfsException NOENT, EXIST or NOTEMPTY (non-empty directory target), ISDIR, NOTDIR,
   *     INVAL, XDEV, ACCES
   */
  void rename(
      Caller caller, FileHandle fromDirectory, String fromName, FileHandle toDirectory, String toName)
      throws NfsException;

  /**
   * Lists a directory, one page at a time. Cookies must stay valid while entries are added
   * and removed: resuming after cookie {@code c} lists every entry that existed throughout,
   * once, and no entry twice. Verifiers are advisory: a backend answers
   * {@link NfsStatus#BAD_COOKIE} only when a cookie truly cannot be resumed, never merely
   * because the verifier changed.
   *
   * <p>A backend that gives an unchanged entry again as the very same {@link DirectoryEntry}
   * instance, when the same page is listed again, spares the server encoding it again: the
   * server may answer with the bytes it wrote for that instance before. An instance given again
   * must therefore still be true (its attributes current as an answer made now would have
   * them); a backend that makes new entries for every call loses nothing.
   *
   * @param caller who asks; needs read permission on the directory
   * @param directory the directory
   * @param cookie 0 to start, else the cookie of the last entry the client received
   * @param verifier the verifier of the page that cookie came from (0 when starting)
   * @param maxEntries the most entries to return (at least 1)
   * @param withAttributes whether entries carry handles and attributes
   * @return the page
   * @throws NfsException NOTDIR, ACCES, BAD_COOKIE
   */
  DirectoryPage readdir(
      Caller caller,
      FileHandle directory,
      long cookie,
      long verifier,
      int maxEntries,
      boolean withAttributes)
      throws NfsException;

  /**
   * Reports space and file counts.
   *
   * @param caller who asks
   * @param handle any object of the file system
   * @return the figures
   * @throws NfsException STALE, IO
   */
  FsStat fsstat(Caller caller, FileHandle handle) throws NfsException;

  // ---- sparse files, space, server-side copy and clone (NFSv4.2, RFC 7862)

  /**
   * Finds where the next data or hole begins at or after {@code offset}, as lseek(2) does with
   * SEEK_DATA and SEEK_HOLE. Every file ends in a virtual hole that starts at its size. Needs
   * read permission. Called only when {@link #capabilities()} has {@link Capability#SEEK}; the
   * default answers NOTSUPP.
   *
   * @param caller who asks
   * @param handle a regular file
   * @param offset where to start looking
   * @param data true to find data, false to find a hole
   * @return where the data or hole begins ({@code >= offset}); -1 when looking for data and
   *     none lies at or after {@code offset}
   * @throws NfsException NXIO if {@code offset} is at or past the end of the file; ISDIR,
   *     INVAL (not a regular file), ACCES, STALE, BADHANDLE
   */
  default long seek(Caller caller, FileHandle handle, long offset, boolean data)
      throws NfsException {
    throw new NfsException(NfsStatus.NOTSUPP, "seek");
  }

  /**
   * Reserves storage for a range, so that later writes into it cannot fail for lack of space;
   * the file grows to {@code offset + length} if it was shorter. Data already there stays.
   * Needs write permission. Called only with {@link Capability#ALLOCATE}; the default answers
   * NOTSUPP.
   *
   * @param caller who asks
   * @param handle a regular file
   * @param offset the start of the range
   * @param length its length, more than zero
   * @return the file's attributes afterwards
   * @throws NfsException NOSPC, DQUOT, FBIG, ISDIR, INVAL, ACCES, STALE, BADHANDLE
   */
  default FileAttributes allocate(Caller caller, FileHandle handle, long offset, long length)
      throws NfsException {
    throw new NfsException(NfsStatus.NOTSUPP, "allocate");
  }

  /**
   * Turns a range into a hole: it reads as zeros afterwards and, where the storage allows,
   * uses no space ({@code used} drops). The size does not change, also when the range runs
   * past the end. Needs write permission. Called only with {@link Capability#DEALLOCATE}; the
   * default answers NOTSUPP.
   *
   * @param caller who asks
   * @param handle a regular file
   * @param offset the start of the range
   * @param length its length, more than zero
   * @return the file's attributes afterwards
   * @throws NfsException ISDIR, INVAL, ACCES, STALE, BADHANDLE
   */
  default FileAttributes deallocate(Caller caller, FileHandle handle, long offset, long length)
      throws NfsException {
    throw new NfsException(NfsStatus.NOTSUPP, "deallocate");
  }

  /**
   * Copies bytes from one file to another (or within one file, between ranges that do not
   * overlap) on the server's side. Copies {@code count} bytes, or up to the end of the source
   * when {@code count} is 0, and fewer when the source ends first; the destination grows as a
   * write would grow it. Once this returns, the copied bytes have at least the durability
   * {@code stability} asks. Needs read permission on the source and write permission on the
   * destination. Called only with {@link Capability#COPY}; the default answers NOTSUPP.
   *
   * @param caller who asks
   * @param source the file to read
   * @param sourceOffset where to start reading
   * @param destination the file to write
   * @param destinationOffset where to start writing
   * @param count how many bytes, or 0 for all up to the end of the source
   * @param stability the least durability asked for the copied bytes
   * @return how many bytes were copied
   * @throws NfsException INVAL (overlapping ranges in one file, a source offset past its end),
   *     ISDIR, ACCES, NOSPC, DQUOT, FBIG, IO, STALE, BADHANDLE
   */
  default long copy(Caller caller, FileHandle source, long sourceOffset, FileHandle destination,
      long destinationOffset, long count, Stability stability) throws NfsException {
    throw new NfsException(NfsStatus.NOTSUPP, "copy");
  }

  /**
   * Makes a range of {@code destination} share the storage of a range of {@code source}, so
   * that it reads the same bytes and costs no space until either file is written there. Clones
   * {@code count} bytes, or up to the end of the source when {@code count} is 0. A backend that
   * cannot share storage for these files (another device, a file system without reflinks)
   * answers NOTSUPP and never copies instead. Needs read permission on the source and write
   * permission on the destination. Called only with {@link Capability#CLONE}; the default
   * answers NOTSUPP.
   *
   * @param caller who asks
   * @param source the file to share from
   * @param sourceOffset the start of its range
   * @param destination the file to share into
   * @param destinationOffset the start of its range
   * @param count how many bytes, or 0 for all up to the end of the source
   * @throws NfsException NOTSUPP, INVAL (ranges not aligned as the storage needs, overlapping
   *     ranges in one file), ISDIR, ACCES, NOSPC, FBIG, STALE, BADHANDLE
   */
  default void clone(Caller caller, FileHandle source, long sourceOffset, FileHandle destination,
      long destinationOffset, long count) throws NfsException {
    throw new NfsException(NfsStatus.NOTSUPP, "clone");
  }

  // ---- extended attributes (RFC 8276): names as the client sends them, in the user namespace

  /** How {@link #setxattr} treats an attribute that exists or does not (RFC 8276 §8.4.2). */
  enum XattrMode {
    /** Create the attribute or replace its value. */
    EITHER,
    /** Create it; EXIST if it is already there. */
    CREATE,
    /** Replace its value; NOXATTR if it is not there. */
    REPLACE
  }

  /**
   * Reads an extended attribute. Needs read permission. Called only with {@link
   * Capability#XATTRS}; the default answers NOTSUPP.
   *
   * @param caller who asks
   * @param handle the object
   * @param name the attribute's name (without a namespace prefix such as {@code user.})
   * @return its value
   * @throws NfsException NOXATTR, XATTR2BIG, ACCES, STALE, BADHANDLE
   */
  default byte[] getxattr(Caller caller, FileHandle handle, String name) throws NfsException {
    throw new NfsException(NfsStatus.NOTSUPP, "getxattr");
  }

  /**
   * Creates or replaces an extended attribute, as {@code mode} says; the object's change
   * attribute and ctime move. Needs write permission. Called only with {@link
   * Capability#XATTRS}; the default answers NOTSUPP.
   *
   * @param caller who asks
   * @param handle the object
   * @param name the attribute's name (without a namespace prefix)
   * @param value its new value
   * @param mode whether it must or must not exist already
   * @return the object's attributes afterwards
   * @throws NfsException EXIST, NOXATTR, XATTR2BIG, NOSPC, ACCES, STALE, BADHANDLE
   */
  default FileAttributes setxattr(Caller caller, FileHandle handle, String name, byte[] value,
      XattrMode mode) throws NfsException {
    throw new NfsException(NfsStatus.NOTSUPP, "setxattr");
  }

  /**
   * Lists the names of an object's extended attributes, in an order that stays the same while
   * the set of names does not change (the server pages through it with cookies). Needs read
   * permission. Called only with {@link Capability#XATTRS}; the default answers NOTSUPP.
   *
   * @param caller who asks
   * @param handle the object
   * @return the names (without a namespace prefix)
   * @throws NfsException ACCES, STALE, BADHANDLE
   */
  default List<String> listxattrs(Caller caller, FileHandle handle) throws NfsException {
    throw new NfsException(NfsStatus.NOTSUPP, "listxattrs");
  }

  /**
   * Removes an extended attribute; the object's change attribute and ctime move. Needs write
   * permission. Called only with {@link Capability#XATTRS}; the default answers NOTSUPP.
   *
   * @param caller who asks
   * @param handle the object
   * @param name the attribute's name (without a namespace prefix)
   * @return the object's attributes afterwards
   * @throws NfsException NOXATTR, ACCES, STALE, BADHANDLE
   */
  default FileAttributes removexattr(Caller caller, FileHandle handle, String name)
      throws NfsException {
    throw new NfsException(NfsStatus.NOTSUPP, "removexattr");
  }

  /**
   * Tells the backend that a client opened a file (NFSv4 OPEN by an open-owner that had no
   * open of it), so that it may keep per-open state: the context says the access granted,
   * the access denied to others and the owner, and the backend may {@link
   * OpenContext#attach attach} an object to it, which it gets back on the READ and WRITE of
   * that open ({@link Caller#open()}) and on {@link #close}. Called after the server checked
   * the caller's permission and the share reservations; a file is opened once per owner, so
   * several opens of one file may be live at once. Every open that returns normally is
   * matched by exactly one {@link #close}; one that throws is not. NFSv3 has no open:
   * backends also cope with I/O on files never opened. This hook, {@link #openChanged} and
   * {@link #close} run while the server holds its NFSv4 state lock, so other opens, closes
   * and locks wait for them: keep them short. The default does nothing.
   *
   * @param caller who opens
   * @param handle the file
   * @param open the open: access, denial, owner, and where to attach the backend's object
   * @throws NfsException STALE, ACCES; the client's OPEN then fails with that status
   */
  default void open(Caller caller, FileHandle handle, OpenContext open) throws NfsException {}

  /**
   * Tells the backend that an open's access or denial changed: the owner opened the file
   * again with more (an OPEN upgrade) or gave some up (OPEN_DOWNGRADE). {@code open} is the
   * new context, carrying the attachment; later READ, WRITE and {@link #close} get it. The
   * change has already been granted: the backend cannot refuse it. The default does
   * nothing.
   *
   * @param handle the file
   * @param open the open with its new access and denial
   */
  default void openChanged(FileHandle handle, OpenContext open) {}

  /**
   * Ends one {@link #open}: the client closed it, or its state was taken away (lease
   * expiry, a client restart). Release what is attached to {@code open}. Not called for
   * opens still live when the server stops. The default does nothing.
   *
   * @param handle the file
   * @param open the open's context, as last given to the backend
   */
  default void close(FileHandle handle, OpenContext open) {}
}
