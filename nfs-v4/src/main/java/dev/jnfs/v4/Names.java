package dev.jnfs.v4;

import dev.jnfs.xdr.XdrDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes and checks the names (component4) NFSv4 operations carry (RFC 7530 §12.7, RFC 8881
 * §14.2–14.5): a name must be non-empty valid UTF-8 (else NFS4ERR_INVAL), contain neither
 * {@code '/'} (NFS4ERR_BADNAME) nor NUL (NFS4ERR_BADCHAR), must not be {@code "."} or
 * {@code ".."} (NFS4ERR_BADNAME: NFSv4 has LOOKUPP instead) and must fit the file system's
 * maximum length (NFS4ERR_NAMETOOLONG).
 */
public final class Names {
  /**
   * The longest name decoded at all (names have no protocol maximum): anything longer than
   * the file system's maximum but within this answers NAMETOOLONG, beyond it BADXDR.
   */
  static final int DECODE_LIMIT = 64 * 1024;

  private Names() {}

  /**
   * Reads and checks a component4.
   *
   * @param in a decoder at the component
   * @param maxLength the file system's maximum name length in bytes
   * @return the name
   * @throws Nfs4Exception INVAL, BADNAME, BADCHAR, NAMETOOLONG
   */
  public static String component(XdrDecoder in, int maxLength) throws Nfs4Exception {
    byte[] raw = in.readOpaque(DECODE_LIMIT);
    return check(raw, maxLength);
  }

  /**
   * Checks a name's bytes.
   *
   * @param raw the bytes as received
   * @param maxLength the file system's maximum name length in bytes
   * @return the name
   * @throws Nfs4Exception INVAL, BADNAME, BADCHAR, NAMETOOLONG
   */
  public static String check(byte[] raw, int maxLength) throws Nfs4Exception {
    if (raw.length == 0) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "empty name");
    }
    String name = utf8(raw);
    if (raw.length > maxLength) {
      throw new Nfs4Exception(Nfs4Status.NAMETOOLONG, "name of " + raw.length + " bytes");
    }
    for (byte b : raw) {
      if (b == 0) {
        throw new Nfs4Exception(Nfs4Status.BADCHAR, "NUL in name");
      }
      if (b == '/') {
        throw new Nfs4Exception(Nfs4Status.BADNAME, "'/' in name");
      }
    }
    if (name.equals(".") || name.equals("..")) {
      throw new Nfs4Exception(Nfs4Status.BADNAME, "'" + name + "' is not a name in NFSv4");
    }
    return name;
  }

  /**
   * @param raw bytes that must be UTF-8
   * @return the string
   * @throws Nfs4Exception INVAL when the bytes are not valid UTF-8 (RFC 8881 §14.4)
   */
  public static String utf8(byte[] raw) throws Nfs4Exception {
    boolean ascii = true;
    for (byte b : raw) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(raw, StandardCharsets.US_ASCII);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "name is not valid UTF-8");
    }
  }
}
