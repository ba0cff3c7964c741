package dev.jnfs.server;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the server knows of one client connection at one moment: an immutable snapshot, from
 * {@link NfsServer#connections()} or given to a {@link ConnectionListener}. Connections are
 * TCP: UDP has none, and its datagrams appear nowhere here.
 *
 * <p>Counts are of RPC messages: the records read (calls, whatever became of them) and the
 * replies written, and their bytes as RPC sees them (reply record marks included, TLS
 * overhead not).
 *
 * @param id the connection's id, unique among one server's connections (also across restarts)
 *     and the same as {@link dev.jnfs.spi.Caller#connectionId()} of the calls made on it
 * @param remoteAddress the client's address and source port
 * @param localPort the server port the client connected to
 * @param transport whether the connection is protected by TLS
 * @param tlsPeerSubject the subject distinguished name of the client certificate under mutual
 *     TLS
 * @param kerberosPrincipals the Kerberos principals that made RPCSEC_GSS calls on the
 *     connection (at most 64 are kept)
 * @param nfs4ClientIds the NFSv4 client ids used on the connection: a 4.1 session's client
 *     after SEQUENCE, a 4.0 client after SETCLIENTID_CONFIRM, OPEN, RENEW or a READ or WRITE
 *     with one of its stateids (at most 64)
 * @param calls how many RPC records were read
 * @param replies how many replies were written (a reply still queued when the connection
 *     closed counts too)
 * @param bytesIn how many bytes those records held
 * @param bytesOut how many bytes those replies held
 * @param connectedSince when the connection was accepted
 */
public record ConnectionInfo(
    long id,
    InetSocketAddress remoteAddress,
    int localPort,
    Transport transport,
    Optional<String> tlsPeerSubject,
    Set<String> kerberosPrincipals,
    Set<Long> nfs4ClientIds,
    long calls,
    long replies,
    long bytesIn,
    long bytesOut,
    Instant connectedSince) {

  /** How a connection carries RPC. */
  public enum Transport {
    /** Plain TCP with record marking (RFC 5531 §11). */
    TCP,
    /**
     * TCP protected by TLS (RFC 9289): from the first byte on the {@linkplain
     * NfsServer.Builder#implicitTlsPort implicit-TLS port}, or after the client's STARTTLS.
     */
    TCP_TLS
  }

  /** Checks the components are present and copies the sets. */
  public ConnectionInfo {
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(tlsPeerSubject, "tlsPeerSubject");
    kerberosPrincipals = Set.copyOf(kerberosPrincipals);
    nfs4ClientIds = Set.copyOf(nfs4ClientIds);
    Objects.requireNonNull(connectedSince, "connectedSince");
  }
}
