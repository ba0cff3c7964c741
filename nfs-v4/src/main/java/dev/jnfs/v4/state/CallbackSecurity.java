package dev.jnfs.v4.state;

import dev.jnfs.rpc.GssCallbackCredential;
import dev.jnfs.rpc.GssService;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * The credential the server puts on a 4.1 session's callbacks, chosen from the client's {@code
 * callback_sec_parms4} list (RFC 8881 §18.36.3, §18.33): AUTH_SYS when offered (its
 * authsys_parms sent as given), else AUTH_NONE when offered, else RPCSEC_GSS (§2.10.8.3): the
 * first {@code gss_cb_handles4} whose {@code gcbp_handle_from_server} names an established,
 * unexpired context of this server. Its callbacks then carry {@code gcbp_handle_from_client}
 * as the handle, with the service asked for, each checked as RFC 2203 §5.3 says ({@link
 * GssCallbackCredential}). A list offering only RPCSEC_GSS whose handles name no such context
 * is recorded as such: that session has no usable back channel, and its client gets no
 * delegations.
 *
 * <p>NFSv4.0 callbacks ({@link Callback40}) never use RPCSEC_GSS: they would need the
 * server's own initiator credentials for the client's callback principal (RFC 7530 §3.4).
 *
 * @param flavor AUTH_NONE (0), AUTH_SYS (1) or RPCSEC_GSS (6)
 * @param body the AUTH_SYS or AUTH_NONE credential's body
 * @param gss the RPCSEC_GSS credential when that is the flavor, else null
 * @param gssOnly whether the client offered nothing but RPCSEC_GSS, none of it usable
 */
record CallbackSecurity(int flavor, byte[] body, GssCallbackCredential gss, boolean gssOnly) {
  static final int AUTH_NONE = 0;
  static final int AUTH_SYS = 1;
  static final int RPCSEC_GSS = 6;
  static final CallbackSecurity NONE = new CallbackSecurity(AUTH_NONE, new byte[0], null, false);

  /**
   * Reads callback_sec_parms4&lt;&gt; and chooses.
   *
   * @param args the arguments, at the list
   * @param call the request, which finds the RPCSEC_GSS contexts
   */
  static CallbackSecurity decode(XdrDecoder args, RpcCall call) {
    int count = args.readArrayLength(16, 4);
    CallbackSecurity chosen = null;
    CallbackSecurity gss = null;
    boolean none = false;
    boolean gssOffered = false;
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
              chosen = new CallbackSecurity(AUTH_SYS, ByteBufUtil.getBytes(body), null, false);
            }
          } finally {
            body.release();
          }
        }
        case RPCSEC_GSS -> {
          gssOffered = true;
          GssService service = GssService.ofWire(args.readInt());
          byte[] fromServer = args.readOpaque(StateOps.OPAQUE_LIMIT);
          byte[] fromClient = args.readOpaque(StateOps.OPAQUE_LIMIT);
          if (service == null) {
            throw new XdrException("gcbp_service " + service);
          }
          GssCallbackCredential credential =
              gss == null && call != null ? call.gssCallbackCredential(fromServer, fromClient, service) : null;
          if (credential != null) {
            gss = new CallbackSecurity(RPCSEC_GSS, new byte[0], credential, false);
          }
        }
        default -> throw new XdrException("callback_sec_parms4 flavor " + flavor);
      }
    }
    if (chosen != null) {
      return chosen;
    }
    if (none || !gssOffered) {
      return NONE;
    }
    return gss != null ? gss : new CallbackSecurity(AUTH_NONE, new byte[0], null, true);
  }
}
