package dev.jnfs.rpc;

import io.netty.buffer.ByteBuf;

/**
 * Checks the credential and verifier of one authentication flavor (RFC 5531 §8.2) and turns
 * them into a {@link Credential}. The server holds one per accepted flavor; a flavor without
 * one is refused. Implementations are thread-safe.
 */
interface AuthFlavor {

  /** @return the flavor number this checks */
  int flavor();

  /**
   * @param credentialBody the credential's opaque body (at most 400 bytes), not retained
   * @param verifierFlavor the verifier's flavor
   * @param verifierBody the verifier's opaque body (at most 400 bytes), not retained
   * @return the caller's credential
   * @throws RpcException an authentication error (AUTH_BADCRED, AUTH_BADVERF, ...)
   */
  Credential authenticate(ByteBuf credentialBody, int verifierFlavor, ByteBuf verifierBody);

  /**
   * Verifiers that accompany AUTH_NONE and AUTH_SYS credentials must be AUTH_NONE with an
   * empty body (RFC 5531 §10.1, appendix A).
   */
  static void requireNullVerifier(int verifierFlavor, ByteBuf verifierBody) {
    if (verifierFlavor != Credential.AUTH_NONE || verifierBody.isReadable()) {
      throw RpcException.authError(
          RpcException.AUTH_BADVERF, "verifier of flavor " + verifierFlavor + " not expected");
    }
  }
}
