package dev.jnfs.rpc;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;

/**
 * AUTH_SYS (RFC 5531 appendix A): {@code authsys_parms} with a machine name of at most 255
 * bytes and at most 16 supplementary groups. Anything malformed, too long or with bytes left
 * over is AUTH_BADCRED.
 */
final class AuthSysFlavor implements AuthFlavor {
  static final int MAX_MACHINE_NAME = 255;
  static final int MAX_GIDS = 16;

  @Override
  public int flavor() {
    return Credential.AUTH_SYS;
  }

  @Override
  public Credential authenticate(ByteBuf credentialBody, int verifierFlavor, ByteBuf verifierBody) {
    Credential.Sys sys;
    try {
      XdrDecoder d = new XdrDecoder(credentialBody);
      int stamp = d.readInt();
      String machineName = d.readString(MAX_MACHINE_NAME);
      int uid = d.readInt();
      int gid = d.readInt();
      int count = d.readArrayLength(MAX_GIDS, 4);
      int[] gids = new int[count];
      for (int i = 0; i < count; i++) {
        gids[i] = d.readInt();
      }
      if (d.remaining() != 0) {
        throw new XdrException(d.remaining() + " bytes after authsys_parms");
      }
      sys = new Credential.Sys(stamp, machineName, uid, gid, gids);
    } catch (XdrException e) {
      throw RpcException.authError(RpcException.AUTH_BADCRED, "bad AUTH_SYS: " + e.getMessage());
    }
    AuthFlavor.requireNullVerifier(verifierFlavor, verifierBody);
    return sys;
  }
}
