package dev.jnfs.rpc;

/** The transport a call arrived on; its value is the IP protocol number portmap uses. */
public enum Transport {
  /** TCP with record marking (RFC 5531 §11). */
  TCP(6),
  /** UDP, one call per datagram. */
  UDP(17);

  private final int protocolNumber;

  Transport(int protocolNumber) {
    this.protocolNumber = protocolNumber;
  }

  /** @return the IP protocol number (6 or 17) */
  public int protocolNumber() {
    return protocolNumber;
  }
}
