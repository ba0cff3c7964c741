package dev.jnfs.rpc;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;

/**
 * The body of an RPCSEC_GSS credential, {@code rpc_gss_cred_t} version 1 (RFC 2203 §5).
 *
 * @param procedure the control procedure ({@link #DATA}, {@link #INIT}, {@link
 *     #CONTINUE_INIT}, {@link #DESTROY})
 * @param sequence the seq_num, an unsigned 32-bit value
 * @param service the requested protection
 * @param handle the context handle, empty in a first INIT
 */
record GssCredentialBody(int procedure, int sequence, GssService service, byte[] handle) {
  /** RPCSEC_GSS_VERS_1. */
  static final int VERSION_1 = 1;
  /** rpc_gss_proc_t RPCSEC_GSS_DATA. */
  static final int DATA = 0;
  /** rpc_gss_proc_t RPCSEC_GSS_INIT. */
  static final int INIT = 1;
  /** rpc_gss_proc_t RPCSEC_GSS_CONTINUE_INIT. */
  static final int CONTINUE_INIT = 2;
  /** rpc_gss_proc_t RPCSEC_GSS_DESTROY. */
  static final int DESTROY = 3;

  /** The largest handle accepted; this server's handles are 16 bytes. */
  static final int MAX_HANDLE = 64;

  /**
   * Decodes a credential body. A wrong version, an unknown control procedure, a service
   * value RFC 2203 does not define (in a DATA or DESTROY request; creation requests ignore
   * it, §5.2.2), a handle that is too long or bytes left over are AUTH_BADCRED (§5.3.3.3).
   *
   * @param body the credential's opaque body, not modified
   * @return the decoded credential
   * @throws RpcException AUTH_BADCRED
   */
  static GssCredentialBody parse(ByteBuf body) {
    try {
      XdrDecoder d = new XdrDecoder(body.duplicate());
      int version = d.readInt();
      if (version != VERSION_1) {
        throw bad("RPCSEC_GSS version " + Integer.toUnsignedString(version));
      }
      int procedure = d.readInt();
      int sequence = d.readInt();
      int serviceValue = d.readInt();
      byte[] handle = d.readOpaque(MAX_HANDLE);
      if (d.remaining() != 0) {
        throw bad(d.remaining() + " bytes after rpc_gss_cred_t");
      }
      if (procedure < DATA || procedure > DESTROY) {
        throw bad("gss_proc " + procedure);
      }
      GssService service = GssService.ofWire(serviceValue);
      boolean creation = procedure == INIT || procedure == CONTINUE_INIT;
      if (service == null && !creation) {
        throw bad("service " + serviceValue);
      }
      return new GssCredentialBody(
          procedure, sequence, service == null ? GssService.NONE : service, handle);
    } catch (XdrException e) {
      throw bad("malformed rpc_gss_cred_t: " + e.getMessage());
    }
  }

  private static RpcException bad(String why) {
    return RpcException.authError(RpcException.AUTH_BADCRED, why);
  }
}
