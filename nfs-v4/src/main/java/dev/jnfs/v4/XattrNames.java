package dev.jnfs.v4;

import dev.jnfs.xdr.XdrDecoder;

/**
 * Decodes the extended attribute names (xattrkey4, a component4) of GETXATTR, SETXATTR and
 * REMOVEXATTR (RFC 8276 §8.4). A name arrives without its namespace: the Linux client strips
 * {@code user.} and sends the rest. RFC 8276 §8.2.1 sets no limit of its own, so the limits of
 * the clients' file systems apply: Linux takes at most 255 bytes for the whole name ({@code
 * XATTR_NAME_MAX}), which leaves {@link #MAX_LENGTH} after {@code user.}; longer answers
 * NAMETOOLONG, an empty name or invalid UTF-8 INVAL, a NUL BADCHAR.
 */
final class XattrNames {
  /** The longest name: 255 bytes less the five of {@code user.}. */
  static final int MAX_LENGTH = 255 - "user.".length();
  /**
   * The largest value SETXATTR stores: Linux's {@code XATTR_SIZE_MAX}, 64 KiB; larger answers
   * XATTR2BIG (RFC 8276 §8.4.2.3 lets a server impose such a limit).
   */
  static final int MAX_VALUE_SIZE = 64 * 1024;

  private XattrNames() {}

  /**
   * @param in a decoder at the xattrkey4
   * @return the name
   * @throws Nfs4Exception INVAL, NAMETOOLONG, BADCHAR
   */
  static String decode(XdrDecoder in) throws Nfs4Exception {
    byte[] raw = in.readOpaque(Names.DECODE_LIMIT);
    if (raw.length == 0) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "empty extended attribute name");
    }
    if (raw.length > MAX_LENGTH) {
      throw new Nfs4Exception(
          Nfs4Status.NAMETOOLONG, "extended attribute name of " + raw.length + " bytes");
    }
    for (byte b : raw) {
      if (b == 0) {
        throw new Nfs4Exception(Nfs4Status.BADCHAR, "NUL in extended attribute name");
      }
    }
    return Names.utf8(raw);
  }
}
