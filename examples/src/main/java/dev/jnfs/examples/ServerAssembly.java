package dev.jnfs.examples;

import dev.jnfs.examples.StandaloneServer.ConfigurationException;
import dev.jnfs.nfs3.Nfs3Protocol;
import dev.jnfs.protocol.Export;
import dev.jnfs.server.ConnectionListener;
import dev.jnfs.server.KerberosConfig;
import dev.jnfs.server.LocalPrincipalMapper;
import dev.jnfs.server.NfsServer;
import dev.jnfs.server.TlsConfig;
import dev.jnfs.v4.Nfs4Protocol;
import java.io.IOException;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns the {@linkplain ServerOptions settings} into an {@code NfsServer}: the one place where
 * each setting meets its {@code NfsServer.Builder} method. A setting left unset keeps the
 * library's default.
 *
 * @param options the settings
 * @param tls the TLS configuration they ask for, or null
 * @param kerberos the Kerberos configuration they ask for, or null
 * @param listener hears of every connection (the access log)
 * @param metrics where the server is measured ({@code --metrics-port}, {@code --metrics-jmx}),
 *     or null
 */
record ServerAssembly(
    ServerOptions options, TlsConfig tls, KerberosConfig kerberos, ConnectionListener listener,
    MeterRegistry metrics) {

  /**
   * Checks the settings that go together and loads the TLS and Kerberos files.
   *
   * @param options the settings
   * @param listener hears of every connection
   * @param metrics where to measure the server, or null
   * @return the assembly
   * @throws ConfigurationException if settings conflict or a file is unusable
   */
  static ServerAssembly of(
      ServerOptions options, ConnectionListener listener, MeterRegistry metrics)
      throws ConfigurationException {
    checkTogether(options);
    return new ServerAssembly(options, tlsOf(options), kerberosOf(options), listener, metrics);
  }

  /**
   * @param exports what to serve (the caller keeps the backends)
   * @return a server with every setting applied, not started
   * @throws IllegalArgumentException if the library refuses a combination (e.g. a record
   *     size too small for the write size)
   */
  NfsServer build(List<Export> exports) {
    ServerOptions o = options;
    NfsServer.Builder b = NfsServer.builder().port(o.port()).tls(tls).kerberos(kerberos);
    b.connectionListener(listener);
    ifSet(o.bind, b::bind);
    ifSet(o.mountPort, b::mountPort);
    ifSet(o.portmapPort, b::portmapPort);
    ifSet(o.udp, s -> b.udp(s.on()));
    ifSet(o.ioThreads, b::ioThreads);
    ifSet(o.implicitTlsPort, b::implicitTlsPort);
    ifSet(o.maxConnections, b::maxConnections);
    ifSet(o.maxConnectionRate, b::maxConnectionRatePerAddress);
    ifSet(o.maxRecordSize, b::maxRecordSize);
    ifSet(o.maxInFlight, b::maxInFlightPerConnection);
    ifSet(o.maxReadSize, b::maxReadSize);
    ifSet(o.maxWriteSize, b::maxWriteSize);
    ifSet(o.drcSize, b::duplicateRequestCacheSize);
    ifSet(o.idleTimeoutSeconds, s -> b.idleTimeout(Duration.ofSeconds(s)));
    ifSet(o.nextCallWaitMicros, us -> b.nextCallWait(Duration.ofNanos(us * 1000L)));
    ifSet(o.shutdownGraceSeconds, s -> b.shutdownGracePeriod(Duration.ofSeconds(s)));
    ifSet(o.recordTimeoutSeconds, s -> b.recordTimeout(Duration.ofSeconds(s)));
    ifSet(o.lockGraceSeconds, s -> b.lockGracePeriod(Duration.ofSeconds(s)));
    ifSet(o.serverId, b::serverIdentity);
    ifSet(o.rpcbind, s -> b.rpcbindRegistration(s.on()));
    ifSet(o.delegations, b::delegations);
    ifSet(o.maxDelegations, b::maxDelegations);
    ifSet(o.idmapDomain, b::idmapDomain);
    if (o.idmapPasswd != null || o.idmapGroup != null) {
      b.idmapFiles(
          o.idmapPasswd != null ? o.idmapPasswd : Path.of("/etc/passwd"),
          o.idmapGroup != null ? o.idmapGroup : Path.of("/etc/group"));
    }
    ifSet(metrics, b::meterRegistry);
    // NFSv4 client records, NLM's client hosts, the server identity: where asked, else in the first local directory's metadata folder
    // (the one its backend keeps its id index in); in-memory exports alone keep none
    if (o.stateDirectory != null) {
      b.stateDirectory(o.stateDirectory);
    } else if (!o.directories.isEmpty()) {
      b.stateDirectory(o.directories.get(0).resolve(".jnfs"));
    }
    if (o.serves(3)) {
      b.protocol(new Nfs3Protocol());
    }
    if (o.serves(4)) {
      b.protocol(new Nfs4Protocol());
    }
    exports.forEach(b::export);
    return b.build();
  }

  private static <T> void ifSet(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }

  private static void checkTogether(ServerOptions o) throws ConfigurationException {
    if ((o.tlsCertificate == null) != (o.tlsKey == null)) {
      throw new ConfigurationException("--tls-cert and --tls-key go together");
    }
    if (o.tlsClientAuthorities != null && o.tlsCertificate == null) {
      throw new ConfigurationException("--tls-ca needs --tls-cert and --tls-key");
    }
    if (o.implicitTlsPort != null && o.tlsCertificate == null) {
      throw new ConfigurationException("--implicit-tls-port needs --tls-cert and --tls-key");
    }
    if ((o.krb5Keytab == null) != (o.krb5Principal == null)) {
      throw new ConfigurationException("--krb5-keytab and --krb5-principal go together");
    }
    if ((o.krb5Conf != null || o.krb5IdMap != null) && o.krb5Keytab == null) {
      throw new ConfigurationException(
          "--krb5-conf and --krb5-idmap need --krb5-keytab and --krb5-principal");
    }
    if (o.versions != null && o.versions.isEmpty()) {
      throw new ConfigurationException("--versions: no NFS version given");
    }
  }

  /**
   * @return the TLS configuration the settings ask for, or null for none
   * @throws ConfigurationException if the certificate or key files are unusable
   */
  static TlsConfig tlsOf(ServerOptions o) throws ConfigurationException {
    if (o.tlsCertificate == null) {
      return null;
    }
    try {
      return o.tlsClientAuthorities == null
          ? TlsConfig.of(o.tlsCertificate, o.tlsKey)
          : TlsConfig.mutual(o.tlsCertificate, o.tlsKey, o.tlsClientAuthorities);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(e.getMessage());
    }
  }

  /**
   * @return the Kerberos configuration the settings ask for, or null for none
   * @throws ConfigurationException if the keytab or the id map is unusable
   */
  static KerberosConfig kerberosOf(ServerOptions o) throws ConfigurationException {
    if (o.krb5Keytab == null) {
      return null;
    }
    if (!Files.isReadable(o.krb5Keytab)) {
      throw new ConfigurationException("--krb5-keytab: cannot read " + o.krb5Keytab);
    }
    KerberosConfig config = KerberosConfig.of(o.krb5Keytab, o.krb5Principal);
    if (o.krb5IdMap != null) {
      int at = o.krb5Principal.lastIndexOf('@');
      try {
        config = config.withMapper(LocalPrincipalMapper.fromFile(o.krb5IdMap)
            .withRealm(at < 0 ? null : o.krb5Principal.substring(at + 1)));
      } catch (IOException | IllegalArgumentException e) {
        throw new ConfigurationException("--krb5-idmap: " + e.getMessage());
      }
    }
    return o.krb5Conf == null ? config : config.withKrb5Conf(o.krb5Conf);
  }
}
