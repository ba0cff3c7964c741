package dev.jnfs.rpc;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * The authentication flavors a server accepts, by number. A credential of another flavor is
 * refused: AUTH_SHORT with AUTH_REJECTEDCRED, so the client falls back to its full AUTH_SYS
 * credential (RFC 5531 appendix A); every other unknown flavor with AUTH_BADCRED. Immutable.
 */
final class AuthFlavors {
  private static final int MAX_TABLE = 16;

  private final AuthFlavor[] byNumber = new AuthFlavor[MAX_TABLE];

  /** @param flavors the accepted flavors, numbers below 16 */
  AuthFlavors(List<AuthFlavor> flavors) {
    for (AuthFlavor f : flavors) {
      byNumber[f.flavor()] = f;
    }
  }

  /** @return AUTH_NONE and AUTH_SYS */
  static AuthFlavors standard() {
    return new AuthFlavors(List.of(new AuthNoneFlavor(), new AuthSysFlavor()));
  }

  /**
   * @throws RpcException the authentication error to answer
   */
  Credential authenticate(
      int flavor, ByteBuf credentialBody, int verifierFlavor, ByteBuf verifierBody) {
    AuthFlavor f = flavor >= 0 && flavor < MAX_TABLE ? byNumber[flavor] : null;
    if (f == null) {
      int stat =
          flavor == Credential.AUTH_SHORT
              ? RpcException.AUTH_REJECTEDCRED
              : RpcException.AUTH_BADCRED;
      throw RpcException.authError(stat, "flavor " + flavor + " not accepted");
    }
    return f.authenticate(credentialBody, verifierFlavor, verifierBody);
  }
}
