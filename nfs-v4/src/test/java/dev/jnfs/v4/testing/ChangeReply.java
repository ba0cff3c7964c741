package dev.jnfs.v4.testing;

import dev.jnfs.v4.Bitmap4;
import dev.jnfs.xdr.XdrDecoder;

/**
 * A change_info4, and for CREATE the attrset that follows it.
 *
 * @param atomic the atomic flag
 * @param before change before
 * @param after change after
 * @param attrset CREATE's attrset, else null
 */
public record ChangeReply(boolean atomic, long before, long after, Bitmap4 attrset) {
  static ChangeReply decode(XdrDecoder in) {
    return new ChangeReply(in.readBoolean(), in.readHyper(), in.readHyper(), null);
  }

  static ChangeReply decodeCreate(XdrDecoder in) {
    return new ChangeReply(in.readBoolean(), in.readHyper(), in.readHyper(), Bitmap4.decode(in));
  }
}
