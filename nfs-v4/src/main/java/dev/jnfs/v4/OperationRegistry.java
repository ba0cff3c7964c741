package dev.jnfs.v4;

import java.util.Objects;

/**
 * The operations a server implements, by opcode and the minor versions they belong to.
 * Filled once at start-up, read concurrently afterwards (safe publication through the
 * {@link Nfs4Program} constructor).
 *
 * <p>How the processor answers an opcode (RFC 7530 §15.2, RFC 8881 §16.2.3 and §18):
 *
 * <ul>
 *   <li>outside the minor version's operation range: NFS4ERR_OP_ILLEGAL, result opcode
 *       OP_ILLEGAL (RFC 8881 §15.1.3.4), so also a 4.2 opcode such as SEEK in a 4.1
 *       COMPOUND: the operations RFC 7862 and RFC 8276 add exist in minor version 2 only;
 *   <li>in range but registered for other minor versions only (SETCLIENTID, RENEW,
 *       OPEN_CONFIRM ... in 4.1) or not registered: NFS4ERR_NOTSUPP;
 *   <li>otherwise the registered {@link Nfs4Operation}.
 * </ul>
 */
public final class OperationRegistry {
  private final Entry[] entries = new Entry[Nfs4Opcode.LAST_V42 + 1];

  private record Entry(Nfs4Operation operation, int lowMinor, int highMinor) {}

  /**
   * Registers an operation, replacing any earlier registration of the opcode.
   *
   * @param opcode the {@link Nfs4Opcode} value
   * @param lowMinor the first minor version that has it (0, 1 or 2)
   * @param highMinor the last minor version that has it
   * @param operation the implementation
   * @return this registry
   */
  public OperationRegistry register(int opcode, int lowMinor, int highMinor, Nfs4Operation operation) {
    if (opcode < Nfs4Opcode.ACCESS || opcode > Nfs4Opcode.LAST_V42 || lowMinor > highMinor) {
      throw new IllegalArgumentException("cannot register opcode " + opcode);
    }
    entries[opcode] = new Entry(Objects.requireNonNull(operation), lowMinor, highMinor);
    return this;
  }

  /**
   * Registers an operation for every minor version from {@code lowMinor} on.
   *
   * @param opcode the {@link Nfs4Opcode} value
   * @param lowMinor the first minor version that has it
   * @param operation the implementation
   * @return this registry
   */
  public OperationRegistry register(int opcode, int lowMinor, Nfs4Operation operation) {
    return register(opcode, lowMinor, Nfs4Program.HIGHEST_MINOR_VERSION, operation);
  }

  /**
   * @param opcode an opcode as received
   * @param minorVersion the COMPOUND's minor version
   * @return whether the opcode is defined at all in that minor version
   */
  static boolean isDefined(int opcode, int minorVersion) {
    int last = switch (minorVersion) {
      case 0 -> Nfs4Opcode.LAST_V40;
      case 1 -> Nfs4Opcode.LAST_V41;
      default -> Nfs4Opcode.LAST_V42;
    };
    return opcode >= Nfs4Opcode.ACCESS && opcode <= last;
  }

  /**
   * @param opcode an opcode defined in {@code minorVersion}
   * @param minorVersion the COMPOUND's minor version
   * @return the implementation, or null when the server does not support it in that version
   */
  Nfs4Operation find(int opcode, int minorVersion) {
    Entry e = entries[opcode];
    if (e == null || minorVersion < e.lowMinor || minorVersion > e.highMinor) {
      return null;
    }
    return e.operation;
  }
}
