package dev.jnfs.spi;

/**
 * One entry of a directory listing.
 *
 * @param name the entry's name as stored
 * @param fileid the entry's file id (equal to its attributes' fileid)
 * @param cookie the position just after this entry; passing it back resumes the listing there.
 *     Never 0, 1 or 2 (reserved by clients and by the server for "." and "..").
 * @param handle the entry's handle, or null when the listing was asked without attributes
 * @param attributes the entry's attributes, or null when asked without attributes
 */
public record DirectoryEntry(
    String name, long fileid, long cookie, FileHandle handle, FileAttributes attributes) {}
