package dev.jnfs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.rpc.TransportSecurity.Level;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The standalone server's RPC-with-TLS options: --tls-cert, --tls-key, --tls-ca, xprtsec=. */
class ServerTlsOptionsTest {
  @TempDir Path temp;

  @Test
  void tlsFilesAreParsed() throws Exception {
    ServerOptions c =
        ServerCommandLineTest.parse(
            "--tls-cert", "/etc/jnfs/cert.pem", "--tls-key=/etc/jnfs/key.pem", "--tls-ca",
            "/etc/jnfs/ca.pem");
    assertEquals(Path.of("/etc/jnfs/cert.pem"), c.tlsCertificate);
    assertEquals(Path.of("/etc/jnfs/key.pem"), c.tlsKey);
    assertEquals(Path.of("/etc/jnfs/ca.pem"), c.tlsClientAuthorities);
  }

  @Test
  void withoutTlsOptionsThereIsNoTls() throws Exception {
    ServerOptions c = ServerCommandLineTest.parse();
    assertNull(c.tlsCertificate);
    assertNull(ServerAssembly.tlsOf(c));
  }

  @Test
  void certificateAndKeyGoTogether() {
    for (String[] args : List.of(new String[] {"--tls-cert", "c.pem"},
        new String[] {"--tls-key", "k.pem"}, new String[] {"--tls-ca", "ca.pem"},
        new String[] {"--implicit-tls-port", "20443"})) {
      assertThrows(StandaloneServer.ConfigurationException.class,
          () -> ServerAssembly.of(ServerCommandLineTest.parse(args), new AccessLog(), null));
    }
    assertThrows(CommandLine.ParameterException.class, () -> ServerCommandLine.parse("--tls-cert"));
  }

  @Test
  void xprtsecIsAcceptedInOptions() throws Exception {
    ServerOptions c = ServerCommandLineTest.parse("--options", "rw,xprtsec=tls:mtls");
    assertEquals(Set.of(Level.TLS, Level.MTLS), c.exportOptions().xprtsec());
    assertThrows(
        CommandLine.ParameterException.class,
        () -> ServerCommandLine.parse("--options", "xprtsec=ssl"));
  }

  @Test
  void unreadableCertificateIsAUsageError() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        StandaloneServer.run(
            new String[] {
              "--port", "0", "--tls-cert", temp.resolve("none.pem").toString(), "--tls-key",
              temp.resolve("none.key").toString()
            },
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, status);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("none.pem"), err.toString());
  }
}
