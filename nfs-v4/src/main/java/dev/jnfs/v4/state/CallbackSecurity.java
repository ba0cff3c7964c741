package dev.jnfs.v4.state;

import dev.jnfs.rpc.GssCallbackCredential;
import dev.jnfs.rpc.GssService;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * The credential the server puts on a 4.1 session's callbacks, chosen from the client's {@code
 * callback_sec_parms4} list (RFC 8881 §18.36.3, §18.33, §2.10.8.2): AUTH_SYS when offered (its
 * authsys_parms sent as given), else AUTH_NONE when offered, else RPCSEC_GSS: the first {@code
 * gss_cb_handles4}, whose {@code gcbp_handle_from_server} must name an established context of
 * this server (else NOENT, §18.36.3, §18.33.3). Its callbacks carry {@code
 * gcbp_handle_from_client} as the handle, with the service asked for, each checked as RFC 2203
 * §5.3 says ({@link GssCallbackCredential}). While that context is expired or gone, the session
 * has no usable back channel and its client gets no delegations. The handles of a list that
 * also offers AUTH_SYS or AUTH_NONE are not looked at, as they are not used.
 *
 * <p>NFSv4.0 callbacks ({@link Callback40}) never use RPCSEC_GSS: they would need the
 * server's own initiator credentials for the client's callback principal (RFC 7530 §3.3.3).
 *
 * @param flavor AUTH_NONE (0), AUTH_SYS (1) or RPCSEC_GSS (6)
 * @param body the AUTH_SYS or AUTH_NONE credential's body
 * @param gss the RPCSEC_GSS credential when that is the flavor, else null
 */
record CallbackSecurity(int flavor, byte[] body, GssCallbackCredential gss) {
  static final int AUTH_NONE = 0;
  static final int AUTH_SYS = 1;
  static final int RPCSEC_GSS = 6;
  static final CallbackSecurity NONE = new CallbackSecurity(AUTH_NONE, new byte[0], null);

  /**
   * Reads callback_sec_parms4&lt;&gt; and chooses.
   *
   * @param args the arguments, at the list
   * @param call the request, which finds the RPCSEC_GSS contexts
   * @throws Nfs4Exception NOENT when RPCSEC_GSS is chosen and its handle names no context
   */
  static CallbackSecurity decode(XdrDecoder args, RpcCall call) throws Nfs4Exception {
    int count = args.readArrayLength(16, 4);
    CallbackSecurity chosen = null;
    GssHandles gss = null;
    boolean none = false;
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
              chosen = new CallbackSecurity(AUTH_SYS, ByteBufUtil.getBytes(body), null);
            }
          } finally {
            body.release();
          }
        }
        case RPCSEC_GSS -> {
          int wireService = args.readInt();
          GssService service = GssService.ofWire(wireService);
          byte[] fromServer = args.readOpaque(StateOps.OPAQUE_LIMIT);
          byte[] fromClient = args.readOpaque(StateOps.OPAQUE_LIMIT);
          if (service == null) {
            throw new XdrException("gcbp_service " + wireService);
          }
          if (gss == null) {
            gss = new GssHandles(service, fromServer, fromClient);
          }
        }
        default -> throw new XdrException("callback_sec_parms4 flavor " + flavor);
      }
    }
    if (chosen != null) {
      return chosen;
    }
    if (none || gss == null) {
      return NONE;
    }
    GssCallbackCredential credential =
        call == null ? null : call.gssCallbackCredential(gss.fromServer(), gss.fromClient(), gss.service());
    if (credential == null) {
      throw new Nfs4Exception(Nfs4Status.NOENT, "gcbp_handle_from_server names no RPCSEC_GSS context");
    }
    return new CallbackSecurity(RPCSEC_GSS, new byte[0], credential);
  }

  /** One gss_cb_handles4. */
  private record GssHandles(GssService service, byte[] fromServer, byte[] fromClient) {}
}
