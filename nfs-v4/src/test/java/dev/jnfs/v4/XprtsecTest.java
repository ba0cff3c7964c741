package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.TransportSecurity;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.DirectClient;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An export's {@code xprtsec=} (RFC 9289) as NFSv4 sees it: WRONGSEC over too weak a transport. */
class XprtsecTest {
  private static final Credential ROOT = new Credential.Sys(0, "t", 0, 0, new int[0]);
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 700);

  private final Fixture fx =
      new Fixture(
          List.of(
              new Export("/tls", null, new InMemoryFileSystem(), Fixture.RW.with("xprtsec=tls")),
              new Export(
                  "/mtls", null, new InMemoryFileSystem(), Fixture.RW.with("xprtsec=mtls"))));

  private DirectClient client(TransportSecurity security) {
    return new DirectClient(fx.program, CLIENT, ROOT, security);
  }

  @Test
  void tlsOnlyExportAnswersWrongsecInPlainText() {
    DirectClient plain = client(TransportSecurity.NONE);
    assertEquals(Nfs4Status.WRONGSEC, plain.call(Compound.v40().putrootfh().lookup("tls")).status());
    DirectClient tls = client(TransportSecurity.TLS);
    assertEquals(Nfs4Status.OK, tls.call(Compound.v40().putrootfh().lookup("tls")).status());
    byte[] fh = tls.call(Compound.v40().putrootfh().lookup("tls").getfh()).last().value();
    assertEquals(
        Nfs4Status.WRONGSEC,
        plain.call(Compound.v40().putfh(fh).getattr(Fattr4.TYPE)).status());
    assertEquals(Nfs4Status.OK, tls.call(Compound.v40().putfh(fh).getattr(Fattr4.TYPE)).status());
  }

  @Test
  void mtlsExportNeedsAClientCertificate() {
    assertEquals(
        Nfs4Status.WRONGSEC,
        client(TransportSecurity.TLS).call(Compound.v40().putrootfh().lookup("mtls")).status());
    assertEquals(
        Nfs4Status.OK,
        client(TransportSecurity.mutual("CN=c"))
            .call(Compound.v40().putrootfh().lookup("mtls"))
            .status());
  }
}
