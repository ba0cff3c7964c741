package dev.jnfs.spi;

/**
 * An object found or made by a directory operation: its handle and its attributes right
 * after the operation.
 *
 * @param handle the object's handle
 * @param attributes its attributes
 */
public record FileEntry(FileHandle handle, FileAttributes attributes) {}
