package dev.jnfs.rpc;

/**
 * The authentication a call carried (RFC 5531 §8.2, appendix A). Each flavor the server
 * accepts is one record implementing this interface.
 */
public sealed interface Credential permits Credential.None, Credential.Sys, Credential.Gss {

  /** AUTH_NONE. */
  int AUTH_NONE = 0;
  /** AUTH_SYS (formerly AUTH_UNIX). */
  int AUTH_SYS = 1;
  /** AUTH_SHORT. */
  int AUTH_SHORT = 2;
  /** AUTH_DH. */
  int AUTH_DH = 3;
  /** RPCSEC_GSS (RFC 2203). */
  int RPCSEC_GSS = 6;
  /** AUTH_TLS (RFC 9289). */
  int AUTH_TLS = 7;

  /** @return the flavor number */
  int flavor();

  /** A call without credentials. */
  record None() implements Credential {
    /** The one instance. */
    public static final None INSTANCE = new None();

    @Override
    public int flavor() {
      return AUTH_NONE;
    }
  }

  /**
   * An AUTH_SYS credential (RFC 5531 appendix A): identity as numbers, asserted by the
   * client.
   *
   * @param stamp an arbitrary client id
   * @param machineName the client's host name (at most 255 bytes)
   * @param uid the caller's user id
   * @param gid the caller's group id
   * @param gids supplementary groups (at most 16)
   */
  record Sys(int stamp, String machineName, int uid, int gid, int[] gids) implements Credential {
    @Override
    public int flavor() {
      return AUTH_SYS;
    }
  }

  /**
   * A call authenticated by an established RPCSEC_GSS context (RFC 2203 §5.3.3): the
   * context's initiator principal, the service protecting this call, and the identity the
   * server's principal mapper gave the principal.
   *
   * @param principal the initiator's Kerberos principal, e.g. {@code alice@EXAMPLE.COM}
   * @param service the protection of this call's arguments and results
   * @param uid the mapped user id
   * @param gid the mapped group id
   * @param gids the mapped supplementary groups
   */
  record Gss(String principal, GssService service, int uid, int gid, int[] gids)
      implements Credential {
    @Override
    public int flavor() {
      return RPCSEC_GSS;
    }
  }
}
