package dev.jnfs.server;

import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.GssService;
import java.util.Locale;

/**
 * A security flavor an export may be used with: the words of exports(5)'s {@code sec=} option.
 * {@link #SYS} is AUTH_SYS and, as in the Linux server, also admits AUTH_NONE callers (who are
 * always mapped to the anonymous identity); the Kerberos v5 flavors are RPCSEC_GSS with the
 * service RFC 2623 §2.2 names by a pseudo-flavor.
 */
public enum SecurityFlavor {
  /** {@code sec=sys}: AUTH_SYS (and AUTH_NONE). */
  SYS(Credential.AUTH_SYS, null),
  /** {@code sec=krb5}: RPCSEC_GSS with Kerberos v5, authentication only. */
  KRB5(GssService.NONE.pseudoFlavor(), GssService.NONE),
  /** {@code sec=krb5i}: RPCSEC_GSS with Kerberos v5 and integrity protection. */
  KRB5I(GssService.INTEGRITY.pseudoFlavor(), GssService.INTEGRITY),
  /** {@code sec=krb5p}: RPCSEC_GSS with Kerberos v5 and privacy (encryption). */
  KRB5P(GssService.PRIVACY.pseudoFlavor(), GssService.PRIVACY);

  private final int mountFlavor;
  private final GssService gssService;

  SecurityFlavor(int mountFlavor, GssService gssService) {
    this.mountFlavor = mountFlavor;
    this.gssService = gssService;
  }

  /**
   * @return the number MOUNT's MNT reply lists for this flavor (RFC 1813 appendix I, RFC 2623
   *     §2.2): 1 for AUTH_SYS, 390003, 390004 or 390005 for Kerberos v5
   */
  public int mountFlavor() {
    return mountFlavor;
  }

  /** @return the RPCSEC_GSS service of a Kerberos flavor, null for {@link #SYS} */
  public GssService gssService() {
    return gssService;
  }

  /** @return whether this is a Kerberos v5 (RPCSEC_GSS) flavor */
  public boolean isGss() {
    return gssService != null;
  }

  /** @return the exports(5) word: {@code sys}, {@code krb5}, {@code krb5i} or {@code krb5p} */
  public String optionName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param word an exports(5) flavor word
   * @return the flavor it names
   * @throws IllegalArgumentException for any other word
   */
  public static SecurityFlavor ofOptionName(String word) {
    for (SecurityFlavor f : values()) {
      if (f.optionName().equals(word)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown security flavor '" + word + "' (known: sys, krb5, krb5i, krb5p)");
  }

  /**
   * @param credential a call's credential
   * @return the flavor the call was made with: {@link #SYS} for AUTH_SYS and AUTH_NONE, the
   *     Kerberos flavor of an RPCSEC_GSS call's service
   */
  public static SecurityFlavor of(Credential credential) {
    return switch (credential) {
      case Credential.None n -> SYS;
      case Credential.Sys s -> SYS;
      case Credential.Gss g ->
          switch (g.service()) {
            case NONE -> KRB5;
            case INTEGRITY -> KRB5I;
            case PRIVACY -> KRB5P;
          };
    };
  }
}
