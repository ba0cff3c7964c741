package dev.jnfs.v4.state;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * The credential the server puts on its callbacks, chosen from the client's {@code
 * callback_sec_parms4} list (RFC 8881 §18.36.3, §18.33): AUTH_SYS when offered (its
 * authsys_parms sent as given), else AUTH_NONE. A list offering only RPCSEC_GSS is recorded as
 * such: the server does not make RPCSEC_GSS callbacks, so such a session has no usable back
 * channel and its client gets no delegations.
 *
 * @param flavor AUTH_NONE (0) or AUTH_SYS (1)
 * @param body the credential's body
 * @param gssOnly whether the client offered nothing but RPCSEC_GSS
 */
record CallbackSecurity(int flavor, byte[] body, boolean gssOnly) {
  static final int AUTH_NONE = 0;
  static final int AUTH_SYS = 1;
  static final int RPCSEC_GSS = 6;
  static final CallbackSecurity NONE = new CallbackSecurity(AUTH_NONE, new byte[0], false);

  /** Reads callback_sec_parms4&lt;&gt; and chooses. */
  static CallbackSecurity decode(XdrDecoder args) {
    int count = args.readArrayLength(16, 4);
    CallbackSecurity chosen = null;
    boolean none = false;
    boolean gss = false;
    for (int i = 0; i < count; i++) {
      int flavor = args.readInt();
      switch (flavor) {
        case AUTH_NONE -> none = true;
        case AUTH_SYS -> {
          ByteBuf body = Unpooled.buffer();
          try {
            XdrEncoder e = new XdrEncoder(body);
            e.writeInt(args.readInt());
            e.writeOpaque(args.readOpaque(255));
            e.writeInt(args.readInt());
            e.writeInt(args.readInt());
            int gids = args.readArrayLength(16, 4);
            e.writeInt(gids);
            for (int g = 0; g < gids; g++) {
              e.writeInt(args.readInt());
            }
            if (chosen == null) {
              chosen = new CallbackSecurity(AUTH_SYS, ByteBufUtil.getBytes(body), false);
            }
          } finally {
            body.release();
          }
        }
        case RPCSEC_GSS -> {
          gss = true;
          args.readInt();
          args.readOpaque(StateOps.OPAQUE_LIMIT);
          args.readOpaque(StateOps.OPAQUE_LIMIT);
        }
        default -> throw new XdrException("callback_sec_parms4 flavor " + flavor);
      }
    }
    if (chosen != null) {
      return chosen;
    }
    if (none || !gss) {
      return NONE;
    }
    return new CallbackSecurity(AUTH_NONE, new byte[0], true);
  }
}
