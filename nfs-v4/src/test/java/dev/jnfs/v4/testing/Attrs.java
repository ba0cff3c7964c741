package dev.jnfs.v4.testing;

import dev.jnfs.v4.Bitmap4;
import dev.jnfs.v4.Fattr4;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A decoded fattr4: the returned bitmap and each attribute's value, as Long (64-bit numbers),
 * Integer (32-bit numbers, type, mode), Boolean, String (owner), byte[] (filehandle),
 * {@code long[]{major, minor}} (fsid, rawdev), Instant (times) or Bitmap4.
 *
 * @param bitmap the attributes returned
 * @param values their values by number
 * @param raw the attr_vals bytes as received
 */
public record Attrs(Bitmap4 bitmap, Map<Integer, Object> values, byte[] raw) {

  /**
   * @param attribute an attribute number
   * @return its value, or null when not returned
   */
  public Object get(int attribute) {
    return values.get(attribute);
  }

  /**
   * @param attribute a numeric attribute
   * @return its value as a long
   */
  public long number(int attribute) {
    return ((Number) values.get(attribute)).longValue();
  }

  static Attrs decode(XdrDecoder in) {
    Bitmap4 bitmap = Bitmap4.decode(in);
    byte[] raw = in.readOpaque(1 << 20);
    ByteBuf buf = Unpooled.wrappedBuffer(raw);
    XdrDecoder v = new XdrDecoder(buf);
    Map<Integer, Object> values = new TreeMap<>();
    for (int a = 0; a < Bitmap4.WORDS * 32; a++) {
      if (bitmap.contains(a)) {
        values.put(a, value(a, v));
      }
    }
    if (v.remaining() != 0) {
      throw new IllegalStateException(v.remaining() + " bytes after the attributes");
    }
    return new Attrs(bitmap, values, raw);
  }

  private static Object value(int a, XdrDecoder v) {
    return switch (a) {
      case Fattr4.SUPPORTED_ATTRS, Fattr4.SUPPATTR_EXCLCREAT -> Bitmap4.decode(v);
      case Fattr4.TYPE, Fattr4.FH_EXPIRE_TYPE, Fattr4.LEASE_TIME, Fattr4.RDATTR_ERROR,
          Fattr4.ACLSUPPORT, Fattr4.MAXLINK, Fattr4.MAXNAME, Fattr4.MODE, Fattr4.NUMLINKS,
          Fattr4.CLONE_BLKSIZE, Fattr4.CHANGE_ATTR_TYPE ->
          v.readInt();
      case Fattr4.LINK_SUPPORT, Fattr4.SYMLINK_SUPPORT, Fattr4.NAMED_ATTR, Fattr4.UNIQUE_HANDLES,
          Fattr4.CANSETTIME, Fattr4.CASE_INSENSITIVE, Fattr4.CASE_PRESERVING,
          Fattr4.CHOWN_RESTRICTED, Fattr4.HOMOGENEOUS, Fattr4.NO_TRUNC, Fattr4.XATTR_SUPPORT ->
          v.readBoolean();
      case Fattr4.FSID -> new long[] {v.readHyper(), v.readHyper()};
      case Fattr4.RAWDEV -> new long[] {v.readInt(), v.readInt()};
      case Fattr4.FILEHANDLE -> v.readOpaque(128);
      case Fattr4.OWNER, Fattr4.OWNER_GROUP -> new String(v.readOpaque(1024), StandardCharsets.UTF_8);
      case Fattr4.TIME_ACCESS, Fattr4.TIME_DELTA, Fattr4.TIME_METADATA, Fattr4.TIME_MODIFY ->
          Instant.ofEpochSecond(v.readHyper(), v.readUnsignedInt());
      default -> v.readHyper();
    };
  }

  /** @return a builder of a fattr4 to send */
  public static Builder set() {
    return new Builder();
  }

  /** Builds a fattr4 to send in SETATTR, CREATE, VERIFY: values in attribute order. */
  public static final class Builder {
    private final TreeMap<Integer, Consumer<XdrEncoder>> values = new TreeMap<>();
    private Bitmap4 extraBits = Bitmap4.EMPTY;

    /**
     * @param attribute any attribute number
     * @param value encodes its value
     * @return this
     */
    public Builder raw(int attribute, Consumer<XdrEncoder> value) {
      values.put(attribute, value);
      return this;
    }

    /**
     * @param mode permission bits
     * @return this
     */
    public Builder mode(int mode) {
      return raw(Fattr4.MODE, e -> e.writeInt(mode));
    }

    /**
     * @param size the size
     * @return this
     */
    public Builder size(long size) {
      return raw(Fattr4.SIZE, e -> e.writeHyper(size));
    }

    /**
     * @param owner the owner string
     * @return this
     */
    public Builder owner(String owner) {
      return raw(Fattr4.OWNER, e -> e.writeString(owner));
    }

    /**
     * @param group the owner_group string
     * @return this
     */
    public Builder group(String group) {
      return raw(Fattr4.OWNER_GROUP, e -> e.writeString(group));
    }

    /**
     * @param time the client time for time_modify_set
     * @return this
     */
    public Builder mtime(Instant time) {
      return raw(Fattr4.TIME_MODIFY_SET,
          e -> e.writeInt(1).writeHyper(time.getEpochSecond()).writeInt(time.getNano()));
    }

    /** @return this with time_access_set to the server's time */
    public Builder atimeNow() {
      return raw(Fattr4.TIME_ACCESS_SET, e -> e.writeInt(0));
    }

    /**
     * Sets bits without values (hostile input).
     *
     * @param bits the bits
     * @return this
     */
    public Builder bits(Bitmap4 bits) {
      this.extraBits = bits;
      return this;
    }

    /** @param out where to encode the fattr4 */
    public void encode(XdrEncoder out) {
      int[] attrs = values.keySet().stream().mapToInt(Integer::intValue).toArray();
      Bitmap4.of(attrs).or(extraBits).encode(out);
      int lengthIndex = out.reserveInt();
      int start = out.buffer().writerIndex();
      values.values().forEach(v -> v.accept(out));
      out.patchInt(lengthIndex, out.buffer().writerIndex() - start);
    }
  }
}
