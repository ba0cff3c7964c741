package dev.jnfs.server;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * The server side of RPC-with-TLS (RFC 9289): the server's certificate chain and private key,
 * and optionally the certificate authorities whose client certificates it accepts (mutual
 * TLS). Files are PEM; the key is PKCS#8. Only TLS 1.3 is negotiated (RFC 9289 §5), with the
 * ALPN protocol id "sunrpc" (§7.2). With client authorities, every TLS client must present a
 * certificate they signed.
 *
 * <p>{@link #reload()} reads the files again: connections that start TLS afterwards use the
 * new certificate, established ones keep theirs; {@link #reloadIfChanged()} does so only when
 * a file's modification time changed. Thread-safe.
 */
public final class TlsConfig {
  /** The ALPN protocol id of ONC RPC (RFC 9289 §7.2). */
  public static final String ALPN_SUNRPC = "sunrpc";

  private static final String TLS_1_3 = "TLSv1.3";

  private final Path certificateChain;
  private final Path privateKey;
  private final Path clientAuthorities;
  private volatile SslContext context;
  private volatile List<FileTime> builtFrom;

  private TlsConfig(Path certificateChain, Path privateKey, Path clientAuthorities) {
    this.certificateChain = Objects.requireNonNull(certificateChain, "certificateChain");
    this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    this.clientAuthorities = clientAuthorities;
    reload();
  }

  /**
   * TLS without client certificates.
   *
   * @param certificateChain PEM file of the server certificate, then its intermediates
   * @param privateKey PEM file of the server's unencrypted PKCS#8 private key
   * @return the configuration
   * @throws IllegalArgumentException if the files cannot be read or do not match
   */
  public static TlsConfig of(Path certificateChain, Path privateKey) {
    return new TlsConfig(certificateChain, privateKey, null);
  }

  /**
   * Mutual TLS: clients must present a certificate signed by one of the given authorities.
   *
   * @param certificateChain PEM file of the server certificate, then its intermediates
   * @param privateKey PEM file of the server's unencrypted PKCS#8 private key
   * @param clientAuthorities PEM file of the trusted client certificate authorities
   * @return the configuration
   * @throws IllegalArgumentException if the files cannot be read or do not match
   */
  public static TlsConfig mutual(Path certificateChain, Path privateKey, Path clientAuthorities) {
    return new TlsConfig(
        certificateChain, privateKey, Objects.requireNonNull(clientAuthorities, "authorities"));
  }

  /** @return whether clients must present a certificate */
  public boolean requiresClientCertificate() {
    return clientAuthorities != null;
  }

  /**
   * Reads the certificate, key and client authorities again; new TLS connections use them.
   * When the files are unusable, the previous ones stay in use.
   *
   * @throws IllegalArgumentException if the files cannot be read or do not match
   */
  public synchronized void reload() {
    List<FileTime> times = modificationTimes();
    context = build();
    builtFrom = times;
  }

  /**
   * Reloads when a file's modification time differs from when it was last read, e.g. after
   * a certificate renewal; cheap to call periodically.
   *
   * @return whether the files were read again
   * @throws IllegalArgumentException if changed files are unusable; the previous ones stay in
   *     use, and the next call tries again
   */
  public synchronized boolean reloadIfChanged() {
    if (modificationTimes().equals(builtFrom)) {
      return false;
    }
    reload();
    return true;
  }

  /** @return the files' modification times, null for one that cannot be read */
  private List<FileTime> modificationTimes() {
    List<FileTime> times = new ArrayList<>(3);
    for (Path p : new Path[] {certificateChain, privateKey, clientAuthorities}) {
      if (p != null) {
        FileTime t;
        try {
          t = Files.getLastModifiedTime(p);
        } catch (IOException e) {
          t = null;
        }
        times.add(t);
      }
    }
    return times;
  }

  /** @return the context new TLS connections are made from */
  SslContext sslContext() {
    return context;
  }

  private SslContext build() {
    try {
      SslContextBuilder b =
          SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile())
              .sslProvider(SslProvider.JDK)
              .protocols(TLS_1_3)
              .applicationProtocolConfig(
                  new ApplicationProtocolConfig(
                      Protocol.ALPN,
                      SelectorFailureBehavior.NO_ADVERTISE,
                      SelectedListenerFailureBehavior.ACCEPT,
                      ALPN_SUNRPC));
      if (clientAuthorities != null) {
        b.trustManager(clientAuthorities.toFile()).clientAuth(ClientAuth.REQUIRE);
      }
      return b.build();
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot use certificate " + certificateChain + " with key " + privateKey
              + (clientAuthorities == null ? "" : " and client authorities " + clientAuthorities)
              + ": " + e.getMessage(),
          e);
    }
  }

  @Override
  public String toString() {
    return "TlsConfig[" + certificateChain + (clientAuthorities == null ? "" : ", mutual") + "]";
  }
}
