package dev.jnfs.v4;

import dev.jnfs.xdr.XdrEncoder;

/**
 * change_info4 (RFC 7530 §2.2.4, RFC 8881 §3.3.6): a directory's change attribute before and
 * after an operation that modified it, and whether the pair was taken atomically with it.
 *
 * @param atomic whether no other change can have come between before and after
 * @param before the change attribute before
 * @param after the change attribute after
 */
public record ChangeInfo(boolean atomic, long before, long after) {

  /** @param out where to encode this change_info4 */
  public void encode(XdrEncoder out) {
    out.writeBoolean(atomic);
    out.writeHyper(before);
    out.writeHyper(after);
  }
}
