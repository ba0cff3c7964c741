/**
 * The local file system backend: {@link dev.jnfs.localfs.LocalFileSystem} serves a directory
 * of any {@code java.nio.file} provider (the platform's disks on Linux, macOS and Windows, or
 * an in-memory provider such as jimfs) through the {@link dev.jnfs.spi.NfsFileSystem} SPI.
 *
 * <p>Inside: a crash-safe id index ({@code PersistentIdIndex}, a log in the state directory)
 * makes handles that survive restarts and renames; {@code ObjectResolver} turns them into
 * paths and checks the object found is still the same; {@code NameRules} confines names;
 * {@code AttributeAccess} maps each provider's attribute views to POSIX attributes; {@code
 * PermissionCheck} decides access; {@code ChannelCache} keeps file channels open; {@code
 * DirectoryLister} gives change-proof cookies. The operations themselves are grouped by kind:
 * {@code AttributeChanges}, {@code DirectoryReads}, {@code FileData}, {@code ObjectCreation}
 * and {@code RemoveAndRename}.
 */
package dev.jnfs.localfs;
