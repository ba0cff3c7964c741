package dev.jnfs.v4;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An NFSv4 stateid4 (RFC 7530 §9.1.4, RFC 8881 §8.2): a 32-bit seqid and 12 opaque bytes.
 * Immutable; equality by content. The special stateids of RFC 8881 §8.2.3 are constants
 * here: {@link #ANONYMOUS} (all zeros), {@link #BYPASS} (all ones, READ bypass),
 * {@link #CURRENT} (4.1: use the COMPOUND's current stateid) and {@link #INVALID}.
 */
public final class Stateid {
  /** The length of the {@code other} field. */
  public static final int OTHER_LENGTH = 12;

  /** The anonymous stateid: seqid 0, other all zeros. */
  public static final Stateid ANONYMOUS = new Stateid(0, new byte[OTHER_LENGTH]);
  /** The READ bypass stateid: seqid and other all ones. */
  public static final Stateid BYPASS = new Stateid(-1, filled((byte) 0xFF));
  /** The current stateid (4.1): seqid 1, other all zeros. */
  public static final Stateid CURRENT = new Stateid(1, new byte[OTHER_LENGTH]);
  /** The invalid stateid (4.1): seqid 0xFFFFFFFF, other all zeros. */
  public static final Stateid INVALID = new Stateid(-1, new byte[OTHER_LENGTH]);

  private final int seqid;
  private final byte[] other;

  private Stateid(int seqid, byte[] other) {
    this.seqid = seqid;
    this.other = other;
  }

  private static byte[] filled(byte b) {
    byte[] a = new byte[OTHER_LENGTH];
    Arrays.fill(a, b);
    return a;
  }

  /**
   * @param seqid the seqid
   * @param other the 12 opaque bytes (copied)
   * @return the stateid
   */
  public static Stateid of(int seqid, byte[] other) {
    if (other.length != OTHER_LENGTH) {
      throw new IllegalArgumentException("stateid other must be 12 bytes, not " + other.length);
    }
    return new Stateid(seqid, other.clone());
  }

  /**
   * @param in a decoder at a stateid4
   * @return the decoded stateid
   */
  public static Stateid decode(XdrDecoder in) {
    int seqid = in.readInt();
    return new Stateid(seqid, in.readFixedOpaque(OTHER_LENGTH));
  }

  /** @param out where to encode this stateid4 */
  public void encode(XdrEncoder out) {
    out.writeInt(seqid);
    out.writeFixedOpaque(other);
  }

  /** @return the seqid */
  public int seqid() {
    return seqid;
  }

  /** @return a copy of the 12 opaque bytes */
  public byte[] other() {
    return other.clone();
  }

  /** @return whether this is the anonymous or the READ bypass stateid */
  public boolean isAnonymousOrBypass() {
    return equals(ANONYMOUS) || equals(BYPASS);
  }

  /** @return whether {@code other} is all zeros or all ones (a special stateid, RFC 8881 §8.2.3) */
  public boolean isSpecial() {
    byte first = other[0];
    if (first != 0 && first != (byte) 0xFF) {
      return false;
    }
    for (byte b : other) {
      if (b != first) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Stateid s && s.seqid == seqid && Arrays.equals(s.other, other);
  }

  @Override
  public int hashCode() {
    return 31 * seqid + Arrays.hashCode(other);
  }

  @Override
  public String toString() {
    return "Stateid[" + Integer.toUnsignedString(seqid) + ":" + HexFormat.of().formatHex(other) + "]";
  }
}
