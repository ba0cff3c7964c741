package dev.jnfs.xdr;

/** XDR constants and arithmetic shared by the encoder and the decoder. */
public final class Xdr {
  /** The XDR unit: every item occupies a multiple of four bytes (RFC 4506 §3). */
  public static final int UNIT = 4;

  private Xdr() {}

  /**
   * @param length an unpadded opaque length
   * @return the number of zero bytes that follow it on the wire (0 to 3)
   */
  public static int pad(int length) {
    return -length & 3;
  }

  /**
   * @param length an unpadded opaque length
   * @return the length rounded up to the XDR unit
   */
  public static int padded(int length) {
    return (length + 3) & ~3;
  }
}
