package dev.jnfs.nlm;

import dev.jnfs.spi.Owner;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How an NLM lock owner becomes a {@link Owner} of the lock manager, and back.
 *
 * <p>An NLM owner is the triple (client host, svid, owner handle). Its {@link Owner} has the
 * client id {@link #CLIENT_ID} and the name {@code [host length: 1 byte][host: ASCII][svid: 4
 * bytes, big-endian][owner handle]}, the host being the client's IP address in text. NFSv4
 * client ids carry the server's boot verifier in their high 32 bits, never 0, so an NLM owner
 * never equals an NFSv4 owner; NLM owners of two hosts differ by their names.
 */
final class NlmOwners {
  /** The client id of every NLM owner: "NLM" in the low bytes, 0 in the high 32 bits. */
  static final long CLIENT_ID = 0x4E4C4DL;
  /** The longest IP address in text (IPv6 with an embedded IPv4 address). */
  static final int MAX_HOST = 45;
  /** The longest owner handle that fits an {@link Owner}'s 1024-byte name with the rest. */
  static final int MAX_OWNER_HANDLE = 1024 - 1 - MAX_HOST - 4;

  private NlmOwners() {}

  /**
   * @param host the client's address in text, at most {@link #MAX_HOST} characters
   * @param svid the client's process id for the owner
   * @param ownerHandle the client's owner handle, at most {@link #MAX_OWNER_HANDLE} bytes
   * @return the lock manager's owner
   */
  static Owner owner(String host, int svid, byte[] ownerHandle) {
    byte[] h = host.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer name = ByteBuffer.allocate(1 + h.length + 4 + ownerHandle.length);
    name.put((byte) h.length).put(h).putInt(svid).put(ownerHandle);
    return new Owner(CLIENT_ID, name.array());
  }

  /** @return whether the owner is an NLM owner made by {@link #owner} */
  static boolean isNlm(Owner owner) {
    return owner.clientId() == CLIENT_ID;
  }

  /** @return the host of an NLM owner */
  static String host(Owner owner) {
    byte[] name = owner.name();
    return new String(name, 1, name[0] & 0xFF, StandardCharsets.US_ASCII);
  }

  /** @return the svid of an NLM owner, 0 for another protocol's owner */
  static int svid(Owner owner) {
    if (!isNlm(owner)) {
      return 0;
    }
    byte[] name = owner.name();
    return ByteBuffer.wrap(name, 1 + (name[0] & 0xFF), 4).getInt();
  }

  /**
   * @return the owner handle of an NLM owner; for another protocol's owner, its name (an
   *     NFSv4 lock_owner4's owner), as the holder a client is shown
   */
  static byte[] ownerHandle(Owner owner) {
    byte[] name = owner.name();
    if (!isNlm(owner)) {
      return name;
    }
    return Arrays.copyOfRange(name, 1 + (name[0] & 0xFF) + 4, name.length);
  }
}
