package dev.jnfs.spi;

import java.time.Instant;

/**
 * The attributes of one object at one moment. Immutable.
 *
 * @param type the object's kind
 * @param mode the permission bits and set-id/sticky bits (low 12 bits, as in POSIX)
 * @param nlink the number of hard links
 * @param uid the owner's user id
 * @param gid the owner's group id
 * @param size the size in bytes (for a symlink: the target's length)
 * @param used the bytes of storage actually used (less than size for a sparse file)
 * @param rdev the device number for block and character devices, else {@link DeviceNumber#NONE}
 * @param fsid the file-system id; equal for all objects of one backend instance
 * @param fileid a number unique among the backend's live objects, stable for the object's life
 * @param atime the last access time
 * @param mtime the last data modification time
 * @param ctime the last attribute or data change time
 * @param change a value that differs after every data or metadata change of the object
 *     (NFSv4 change attribute); backends without one may return ctime in nanoseconds
 */
public record FileAttributes(
    FileType type,
    int mode,
    int nlink,
    int uid,
    int gid,
    long size,
    long used,
    DeviceNumber rdev,
    long fsid,
    long fileid,
    Instant atime,
    Instant mtime,
    Instant ctime,
    long change) {}
