package dev.jnfs.portmap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registrations a portmapper answers from, exact by (program, version, protocol).
 * Thread-safe.
 */
public final class PortmapRegistry {
  private record Key(int program, int version, int protocol) {}

  private final Map<Key, PortMapping> mappings = new LinkedHashMap<>();

  /**
   * Registers a mapping (PMAPPROC_SET, RFC 1833 §3.2): refused if one exists already for its
   * (program, version, protocol).
   *
   * @param mapping the mapping
   * @return whether it was registered
   */
  public synchronized boolean set(PortMapping mapping) {
    return mappings.putIfAbsent(
            new Key(mapping.program(), mapping.version(), mapping.protocol()), mapping)
        == null;
  }

  /**
   * Removes every mapping of a program version, whatever its protocol and port
   * (PMAPPROC_UNSET, RFC 1833 §3.2).
   *
   * @param program the program
   * @param version the version
   * @return whether anything was removed
   */
  public synchronized boolean unset(int program, int version) {
    return mappings.keySet().removeIf(k -> k.program() == program && k.version() == version);
  }

  /**
   * Removes the mapping of a program version over one protocol (RPCBPROC_UNSET with a
   * netid, RFC 1833 §2.2.1).
   *
   * @param program the program
   * @param version the version
   * @param protocol the IP protocol number
   * @return whether it was registered
   */
  public synchronized boolean unset(int program, int version, int protocol) {
    return mappings.remove(new Key(program, version, protocol)) != null;
  }

  /**
   * @param program the program
   * @param version the version
   * @param protocol the IP protocol number
   * @return the registered port, 0 if none
   */
  public synchronized int port(int program, int version, int protocol) {
    PortMapping m = mappings.get(new Key(program, version, protocol));
    return m == null ? 0 : m.port();
  }

  /**
   * The port of a program over a protocol, preferring the given version but taking any other
   * registered one: how rpcbind answers RPCBPROC_GETADDR, so a client can learn where a
   * program lives before it knows which versions it speaks.
   *
   * @param program the program
   * @param version the preferred version
   * @param protocol the IP protocol number
   * @return the port, 0 if the program is not registered over that protocol
   */
  public synchronized int portOfAnyVersion(int program, int version, int protocol) {
    int exact = port(program, version, protocol);
    if (exact != 0) {
      return exact;
    }
    for (PortMapping m : mappings.values()) {
      if (m.program() == program && m.protocol() == protocol) {
        return m.port();
      }
    }
    return 0;
  }

  /** @return a snapshot of every mapping, in registration order */
  public synchronized List<PortMapping> dump() {
    return new ArrayList<>(mappings.values());
  }
}
