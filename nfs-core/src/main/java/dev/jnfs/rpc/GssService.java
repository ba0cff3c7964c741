package dev.jnfs.rpc;

/**
 * The protection RPCSEC_GSS gives one call (RFC 2203 §5, {@code rpc_gss_service_t}), and the
 * Kerberos v5 pseudo-flavor that names it in MOUNT replies and SECINFO (RFC 2623 §2.2).
 */
public enum GssService {
  /** Authentication only: {@code sec=krb5}. */
  NONE(1, 390003),
  /** Arguments and results carry a checksum: {@code sec=krb5i}. */
  INTEGRITY(2, 390004),
  /** Arguments and results are encrypted: {@code sec=krb5p}. */
  PRIVACY(3, 390005);

  private final int wireValue;
  private final int pseudoFlavor;

  GssService(int wireValue, int pseudoFlavor) {
    this.wireValue = wireValue;
    this.pseudoFlavor = pseudoFlavor;
  }

  /** @return the {@code rpc_gss_service_t} value */
  public int wireValue() {
    return wireValue;
  }

  /** @return the Kerberos v5 pseudo-flavor (390003, 390004 or 390005) */
  public int pseudoFlavor() {
    return pseudoFlavor;
  }

  /**
   * @param wireValue an {@code rpc_gss_service_t} value
   * @return the service, or null for a value RFC 2203 does not define
   */
  public static GssService ofWire(int wireValue) {
    for (GssService s : values()) {
      if (s.wireValue == wireValue) {
        return s;
      }
    }
    return null;
  }
}
