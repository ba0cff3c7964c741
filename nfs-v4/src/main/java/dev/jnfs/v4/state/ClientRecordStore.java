package dev.jnfs.v4.state;

import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Stable storage of the clients that may hold state (RFC 8881 §8.4.3, RFC 7530 §9.6.3.4):
 * what the server needs after a restart to let exactly those clients reclaim. A record names
 * a client by its name for itself and says nothing of its locks; that the client is recorded
 * means it may have held state at the last stop or crash. The server adds a client's record
 * before the client can hold state it would reclaim, removes it when the client's state goes
 * (lease expiry, a restarted or destroyed client), and at the end of the grace period forgets
 * the records of the previous server instance that were not added again.
 *
 * <p>This interface is the seam where a store shared by several servers can replace the local
 * {@link ClientRecordLog}. Implementations are thread-safe; every method that changes records
 * returns once the change is on stable storage.
 */
interface ClientRecordStore extends Closeable {

  /**
   * One recorded client.
   *
   * @param minorVersion 0 for a client of NFSv4.0 (named by SETCLIENTID's id string), 1 for
   *     one of 4.1 or later (named by EXCHANGE_ID's co_ownerid)
   * @param ownerId the client's name for itself
   */
  record StableClient(int minorVersion, byte[] ownerId) {
    public StableClient {
      if (minorVersion != 0 && minorVersion != 1) {
        throw new IllegalArgumentException("minor version family " + minorVersion);
      }
      ownerId = ownerId.clone();
    }

    /** @return the record of a client of this server */
    static StableClient of(ClientRecord c) {
      return new StableClient(c.minorVersion == 0 ? 0 : 1, c.ownerId);
    }

    @Override
    public byte[] ownerId() {
      return ownerId.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StableClient other
          && other.minorVersion == minorVersion
          && Arrays.equals(other.ownerId, ownerId);
    }

    @Override
    public int hashCode() {
      return 31 * minorVersion + Arrays.hashCode(ownerId);
    }

    @Override
    public String toString() {
      return "4." + minorVersion + " client " + HexFormat.of().formatHex(ownerId);
    }
  }

  /**
   * A store that keeps nothing, for a server without a state directory: after a restart no
   * client is known, and {@link #isDurable()} tells the server it cannot tell who may reclaim.
   */
  ClientRecordStore NONE = new ClientRecordStore() {
    @Override
    public boolean isDurable() {
      return false;
    }

    @Override
    public List<StableClient> load() {
      return List.of();
    }

    @Override
    public void add(StableClient client) {}

    @Override
    public void remove(StableClient client) {}

    @Override
    public void endGrace() {}

    @Override
    public void close() {}
  };

  /** @return whether records outlive the server (false: nothing is kept) */
  boolean isDurable();

  /**
   * @return the clients recorded when the previous server instance stopped or crashed: those
   *     that may reclaim state now
   * @throws IOException when the records are damaged or cannot be read; then no client is
   *     known to have held state and none may reclaim (RFC 8881 §8.4.3: damage to stable
   *     storage means NO_GRACE for every client it may affect)
   */
  List<StableClient> load() throws IOException;

  /**
   * Records a client as one that may hold state in this server instance. Returns at once if it
   * already was added in this instance.
   *
   * @param client the client
   * @throws IOException when the record cannot be made stable; the client must then get no
   *     state it could reclaim
   */
  void add(StableClient client) throws IOException;

  /**
   * Forgets a client: its state is gone (lease expired, client restarted or destroyed its
   * client ID), so after a restart it may not reclaim anything.
   *
   * @param client the client
   * @throws IOException when the change cannot be made stable
   */
  void remove(StableClient client) throws IOException;

  /**
   * Ends the grace period: forgets every record of the previous instance not {@linkplain #add
   * added} again in this one, as such clients did not finish reclaiming (RFC 8881 §8.4.3, the
   * second edge condition).
   *
   * @throws IOException when the change cannot be made stable
   */
  void endGrace() throws IOException;
}
