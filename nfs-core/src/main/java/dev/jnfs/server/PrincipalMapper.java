package dev.jnfs.server;

import java.util.Objects;

/**
 * Maps the Kerberos principal of an RPCSEC_GSS caller to the numeric identity its calls
 * carry; the export's squash rules then apply as for AUTH_SYS. {@link LocalPrincipalMapper}
 * is the usual implementation. Implementations are thread-safe; a mapping is asked once per
 * RPCSEC_GSS context, not per call.
 */
@FunctionalInterface
public interface PrincipalMapper {

  /**
   * @param principal the initiator's principal, e.g. {@code alice@EXAMPLE.COM} or {@code
   *     host/client.example.com@EXAMPLE.COM}
   * @return the identity; never null (an unknown principal gets an anonymous identity)
   */
  Identity map(String principal);

  /**
   * A numeric caller identity.
   *
   * @param uid the user id
   * @param gid the primary group id
   * @param gids the supplementary groups
   */
  record Identity(int uid, int gid, int[] gids) {
    /** The conventional anonymous identity, nobody/nogroup (65534/65534). */
    public static final Identity ANONYMOUS = new Identity(65534, 65534, new int[0]);

    /** Copies the groups. */
    public Identity {
      gids = Objects.requireNonNull(gids).clone();
    }

    /** @return a copy of the supplementary groups */
    @Override
    public int[] gids() {
      return gids.clone();
    }
  }
}
