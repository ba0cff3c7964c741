package dev.jnfs.spi;

/**
 * The outcome of a write.
 *
 * @param count the bytes written (all of them unless the device filled up)
 * @param committed the stability actually reached, at least the requested one
 * @param before the file's attributes just before the bytes went in, or null; NFSv3 sends them
 *     as the pre-operation half of WRITE's wcc_data, which lets a client that sees only its own
 *     change keep its cache (RFC 1813 §2.6). Without them the reply has no pre-operation
 *     attributes and clients revalidate instead.
 */
public record WriteResult(int count, Stability committed, FileAttributes before) {
  /**
   * A result without pre-write attributes.
   *
   * @param count the bytes written
   * @param committed the stability actually reached
   */
  public WriteResult(int count, Stability committed) {
    this(count, committed, null);
  }
}
