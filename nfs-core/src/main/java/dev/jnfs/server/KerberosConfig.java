package dev.jnfs.server;

import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.GssService;
import dev.jnfs.rpc.RpcSecGss;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import javax.security.auth.Subject;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;

/**
 * Kerberos v5 for RPCSEC_GSS (RFC 2203): the server's service principal (e.g. {@code
 * nfs/server.example.com@EXAMPLE.COM}) and the keytab holding its keys, and how initiators map
 * to numeric identities. The server logs in from the keytab as an acceptor only: it never
 * contacts the KDC. Immutable.
 *
 * <p>The JDK's Kerberos reads its configuration (realms, permitted encryption types) from the
 * file named by the {@code java.security.krb5.conf} system property; {@link #krb5Conf} sets
 * that property for the whole JVM when the server starts.
 *
 * @param keytab the keytab file with the service principal's keys
 * @param principal the service principal
 * @param krb5Conf a krb5.conf to use, or null for the JDK's default
 * @param mapper maps initiators to identities
 * @param maxContexts how many RPCSEC_GSS contexts the server keeps at most
 */
public record KerberosConfig(
    Path keytab, String principal, Path krb5Conf, PrincipalMapper mapper, int maxContexts) {
  private static final String KRB5_MECHANISM = "1.2.840.113554.1.2.2";
  private static final String KRB5_PRINCIPAL_NAME = "1.2.840.113554.1.2.2.1";
  private static final String LOGIN_MODULE = "com.sun.security.auth.module.Krb5LoginModule";

  /** Checks the values. */
  public KerberosConfig {
    Objects.requireNonNull(keytab, "keytab");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(mapper, "mapper");
    if (maxContexts <= 0) {
      throw new IllegalArgumentException("maxContexts must be positive");
    }
  }

  /**
   * A configuration whose users all map to nobody (65534) and whose machine principals map
   * to 0/0; give a {@link #withMapper mapper} with a user table for more.
   *
   * @param keytab the keytab file
   * @param principal the service principal, {@code service/host@REALM}
   * @return the configuration, with at most 4096 contexts
   */
  public static KerberosConfig of(Path keytab, String principal) {
    return new KerberosConfig(
        keytab, principal, null, LocalPrincipalMapper.of(Map.of()).withRealm(realmOf(principal)),
        4096);
  }

  /** @return this configuration with another principal mapper */
  public KerberosConfig withMapper(PrincipalMapper mapper) {
    return new KerberosConfig(keytab, principal, krb5Conf, mapper, maxContexts);
  }

  /** @return this configuration with a krb5.conf file */
  public KerberosConfig withKrb5Conf(Path krb5Conf) {
    return new KerberosConfig(keytab, principal, krb5Conf, mapper, maxContexts);
  }

  /** @return this configuration with another bound on the number of contexts */
  public KerberosConfig withMaxContexts(int maxContexts) {
    return new KerberosConfig(keytab, principal, krb5Conf, mapper, maxContexts);
  }

  /** @return the realm of a principal name, or null if it has none */
  static String realmOf(String principal) {
    int at = principal.lastIndexOf('@');
    return at < 0 ? null : principal.substring(at + 1);
  }

  /**
   * Logs in from the keytab as an acceptor (Krb5LoginModule through a configuration of its
   * own, no JAAS file) and makes the RPCSEC_GSS state of a server.
   *
   * @return the acceptor
   * @throws IllegalStateException if the keytab cannot be read or holds no key of the
   *     principal
   */
  RpcSecGss login() {
    if (!Files.isReadable(keytab)) {
      throw new IllegalStateException("keytab " + keytab + " is not readable");
    }
    if (krb5Conf != null) {
      System.setProperty("java.security.krb5.conf", krb5Conf.toString());
    }
    Map<String, String> options =
        Map.of(
            "useKeyTab", "true",
            "keyTab", keytab.toString(),
            "principal", principal,
            "storeKey", "true",
            "isInitiator", "false",
            "doNotPrompt", "true",
            "refreshKrb5Config", "true");
    Configuration configuration =
        new Configuration() {
          @Override
          public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
            return new AppConfigurationEntry[] {
              new AppConfigurationEntry(
                  LOGIN_MODULE, AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, options)
            };
          }
        };
    Subject subject = new Subject();
    try {
      new LoginContext("jnfs-rpcsec-gss", subject, null, configuration).login();
      GSSManager manager = GSSManager.getInstance();
      Oid krb5 = new Oid(KRB5_MECHANISM);
      GSSName name = manager.createName(principal, new Oid(KRB5_PRINCIPAL_NAME));
      GSSCredential acceptor =
          Subject.callAs(
              subject,
              () ->
                  manager.createCredential(
                      name, GSSCredential.INDEFINITE_LIFETIME, krb5, GSSCredential.ACCEPT_ONLY));
      return new RpcSecGss(acceptor, this::credentialOf, maxContexts);
    } catch (LoginException | GSSException e) {
      throw new IllegalStateException(
          "cannot log in as " + principal + " from " + keytab + ": " + e.getMessage(), e);
    } catch (java.util.concurrent.CompletionException e) {
      throw new IllegalStateException(
          "cannot make the acceptor credential of " + principal + ": " + e.getCause(), e);
    }
  }

  private Credential.Gss credentialOf(String initiator) {
    PrincipalMapper.Identity id = mapper.map(initiator);
    if (id == null) {
      id = PrincipalMapper.Identity.ANONYMOUS;
    }
    return new Credential.Gss(initiator, GssService.NONE, id.uid(), id.gid(), id.gids());
  }

  @Override
  public String toString() {
    return "Kerberos " + principal + " (keytab " + keytab + ", " + mapper + ")";
  }
}
