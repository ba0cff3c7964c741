package dev.jnfs.v4.state;

import dev.jnfs.v4.Stateid;
import java.nio.ByteBuffer;

/**
 * How this server builds the identifiers it hands out, so that one from a previous server
 * instance is recognised as stale (RFC 7530 §9.1.4.2, RFC 8881 §8.2.2):
 *
 * <ul>
 *   <li>clientid4: boot verifier (high 32 bits), client index (low 32 bits);
 *   <li>stateid4 {@code other}: boot verifier, client index, state index (4 bytes each);
 *   <li>sessionid4: boot verifier, client index, session index, 4 zero bytes.
 * </ul>
 */
final class StateIds {
  private StateIds() {}

  static long clientId(int boot, int clientIndex) {
    return ((long) boot << 32) | (clientIndex & 0xFFFFFFFFL);
  }

  static int bootOf(long clientId) {
    return (int) (clientId >>> 32);
  }

  static int indexOf(long clientId) {
    return (int) clientId;
  }

  static Stateid stateid(int seqid, int boot, int clientIndex, int stateIndex) {
    byte[] other = ByteBuffer.allocate(Stateid.OTHER_LENGTH)
        .putInt(boot).putInt(clientIndex).putInt(stateIndex).array();
    return Stateid.of(seqid, other);
  }

  /** @return {boot, client index, state index} of a stateid's other field */
  static int[] parts(Stateid stateid) {
    ByteBuffer b = ByteBuffer.wrap(stateid.other());
    return new int[] {b.getInt(), b.getInt(), b.getInt()};
  }

  /** @return the client id a stateid's other field names */
  static long clientIdOf(Stateid stateid) {
    int[] parts = parts(stateid);
    return clientId(parts[0], parts[1]);
  }

  static byte[] sessionId(int boot, int clientIndex, int sessionIndex) {
    return ByteBuffer.allocate(16).putInt(boot).putInt(clientIndex).putInt(sessionIndex).putInt(0).array();
  }
}
