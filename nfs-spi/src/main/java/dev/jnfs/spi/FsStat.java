package dev.jnfs.spi;

/**
 * Space and file counts of a file system (NFSv3 FSSTAT, NFSv4 space_* and files_*).
 *
 * @param totalBytes the size of the file system in bytes
 * @param freeBytes the free bytes
 * @param availableBytes the free bytes available to the caller
 * @param totalFiles the number of file slots (inodes)
 * @param freeFiles the free file slots
 * @param availableFiles the free file slots available to the caller
 */
public record FsStat(
    long totalBytes,
    long freeBytes,
    long availableBytes,
    long totalFiles,
    long freeFiles,
    long availableFiles) {}
