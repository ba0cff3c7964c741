package dev.jnfs.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.rpc.TransportSecurity;
import dev.jnfs.rpc.testing.FailOnLeaks;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.rpc.testing.TestCertificates;
import dev.jnfs.rpc.testing.TlsRpcTestClient;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrEncoder;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** RPC-with-TLS (RFC 9289): the AUTH_TLS probe, the handshake, and per-export xprtsec. */
@ExtendWith(FailOnLeaks.class)
class RpcOverTlsTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final int PROGRAM = 400_002;
  private static final String TLS13 = "TLSv1.3";

  @TempDir static Path dir;
  private static TestCertificates certs;

  private static final Export OPEN =
      new Export("/open", null, new InMemoryFileSystem(), ExportOptions.DEFAULT.with("insecure"));
  private static final Export TLS_ONLY =
      new Export(
          "/tls", null, new InMemoryFileSystem(),
          ExportOptions.DEFAULT.with("insecure,xprtsec=tls"));
  private static final Export MTLS_ONLY =
      new Export(
          "/mtls", null, new InMemoryFileSystem(),
          ExportOptions.DEFAULT.with("insecure,xprtsec=mtls"));
  private static final List<Export> EXPORTS = List.of(OPEN, TLS_ONLY, MTLS_ONLY);

  /**
   * Procedure 1 authorizes the call for the export whose index is the argument and answers
   * the call's transport protection level and the client certificate's subject ("" if none).
   */
  private static final class GuardedProgram implements RpcProgram {
    @Override
    public int program() {
      return PROGRAM;
    }

    @Override
    public int lowVersion() {
      return 1;
    }

    @Override
    public int highVersion() {
      return 1;
    }

    @Override
    public void handle(RpcCall call, XdrEncoder results) {
      if (call.procedure() == 0) {
        return;
      }
      if (call.procedure() != 1) {
        throw RpcException.procedureUnavailable(call.procedure());
      }
      Export export = EXPORTS.get(call.arguments().readInt());
      try {
        export.authorize(call);
      } catch (NfsException e) {
        throw RpcException.systemError(e.getMessage());
      }
      TransportSecurity s = call.transportSecurity();
      results.writeInt(s.level().ordinal());
      results.writeString(s.peerSubject() == null ? "" : s.peerSubject());
    }
  }

  @BeforeAll
  static void certificates() throws IOException {
    certs = TestCertificates.generate(dir, "jnfs test server");
  }

  private static NfsServer.Builder builder(TlsConfig tls) {
    NfsServer.Builder b =
        NfsServer.builder().bind(LOOPBACK).port(0).udp(false).tls(tls)
            .protocol(c -> List.of(new GuardedProgram()));
    EXPORTS.forEach(b::export);
    return b;
  }

  private static NfsServer server(TlsConfig tls) {
    NfsServer server = builder(tls).build();
    server.start();
    return server;
  }

  private static TlsConfig tls() {
    return TlsConfig.of(certs.serverCertificate(), certs.serverKey());
  }

  private static TlsConfig mutualTls() {
    return TlsConfig.mutual(certs.serverCertificate(), certs.serverKey(), certs.caCertificate());
  }

  private static TlsRpcTestClient connect(NfsServer server) throws IOException {
    return TlsRpcTestClient.connect(new InetSocketAddress(LOOPBACK, server.port()));
  }

  private static byte[] exportIndex(Export export) {
    return RpcMessageBuilder.xdr(e -> e.writeInt(EXPORTS.indexOf(export)));
  }

  private static RpcReply ask(TlsRpcTestClient c, Export export) throws IOException {
    return c.call(PROGRAM, 1, 1, Credential.None.INSTANCE, exportIndex(export));
  }

  private static TlsRpcTestClient tlsClient(NfsServer server, boolean withCertificate)
      throws IOException {
    TlsRpcTestClient c = connect(server);
    RpcReply probe = RpcReply.parse(c.probe(PROGRAM, 1));
    assertTrue(probe.isSuccess());
    c.startTls(certs.clientContext(withCertificate), TLS13);
    return c;
  }

  @Test
  void probeIsAnsweredWithTheStartTlsVerifier() throws IOException {
    try (NfsServer server = server(tls());
        TlsRpcTestClient c = connect(server)) {
      int xid = RpcTestClient.nextXid();
      c.sendRaw(RpcMessageBuilder.frame(TlsRpcTestClient.probeMessage(xid, PROGRAM, 1, 0)));
      byte[] expected =
          RpcMessageBuilder.xdr(
              e -> {
                e.writeInt(xid).writeInt(1).writeInt(0); // REPLY, MSG_ACCEPTED
                e.writeInt(Credential.AUTH_NONE).writeInt(8);
                e.writeFixedOpaque("STARTTLS".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                e.writeInt(0); // SUCCESS
              });
      assertArrayEquals(expected, c.receiveMessage());
    }
  }

  @Test
  void probeOfAnUnservedProgramStillStartsTls() throws IOException {
    try (NfsServer server = server(tls());
        TlsRpcTestClient c = connect(server)) {
      byte[] answer = c.probe(PROGRAM + 1, 1);
      RpcReply r = RpcReply.parse(answer);
      assertEquals(RpcReply.PROG_UNAVAIL, r.acceptStat());
      assertEquals(8, java.nio.ByteBuffer.wrap(answer).getInt(16));
      assertEquals("STARTTLS", new String(answer, 20, 8, java.nio.charset.StandardCharsets.US_ASCII));
      c.startTls(certs.clientContext(false), TLS13);
      assertTrue(c.call(PROGRAM, 1, 0, Credential.None.INSTANCE, new byte[0]).isSuccess());
    }
  }

  @Test
  void probeWithoutTlsConfiguredIsBadCredential() throws IOException {
    try (NfsServer server = server(null);
        TlsRpcTestClient c = connect(server)) {
      RpcReply r = RpcReply.parse(c.probe(PROGRAM, 1));
      assertEquals(RpcReply.MSG_DENIED, r.replyStat());
      assertEquals(RpcReply.AUTH_ERROR, r.rejectStat());
      assertEquals(RpcException.AUTH_BADCRED, r.authStat());
      // the connection stays usable in plain text
      assertTrue(ask(c, OPEN).isSuccess());
    }
  }

  @Test
  void probeOverUdpIsBadCredential() throws IOException {
    try (NfsServer server = builder(tls()).udp(true).build()) {
      server.start();
      try (dev.jnfs.rpc.testing.RpcUdpTestClient c =
          new dev.jnfs.rpc.testing.RpcUdpTestClient(
              new InetSocketAddress(LOOPBACK, server.port()))) {
        int xid = RpcTestClient.nextXid();
        c.send(TlsRpcTestClient.probeMessage(xid, PROGRAM, 1, 0));
        RpcReply r = RpcReply.parse(c.receiveReplyTo(xid));
        assertEquals(RpcReply.MSG_DENIED, r.replyStat());
        assertEquals(RpcException.AUTH_BADCRED, r.authStat(), "no DTLS");
      }
    }
  }

  @Test
  void authTlsOnAnotherProcedureIsBadCredential() throws IOException {
    try (NfsServer server = server(tls());
        TlsRpcTestClient c = connect(server)) {
      int xid = RpcTestClient.nextXid();
      c.sendRaw(RpcMessageBuilder.frame(TlsRpcTestClient.probeMessage(xid, PROGRAM, 1, 1)));
      RpcReply r = RpcReply.parse(c.receiveMessage());
      assertEquals(xid, r.xid());
      assertEquals(RpcException.AUTH_BADCRED, r.authStat());
      assertTrue(ask(c, OPEN).isSuccess());
    }
  }

  @Test
  void probeWithACredentialBodyIsBadCredential() throws IOException {
    try (NfsServer server = server(tls());
        TlsRpcTestClient c = connect(server)) {
      byte[] message =
          RpcMessageBuilder.xdr(
              e -> {
                e.writeInt(RpcTestClient.nextXid()).writeInt(0).writeInt(2);
                e.writeInt(PROGRAM).writeInt(1).writeInt(0);
                e.writeInt(Credential.AUTH_TLS).writeOpaque(new byte[4]);
                e.writeInt(Credential.AUTH_NONE).writeInt(0);
              });
      c.sendRaw(RpcMessageBuilder.frame(message));
      assertEquals(RpcException.AUTH_BADCRED, RpcReply.parse(c.receiveMessage()).authStat());
    }
  }

  @Test
  void callsAfterTheTls13HandshakeAreAnsweredThroughTls() throws IOException {
    try (NfsServer server = server(tls());
        TlsRpcTestClient c = tlsClient(server, false)) {
      assertEquals(TLS13, c.tlsSocket().getSession().getProtocol());
      assertEquals("sunrpc", c.tlsSocket().getApplicationProtocol());
      assertTrue(c.call(PROGRAM, 1, 0, Credential.None.INSTANCE, new byte[0]).isSuccess());
      RpcReply r = ask(c, OPEN);
      assertTrue(r.isSuccess());
      assertEquals(TransportSecurity.Level.TLS.ordinal(), r.decoder().readInt());
      // a second probe within TLS is refused (RFC 9289 §4.1)
      RpcReply again = RpcReply.parse(c.probe(PROGRAM, 1));
      assertEquals(RpcException.AUTH_BADCRED, again.authStat());
      assertTrue(ask(c, OPEN).isSuccess());
    }
  }

  @Test
  void tls12IsRefused() throws IOException {
    try (NfsServer server = server(tls());
        TlsRpcTestClient c = connect(server)) {
      assertTrue(RpcReply.parse(c.probe(PROGRAM, 1)).isSuccess());
      assertThrows(
          IOException.class, () -> c.startTls(certs.clientContext(false), "TLSv1.2"));
    }
    // the server still serves others
    try (NfsServer server = server(tls());
        TlsRpcTestClient c = tlsClient(server, false)) {
      assertTrue(ask(c, OPEN).isSuccess());
    }
  }

  @Test
  void plainTextBetweenProbeAndHandshakeClosesTheConnection() throws IOException {
    try (NfsServer server = server(tls());
        TlsRpcTestClient c = connect(server)) {
      byte[] probe = RpcMessageBuilder.frame(
          TlsRpcTestClient.probeMessage(RpcTestClient.nextXid(), PROGRAM, 1, 0));
      byte[] call = RpcMessageBuilder.frame(
          RpcMessageBuilder.call(
              RpcTestClient.nextXid(), PROGRAM, 1, 1, Credential.None.INSTANCE,
              exportIndex(TLS_ONLY)));
      byte[] both = new byte[probe.length + call.length];
      System.arraycopy(probe, 0, both, 0, probe.length);
      System.arraycopy(call, 0, both, probe.length, call.length);
      c.sendRaw(both);
      assertTrue(RpcReply.parse(c.receiveMessage()).isSuccess());
      assertTrue(c.awaitClose(), "the plain-text call is not answered; the connection closes");
    }
  }

  @Test
  void garbageInsteadOfAClientHelloClosesOnlyThatConnection() throws IOException {
    try (NfsServer server = server(tls())) {
      try (TlsRpcTestClient c = connect(server)) {
        assertTrue(RpcReply.parse(c.probe(PROGRAM, 1)).isSuccess());
        byte[] garbage = new byte[64];
        java.util.Arrays.fill(garbage, (byte) 0x16);
        c.sendRaw(garbage);
        assertTrue(c.awaitClose(), "a failed handshake closes the connection");
      }
      try (TlsRpcTestClient c = tlsClient(server, false)) {
        assertTrue(ask(c, OPEN).isSuccess());
      }
    }
  }

  @Test
  void tlsOnlyExportRefusesPlainTextWithAuthTooWeak() throws IOException {
    try (NfsServer server = server(tls())) {
      try (TlsRpcTestClient c = connect(server)) {
        RpcReply r = ask(c, TLS_ONLY);
        assertEquals(RpcReply.MSG_DENIED, r.replyStat());
        assertEquals(RpcException.AUTH_TOOWEAK, r.authStat());
        assertTrue(ask(c, OPEN).isSuccess());
      }
      try (TlsRpcTestClient c = tlsClient(server, false)) {
        assertTrue(ask(c, TLS_ONLY).isSuccess());
        RpcReply r = ask(c, MTLS_ONLY);
        assertEquals(RpcException.AUTH_TOOWEAK, r.authStat(), "no client certificate");
      }
    }
  }

  @Test
  void mutualTlsNeedsAClientCertificate() throws IOException {
    try (NfsServer server = server(mutualTls())) {
      try (TlsRpcTestClient c = connect(server)) {
        assertTrue(RpcReply.parse(c.probe(PROGRAM, 1)).isSuccess());
        // TLS 1.3: the client learns of the refusal at the handshake or at its first read
        assertThrows(
            IOException.class,
            () -> {
              c.startTls(certs.clientContext(false), TLS13);
              ask(c, OPEN);
            });
      }
      try (TlsRpcTestClient c = tlsClient(server, true)) {
        RpcReply r = ask(c, MTLS_ONLY);
        assertTrue(r.isSuccess());
        assertEquals(TransportSecurity.Level.MTLS.ordinal(), r.decoder().readInt());
        var d = r.decoder();
        d.readInt();
        assertEquals("CN=jnfs test client,O=jnfs", d.readString(1024));
        assertTrue(ask(c, TLS_ONLY).isSuccess(), "mutual TLS satisfies xprtsec=tls");
        RpcReply plainOnly = ask(c, OPEN);
        assertTrue(plainOnly.isSuccess());
      }
    }
  }

  @Test
  void theConnectionListShowsTheTlsAndTheClientCertificate() throws IOException {
    try (NfsServer server = server(mutualTls())) {
      try (TlsRpcTestClient plain = connect(server)) {
        assertTrue(ask(plain, OPEN).isSuccess());
        ConnectionInfo before = server.connections().get(0);
        assertEquals(ConnectionInfo.Transport.TCP, before.transport());
        assertTrue(before.tlsPeerSubject().isEmpty());
      }
      try (TlsRpcTestClient c = tlsClient(server, true)) {
        assertTrue(ask(c, MTLS_ONLY).isSuccess());
        ConnectionInfo info =
            server.connections().stream()
                .filter(i -> i.transport() == ConnectionInfo.Transport.TCP_TLS)
                .findFirst()
                .orElseThrow();
        assertEquals("CN=jnfs test client,O=jnfs", info.tlsPeerSubject().orElseThrow());
      }
    }
  }

  @Test
  void reloadServesTheNewCertificateToNewConnections(@TempDir Path other) throws IOException {
    Path live = Files.createDirectories(other.resolve("live"));
    Path cert = live.resolve("server.pem");
    Path key = live.resolve("server.key");
    Files.copy(certs.serverCertificate(), cert);
    Files.copy(certs.serverKey(), key);
    TlsConfig config = TlsConfig.of(cert, key);
    TestCertificates renewed =
        TestCertificates.generate(Files.createDirectories(other.resolve("new")), "renewed");
    try (NfsServer server = server(config);
        TlsRpcTestClient before = tlsClient(server, false)) {
      BigInteger first = serial(before);
      Files.copy(renewed.serverCertificate(), cert, StandardCopyOption.REPLACE_EXISTING);
      Files.copy(renewed.serverKey(), key, StandardCopyOption.REPLACE_EXISTING);
      config.reload();
      try (TlsRpcTestClient after = connect(server)) {
        assertTrue(RpcReply.parse(after.probe(PROGRAM, 1)).isSuccess());
        after.startTls(renewed.clientContext(false), TLS13);
        assertNotEquals(first, serial(after));
        assertEquals(
            serialOf(renewed.serverCertificate()), serial(after), "the renewed certificate");
        assertTrue(ask(after, OPEN).isSuccess());
      }
      // the established connection keeps working
      assertTrue(ask(before, OPEN).isSuccess());
    }
  }

  @Test
  void reloadIfChangedFollowsTheFilesModificationTimes(@TempDir Path other) throws IOException {
    Path cert = other.resolve("server.pem");
    Path key = other.resolve("server.key");
    Files.copy(certs.serverCertificate(), cert);
    Files.copy(certs.serverKey(), key);
    TlsConfig config = TlsConfig.of(cert, key);
    assertFalse(config.reloadIfChanged(), "nothing changed");
    TestCertificates renewed =
        TestCertificates.generate(Files.createDirectories(other.resolve("new")), "renewed");
    Files.copy(renewed.serverCertificate(), cert, StandardCopyOption.REPLACE_EXISTING);
    Files.copy(renewed.serverKey(), key, StandardCopyOption.REPLACE_EXISTING);
    java.nio.file.attribute.FileTime later =
        java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2100-01-01T00:00:00Z"));
    Files.setLastModifiedTime(cert, later);
    Files.setLastModifiedTime(key, later);
    assertTrue(config.reloadIfChanged());
    assertFalse(config.reloadIfChanged(), "read once per change");
    try (NfsServer server = server(config);
        TlsRpcTestClient c = connect(server)) {
      assertTrue(RpcReply.parse(c.probe(PROGRAM, 1)).isSuccess());
      c.startTls(renewed.clientContext(false), TLS13);
      assertEquals(serialOf(renewed.serverCertificate()), serial(c));
    }
  }

  @Test
  void reloadOfUnusableFilesKeepsTheOldCertificate(@TempDir Path other) throws IOException {
    Path cert = other.resolve("server.pem");
    Path key = other.resolve("server.key");
    Files.copy(certs.serverCertificate(), cert);
    Files.copy(certs.serverKey(), key);
    TlsConfig config = TlsConfig.of(cert, key);
    try (NfsServer server = server(config)) {
      Files.writeString(key, "not a key");
      assertThrows(IllegalArgumentException.class, config::reload);
      try (TlsRpcTestClient c = tlsClient(server, false)) {
        assertTrue(ask(c, OPEN).isSuccess());
      }
    }
  }

  @Test
  void unusableFilesAreRefusedAtConfiguration() {
    assertThrows(
        IllegalArgumentException.class,
        () -> TlsConfig.of(certs.serverCertificate(), dir.resolve("missing.key")));
    assertThrows(
        IllegalArgumentException.class,
        () -> TlsConfig.of(dir.resolve("missing.pem"), certs.serverKey()));
  }

  @Test
  void implicitTlsPortSpeaksTlsFromTheFirstByte() throws IOException {
    try (NfsServer server = builder(tls()).implicitTlsPort(0).build()) {
      server.start();
      InetSocketAddress implicit = new InetSocketAddress(LOOPBACK, server.implicitTlsPort());
      assertNotEquals(server.port(), implicit.getPort());
      try (TlsRpcTestClient c = TlsRpcTestClient.connect(implicit)) {
        c.startTls(certs.clientContext(false), TLS13);
        assertEquals("sunrpc", c.tlsSocket().getApplicationProtocol());
        RpcReply r = ask(c, TLS_ONLY);
        assertTrue(r.isSuccess());
        assertEquals(TransportSecurity.Level.TLS.ordinal(), r.decoder().readInt());
        assertEquals(RpcException.AUTH_BADCRED, RpcReply.parse(c.probe(PROGRAM, 1)).authStat());
      }
      try (TlsRpcTestClient plain = TlsRpcTestClient.connect(implicit)) {
        plain.sendRaw(
            RpcMessageBuilder.frame(
                RpcMessageBuilder.call(
                    RpcTestClient.nextXid(), PROGRAM, 1, 1, Credential.None.INSTANCE,
                    exportIndex(OPEN))));
        assertTrue(plain.awaitClose(), "plain text is no TLS handshake");
      }
      // the probe port keeps working
      try (TlsRpcTestClient c = tlsClient(server, false)) {
        assertTrue(ask(c, TLS_ONLY).isSuccess());
      }
    }
  }

  @Test
  void implicitTlsPortNeedsTls() {
    assertThrows(
        IllegalArgumentException.class, () -> builder(null).implicitTlsPort(0).build());
    try (NfsServer server = server(tls())) {
      assertEquals(-1, server.implicitTlsPort());
    }
  }

  private static BigInteger serial(TlsRpcTestClient c) throws IOException {
    return ((X509Certificate) c.tlsSocket().getSession().getPeerCertificates()[0])
        .getSerialNumber();
  }

  private static BigInteger serialOf(Path pem) throws IOException {
    try (var in = Files.newInputStream(pem)) {
      return ((X509Certificate)
              java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in))
          .getSerialNumber();
    } catch (java.security.cert.CertificateException e) {
      throw new IOException(e);
    }
  }
}
