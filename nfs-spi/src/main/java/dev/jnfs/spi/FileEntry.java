package dev.jnfs.spi;

/**
 * An object found or made by a directory operation: its handle and its attributes right
 * after the operation.
 *
 * @param handle the object's handle
 * @param attributes its attributes
 * @param directory the attributes of the directory the operation looked in, as the backend saw
 *     them, or null; a LOOKUP reply carries them (NFSv3's dir_attributes) without another
 *     {@link NfsFileSystem#getattr}
 */
public record FileEntry(FileHandle handle, FileAttributes attributes, FileAttributes directory) {
  /**
   * An entry without the directory's attributes.
   *
   * @param handle the object's handle
   * @param attributes its attributes
   */
  public FileEntry(FileHandle handle, FileAttributes attributes) {
    this(handle, attributes, null);
  }
}
