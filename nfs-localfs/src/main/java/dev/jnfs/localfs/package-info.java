/**
 * The local file system backend: {@link dev.jnfs.localfs.LocalFileSystem} serves a directory
 * of any {@code java.nio.file} provider (the platform's disks on Linux, macOS and Windows, or
 * an in-memory provider such as jimfs) through the {@link dev.jnfs.spi.NfsFileSystem} SPI.
 *
 * <p>Inside: a crash-safe id index ({@code PersistentIdIndex}, a log in the state directory)
 * makes handles that survive restarts and renames; {@code ObjectResolver} turns them into
 * paths and checks the object found is still the same, and that no directory above it was
 * replaced by a symlink; {@code ConfinedFiles} opens files walking from the root without
 * following a symlink anywhere (closing the window between that check and the open where the
 * provider has {@code SecureDirectoryStream}); {@code NameRules} confines names;
 * {@code AttributeAccess} maps each provider's attribute views to POSIX attributes; {@code
 * PermissionCheck} decides access; {@code ChannelCache} keeps file channels open; {@code
 * DirectoryLister} gives change-proof cookies; {@code KeptAttributes} gives listings, GETATTR
 * and LOOKUP the attributes read before of objects that have not changed since. The operations
 * themselves are grouped by kind:
 * {@code AttributeChanges}, {@code DirectoryReads}, {@code FileData}, {@code ObjectCreation},
 * {@code RemoveAndRename}, {@code HolesAndSpace} (SEEK, ALLOCATE, DEALLOCATE), {@code
 * ServerSideCopy} (COPY, CLONE) and {@code ExtendedAttributes} (the xattr calls, through
 * {@code UserDefinedFileAttributeView}).
 *
 * <h2>Confinement against another program on the host</h2>
 *
 * A handle resolves to a path inside the root, and STALE when any directory on that path is
 * no longer a directory (a symlink put in its place) or the object found is not the one the
 * handle was given to. File data is reached, directories listed, and names removed and
 * renamed, relative to directories opened one by one from the root without following
 * symlinks ({@code ConfinedFiles}), so no byte outside the root is read or written even when a
 * directory is swapped between that check and the operation.
 *
 * <p>On Linux with the native calls (JDK 22 and later, the platform's provider), everything
 * else is made relative to a directory too ({@code NativeFiles.Confined}, which holds the
 * root open): making directories, symlinks, hard links and nodes ({@code mkdirat}, {@code
 * symlinkat}, {@code linkat}, {@code mknodat}), changing mode, owner and times ({@code
 * fchmodat}, {@code fchownat}, {@code utimensat}, never following the last component),
 * reading a symlink ({@code readlinkat}), finding holes, reserving and punching space and
 * sharing blocks (the file opened with {@code openat}), and every attribute read, the
 * handle's check included ({@code statx}). The directory is reached
 * by one {@code openat2} with {@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS} (Linux 5.6 and
 * later), else by one {@code O_NOFOLLOW} open per component; a symlink on the way fails the
 * call (ELOOP, answered STALE), so that check needs no {@code lstat} of each directory above
 * the object. Size changes go through a channel opened by the confined walk. Elsewhere (JDK
 * 21, other systems, other providers) those calls still go by path after the check: a swap in
 * the window of a few system calls between the two can make them act outside the root, or
 * read the attributes of an object there (never its data).
 *
 * <h2>Native calls and JDK 21</h2>
 *
 * What {@code java.nio} cannot do — find holes, reserve and punch space, share blocks between
 * files, read a file's block count, make sockets and devices, watch directories for changes
 * ({@code inotify}) — {@code NativeFiles} does with
 * Linux system calls ({@code SpecialNodes} falls back to {@code Fifos}, FIFOs only, without them); {@code
 * ErrnoException} carries their errno and maps it to a status, and {@code NativeProbe} learns
 * at start which of them the export's file system has (a sparse write, {@code fallocate} and a
 * reflink tried in the state directory). The implementation, {@code LinuxNativeFiles}, uses
 * the Foreign Function &amp; Memory API, final only since JDK 22, while the library runs on
 * JDK 21: it is compiled with {@code --release 22} into {@code META-INF/versions/22} of the
 * multi-release jar, and it is the only class there (none is replaced), so that the base
 * classes find it by name or, on JDK 21, do not, and then report those capabilities as
 * absent. A reflective branch in one class would have needed the API at compile time for 21
 * and a baseline change to 22 would drop JDK 21 users; the multi-release layer keeps both. The
 * native calls open the file again by its path ({@code O_NOFOLLOW}) instead of reaching into a
 * {@code FileChannel} for its descriptor, which would need JDK internals. COPY needs none of
 * this: {@code FileChannel.transferTo} between two file channels is {@code copy_file_range} on
 * Linux (one system call for 256 MiB, about 0.1 s on ext4 here) and a plain loop elsewhere.
 *
 * <h2>System calls per object</h2>
 *
 * Where the native calls exist, an attribute read is one {@code statx} giving every field at
 * once (the JDK's read plus the block count would be two), relative to the object's directory:
 * for an object in the root that is all, deeper the {@code openat2} reaching the directory and
 * its {@code close} are two more (three in all at any depth, where the check of each directory
 * above cost one {@code statx} per level). A READDIR page reads its entries'
 * attributes relative to the directory opened once ({@code AttributeAccess.readAll}); a
 * listing kept for paging ({@code ListingCache}) remembers the node each name was bound to,
 * so listing it again costs per entry one lookup by id in the index's {@code NodeTable} (is
 * the node still the index's, and the object still it?), with no file key text built or read
 * ({@code FileKey} compares the numbers {@code statx} gave with the numbers a node keeps, read
 * from the log's text once, when the index is loaded). With attributes, it also costs a {@code
 * statx} per entry only for entries whose attributes are not kept ({@code KeptAttributes}):
 * the directory is watched with {@code inotify} from its first such listing, and a regular
 * file or symlink with one link keeps the attributes read until an event names it, its
 * directory's events are lost, or for one second at most, which bounds what {@code inotify}
 * does not report (writes through another program's shared memory mapping, a hard link made
 * to the file from another directory); directories and hard-linked files are read every time.
 * A listing of an unchanged directory of files thus costs one {@code read} of the event queue
 * per page and one {@code statx} per entry per second, instead of one per entry per listing.
 * The kept listing also holds, per entry, the attributes kept for it (no lookup by name while
 * no event dropped them) and the entry made last time, given again while its node is still
 * the index's (compared by reference), its attributes are the very ones kept and the object's
 * change count has not moved. A page all of whose entries were so given again is kept too,
 * and given again whole, with no entry looked at, while three counts say that none of those
 * inputs moved for any entry: the index's replaced or removed nodes, the backend's changes to
 * any object, and the changes to the directory's kept attributes (read after the event
 * queue; the oldest of the page's still under the one-second bound). GETATTR, ACCESS and
 * LOOKUP of such a file in the root or a directory right below it use the same kept
 * attributes (its directory watched from the
 * second read of one of its entries, so that a walk over a tree does not watch every
 * directory it passes; deeper, a move of a directory in between would go unseen), and a
 * watched directory keeps its own attributes until any event of its watch: a GETATTR of an unchanged file costs one {@code
 * read} of the event queue instead of {@code openat2}, {@code statx} and {@code close}. The
 * backend forecasts such reads as not blocking ({@code readsAttributesWithoutBlocking}), and a
 * READ of a range of a file read before whose pages the page cache holds ({@code
 * readsDataWithoutBlocking}: {@code cachestat}, Linux 6.5 and later, on a descriptor the
 * channel cache opens beside the file's channel at its first read and closes with it), so the
 * server runs them on its network threads instead of handing them to a worker. A READ finds
 * its file through the kept attributes too, and forgets them after the read only where the
 * mount says the read may have moved the access time ({@code AccessTimes}: always but under
 * {@code noatime}, or {@code relatime} with an access time after the modification and change
 * times and less than a day old).
 * Where there is no {@code inotify} (JDK 21, other systems, other providers, network and FUSE
 * file systems) every entry is read every time. REMOVE of a file is one {@code unlinkat} in
 * its directory, reached by {@code openat2} ({@code Files.delete} would {@code lstat} first),
 * and the JDK's confined walk
 * starts from the root's directory stream, held open, instead of opening the root again. The
 * ids a page gives to names seen for the first time reach the index's log in one write for
 * the page ({@code PersistentIdIndex.batchingWrites}). Creating, writing (FILE_SYNC) and
 * removing a small file thus costs, beyond open, write, fsync, close and unlink, five {@code
 * statx} (the directory and the file for CREATE and for REMOVE, the file for WRITE: each
 * handle is checked before use; each check of an object deeper than the root's own entries
 * also opens and closes the directory above it), an {@code fsync} of the new file and the
 * open, {@code fsync} and close of its directory, which commit CREATE (RFC 1813 section 1.6:
 * CREATE is synchronous), the same for the directory REMOVE changed, and two unforced index
 * records (the new id, its removal); calls forcing the same directory at the same time share
 * one {@code fsync} of it begun after all of them ({@code DirectoryForces}, group commit), so
 * with many calls in flight a directory costs a few flushes instead of one per call. The
 * benchmark {@code ListingAndSmallFileBenchmark} covers both paths. MKDIR, SYMLINK, MKNOD, RMDIR, RENAME and LINK likewise force each
 * directory whose entries they changed before they answer (and MKDIR the new directory,
 * LINK a regular file's raised link count).
 */
package dev.jnfs.localfs;
