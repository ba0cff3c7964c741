package dev.jnfs.rpc;

import io.netty.buffer.ByteBuf;

/** AUTH_NONE (RFC 5531 §10.1): no identity; the body must be empty. */
final class AuthNoneFlavor implements AuthFlavor {

  @Override
  public int flavor() {
    return Credential.AUTH_NONE;
  }

  @Override
  public Credential authenticate(ByteBuf credentialBody, int verifierFlavor, ByteBuf verifierBody) {
    if (credentialBody.isReadable()) {
      throw RpcException.authError(RpcException.AUTH_BADCRED, "AUTH_NONE with a body");
    }
    AuthFlavor.requireNullVerifier(verifierFlavor, verifierBody);
    return Credential.None.INSTANCE;
  }
}
