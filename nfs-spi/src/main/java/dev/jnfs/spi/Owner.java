package dev.jnfs.spi;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Who holds a piece of open or lock state: a client, named by the id the server gave it, and
 * the opaque name that client gave the owner (an NFSv4 open_owner4 or lock_owner4, an NLM
 * owner handle). Two owners are the same when both parts are equal. Immutable; the name is
 * copied in and out.
 */
public final class Owner {
  private final long clientId;
  private final byte[] name;
  private final int hash;

  /**
   * @param clientId the server's id for the client (an NFSv4 clientid4)
   * @param name the client's name for the owner, at most 1024 bytes (copied)
   * @throws IllegalArgumentException if the name is longer than 1024 bytes
   */
  public Owner(long clientId, byte[] name) {
    if (name.length > 1024) {
      throw new IllegalArgumentException("owner name of " + name.length + " bytes");
    }
    this.clientId = clientId;
    this.name = name.clone();
    this.hash = Long.hashCode(clientId) * 31 + Arrays.hashCode(name);
  }

  /** @return the server's id for the client that owns the state */
  public long clientId() {
    return clientId;
  }

  /** @return a copy of the client's name for the owner */
  public byte[] name() {
    return name.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Owner other && clientId == other.clientId && hash == other.hash
        && Arrays.equals(name, other.name);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "Owner[client=" + Long.toHexString(clientId) + ", name=" + HexFormat.of().formatHex(name) + "]";
  }
}
