package dev.jnfs.rpc.testing;

import dev.jnfs.server.KerberosConfig;
import dev.jnfs.server.LocalPrincipalMapper;
import dev.jnfs.server.PrincipalMapper.Identity;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import javax.security.auth.Subject;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;

/**
 * A Kerberos KDC inside the test JVM (Apache Kerby) on loopback, over TCP, with a krb5.conf
 * of its own that {@link #start} makes the JVM's ({@code java.security.krb5.conf}). It mints
 * principals with keytabs and logs initiators in, so tests use the JDK's real Kerberos on
 * both sides. One at a time per JVM (the JDK's Kerberos configuration is global).
 */
public final class TestKdc implements AutoCloseable {
  /** The realm. */
  public static final String REALM = "JNFS.TEST";
  /** The Kerberos v5 mechanism. */
  public static final Oid KRB5 = oid("1.2.840.113554.1.2.2");
  /** The Kerberos principal name type. */
  public static final Oid KRB5_PRINCIPAL_NAME = oid("1.2.840.113554.1.2.2.1");

  private final SimpleKdcServer kdc;
  private final Path dir;
  private final Path krb5Conf;

  private TestKdc(SimpleKdcServer kdc, Path dir, Path krb5Conf) {
    this.kdc = kdc;
    this.dir = dir;
    this.krb5Conf = krb5Conf;
  }

  private static Oid oid(String s) {
    try {
      return new Oid(s);
    } catch (GSSException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Starts a KDC on a free loopback port, working in a new directory under {@code parent}.
   *
   * @param parent where to put its files (a test's temporary directory)
   * @return the running KDC
   */
  public static TestKdc start(Path parent) throws IOException, KrbException {
    Path dir = Files.createDirectories(parent.resolve("kdc-" + UUID.randomUUID()));
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    SimpleKdcServer kdc = new SimpleKdcServer();
    kdc.setWorkDir(dir.toFile());
    kdc.setKdcRealm(REALM);
    kdc.setKdcHost("127.0.0.1");
    kdc.setAllowUdp(false);
    kdc.setAllowTcp(true);
    kdc.setKdcTcpPort(port);
    kdc.init();
    kdc.start();
    Path conf = dir.resolve("jnfs-krb5.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "[libdefaults]",
            "  default_realm = " + REALM,
            "  udp_preference_limit = 1",
            "  dns_lookup_kdc = false",
            "  dns_lookup_realm = false",
            "",
            "[realms]",
            "  " + REALM + " = {",
            "    kdc = 127.0.0.1:" + port,
            "  }",
            ""));
    System.setProperty("java.security.krb5.conf", conf.toString());
    return new TestKdc(kdc, dir, conf);
  }

  /** @return the krb5.conf that names this KDC */
  public Path krb5Conf() {
    return krb5Conf;
  }

  /**
   * Creates a principal with a random key and exports its keys to a keytab of its own.
   *
   * @param name the principal without realm, e.g. {@code alice} or {@code nfs/localhost}
   * @return the keytab
   */
  public Path principalWithKeytab(String name) throws KrbException {
    kdc.createPrincipal(name + "@" + REALM, UUID.randomUUID().toString());
    File keytab = dir.resolve(name.replace('/', '_') + ".keytab").toFile();
    kdc.exportPrincipal(name + "@" + REALM, keytab);
    return keytab.toPath();
  }

  /**
   * The acceptor configuration of a server under test: the service's keytab, this realm's
   * krb5.conf, and users mapped to ids (machine principals map to root by default).
   *
   * @param serviceKeytab the keytab made for the service by {@link #principalWithKeytab}
   * @param service the service principal without realm, e.g. {@code nfs/localhost}
   * @param users user names (without realm) and their ids
   * @return the configuration to give {@code NfsServer.Builder.kerberos}
   */
  public KerberosConfig acceptor(Path serviceKeytab, String service, Map<String, Identity> users) {
    return KerberosConfig.of(serviceKeytab, service + "@" + REALM)
        .withMapper(LocalPrincipalMapper.of(users).withRealm(REALM))
        .withKrb5Conf(krb5Conf());
  }

  /**
   * Logs an initiator in from its keytab and starts a security context to a service
   * principal, with the flags RFC 2203 §5.2.2 prescribes (no replay or sequence detection).
   *
   * @param principal the initiator, without realm
   * @param keytab its keytab
   * @param service the acceptor's principal, without realm
   * @return the initiator context (not yet established) and the subject to run it under
   */
  public Initiator initiator(String principal, Path keytab, String service)
      throws LoginException, GSSException {
    Map<String, String> options =
        Map.of(
            "useKeyTab", "true",
            "keyTab", keytab.toString(),
            "principal", principal + "@" + REALM,
            "storeKey", "false",
            "isInitiator", "true",
            "doNotPrompt", "true",
            "refreshKrb5Config", "true");
    Configuration configuration =
        new Configuration() {
          @Override
          public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
            return new AppConfigurationEntry[] {
              new AppConfigurationEntry(
                  "com.sun.security.auth.module.Krb5LoginModule",
                  AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                  options)
            };
          }
        };
    Subject subject = new Subject();
    new LoginContext("jnfs-test-initiator", subject, null, configuration).login();
    GSSManager manager = GSSManager.getInstance();
    GSSName target = manager.createName(service + "@" + REALM, KRB5_PRINCIPAL_NAME);
    GSSContext context =
        Subject.callAs(
            subject,
            () -> {
              GSSContext c =
                  manager.createContext(target, KRB5, null, GSSContext.DEFAULT_LIFETIME);
              c.requestMutualAuth(true);
              c.requestReplayDet(false);
              c.requestSequenceDet(false);
              c.requestConf(true);
              c.requestInteg(true);
              return c;
            });
    return new Initiator(subject, context);
  }

  /**
   * An initiator's context and the subject its establishment must run under.
   *
   * @param subject the logged-in initiator
   * @param context the context
   */
  public record Initiator(Subject subject, GSSContext context) {}

  @Override
  public void close() throws KrbException {
    kdc.stop();
  }
}
