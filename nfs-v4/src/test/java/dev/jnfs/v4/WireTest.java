package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.server.NfsServer;
import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.DirList;
import dev.jnfs.v4.testing.Reply;
import dev.jnfs.v4.testing.TcpClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NFSv4 through a real {@link NfsServer} on a loopback ephemeral port. */
class WireTest {
  private NfsServer server;
  private TcpClient client;

  @BeforeEach
  void start() throws Exception {
    server = NfsServer.builder().bind("127.0.0.1").port(0)
        .export("/data/a", new InMemoryFileSystem(), Fixture.RW).build();
    server.start();
    client = new TcpClient(server.port(), 0, 0);
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop();
  }

  @Test
  void nullProcedureAnswersNothing() {
    assertEquals(0, client.callRaw(0, e -> {}).length);
  }

  @Test
  void walkCreateAndListOverTcp() {
    Reply r = client.call(Compound.v40().tag("wire").putrootfh().lookup("data").lookup("a")
        .mkdir("dir", Attrs.set().mode(0750)).lookupp().readdir(0, 0, 1000, 8192, Fattr4.TYPE, Fattr4.MODE));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    assertEquals("wire", r.tag());
    DirList list = r.last().value();
    assertEquals(List.of("dir"), list.names());
    assertEquals(0750, list.entries().get(0).attrs().number(Fattr4.MODE));
  }

  @Test
  void hostileInputGetsErrorsAndTheConnectionKeepsServing() {
    Compound many = Compound.v40();
    for (int i = 0; i < 10_000; i++) {
      many.getfh();
    }
    assertEquals(Nfs4Status.RESOURCE, client.call(many).status());
    assertEquals(Nfs4Status.OP_ILLEGAL,
        client.call(Compound.v40().op(12345, e -> e.writeInt(1), in -> null)).status());
    assertEquals(Nfs4Status.BADXDR, client.call(Compound.v40().putrootfh()
        .op(Nfs4Opcode.GETATTR, e -> e.writeInt(50_000_000), in -> null)).status());
    assertEquals(Nfs4Status.BADXDR,
        client.call(Compound.v40().op(Nfs4Opcode.LOOKUP, e -> e.writeInt(-1), in -> null)).status());
    assertEquals(Nfs4Status.MINOR_VERS_MISMATCH, client.call(Compound.minor(7)).status());
    Reply fine = client.call(Compound.v40().putrootfh().getfh());
    assertEquals(Nfs4Status.OK, fine.status());
    assertArrayEquals(new byte[] {(byte) 0x80}, java.util.Arrays.copyOf((byte[]) fine.last().value(), 1));
  }
}
