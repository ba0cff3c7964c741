package dev.jnfs.protocol;

import dev.jnfs.spi.FileHandle;

/**
 * A client's file handle taken apart: the export it names and the backend's handle.
 *
 * @param export the export
 * @param handle the backend handle
 */
public record ExportHandle(Export export, FileHandle handle) {}
