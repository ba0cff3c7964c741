package dev.jnfs.rpc.testing;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A throwaway certificate authority with a server certificate (for 127.0.0.1 and localhost)
 * and a client certificate, made with the {@code openssl} command into a directory. Keys are
 * unencrypted PKCS#8 PEM, certificates PEM.
 *
 * @param caCertificate the authority's certificate
 * @param serverCertificate the server certificate, signed by the authority
 * @param serverKey the server's key
 * @param clientCertificate the client certificate, signed by the authority
 * @param clientKey the client's key
 */
public record TestCertificates(
    Path caCertificate,
    Path serverCertificate,
    Path serverKey,
    Path clientCertificate,
    Path clientKey) {

  /** The subject of the client certificate. */
  public static final String CLIENT_SUBJECT = "CN=jnfs test client,O=jnfs";

  /**
   * Makes a new authority and its two certificates.
   *
   * @param dir an empty directory to write into
   * @param serverName the common name of the server certificate
   * @return the files
   * @throws IOException if openssl fails
   */
  public static TestCertificates generate(Path dir, String serverName) throws IOException {
    Path caKey = dir.resolve("ca.key");
    Path ca = dir.resolve("ca.pem");
    openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-out", caKey.toString());
    openssl(dir, "req", "-x509", "-new", "-key", caKey.toString(), "-days", "2",
        "-subj", "/O=jnfs/CN=jnfs test CA", "-out", ca.toString());
    Path serverKey = dir.resolve("server.key");
    Path server = dir.resolve("server.pem");
    sign(dir, caKey, ca, serverKey, server, "/O=jnfs/CN=" + serverName,
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
    Path clientKey = dir.resolve("client.key");
    Path client = dir.resolve("client.pem");
    sign(dir, caKey, ca, clientKey, client, "/O=jnfs/CN=jnfs test client",
        "extendedKeyUsage=clientAuth\n");
    return new TestCertificates(ca, server, serverKey, client, clientKey);
  }

  private static void sign(
      Path dir, Path caKey, Path ca, Path key, Path cert, String subject, String extensions)
      throws IOException {
    Path csr = dir.resolve(key.getFileName() + ".csr");
    Path ext = dir.resolve(key.getFileName() + ".ext");
    Files.writeString(ext, extensions, StandardCharsets.US_ASCII);
    openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-out", key.toString());
    openssl(dir, "req", "-new", "-key", key.toString(), "-subj", subject, "-out",
        csr.toString());
    openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey",
        caKey.toString(), "-CAcreateserial", "-days", "2", "-extfile", ext.toString(), "-out",
        cert.toString());
  }

  private static void openssl(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    try {
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(
            "openssl " + args[0] + " failed: " + new String(output, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * @param withCertificate whether the client presents its certificate
   * @return a client TLS context that trusts the authority
   */
  public SSLContext clientContext(boolean withCertificate) throws IOException {
    SslContextBuilder b =
        SslContextBuilder.forClient().sslProvider(SslProvider.JDK).trustManager(
            caCertificate.toFile());
    if (withCertificate) {
      b.keyManager(clientCertificate.toFile(), clientKey.toFile());
    }
    return ((JdkSslContext) b.build()).context();
  }
}
