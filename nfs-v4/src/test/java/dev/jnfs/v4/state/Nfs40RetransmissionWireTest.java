package dev.jnfs.v4.state;

import static dev.jnfs.v4.state.Wire.b;
import static dev.jnfs.v4.state.Wire.ok;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_BOTH;
import static dev.jnfs.v4.testing.StateCompound.DENY_NONE;
import static dev.jnfs.v4.testing.StateCompound.GUARDED4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.localfs.LocalFileSystem;
import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.v4.Nfs4Protocol;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.Reply;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.StateCompound.OpenReply;
import dev.jnfs.v4.testing.TcpCompoundTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * NFSv4.0 has no sessions: a client whose connection drops retransmits on a new connection,
 * from a new source port, and the server's duplicate request cache (keyed by the client's
 * address, not its connection) answers with the original reply and runs nothing twice. A
 * call from another address with the same xid is a new call.
 */
class Nfs40RetransmissionWireTest {
  private static final Credential ROOT = new Credential.Sys(1, "test", 0, 0, new int[0]);
  private static final String CLIENT = "127.0.0.1";
  private static final String OTHER_CLIENT = "127.0.0.2";
  private static int nextXid = 0x5200_0000;

  enum Backend {
    MEMORY, LOCAL_DIRECTORY
  }

  @TempDir Path dir;
  private NfsServer server;
  private TcpCompoundTransport connection;

  private Wire.Client40 start(Backend backend) throws IOException {
    NfsFileSystem fs = backend == Backend.MEMORY ? new InMemoryFileSystem() : LocalFileSystem.of(dir);
    server = NfsServer.builder().bind("127.0.0.1").port(0)
        .export("/", fs, ExportOptions.DEFAULT.with("rw,no_root_squash,insecure"))
        .protocol(new Nfs4Protocol(StateConfig.defaults().withGracePeriod(Duration.ZERO)))
        .build();
    server.start();
    connection = new TcpCompoundTransport(new InetSocketAddress(CLIENT, server.port()), 0);
    return new Wire.Client40(Wire.tcp(connection), "retransmitting");
  }

  @AfterEach
  void stop() throws IOException {
    if (connection != null) {
      connection.close();
    }
    if (server != null) {
      server.stop();
    }
  }

  /** Sends a COMPOUND with a given xid on a new connection from {@code host}: the RPC reply. */
  private byte[] onNewConnection(Compound c, int xid, String host) throws IOException {
    byte[] call = RpcMessageBuilder.call(xid, 100003, 4, 1, ROOT, RpcMessageBuilder.xdr(c::encode));
    try (RpcTestClient client =
        RpcTestClient.connect(new InetSocketAddress(CLIENT, server.port()), new InetSocketAddress(host, 0))) {
      client.sendMessage(call);
      return client.receiveMessage();
    }
  }

  private static Reply decode(Compound c, byte[] rpcReply) {
    RpcReply r = RpcReply.parse(rpcReply);
    assertTrue(r.isSuccess());
    return c.decode(r.decoder());
  }

  /**
   * The call runs once, its retransmission on a new connection gets the same bytes, the same
   * call with a new xid shows what a second run would answer, and the same xid from another
   * address runs.
   */
  private void retransmittedAfterADrop(Compound c, int againStatus) throws IOException {
    int xid = nextXid++;
    byte[] first = onNewConnection(c, xid, CLIENT);
    assertEquals(Nfs4Status.OK, decode(c, first).status());
    assertArrayEquals(first, onNewConnection(c, xid, CLIENT), "the original reply, byte for byte");
    assertEquals(againStatus, decode(c, onNewConnection(c, nextXid++, CLIENT)).status());
    assertEquals(againStatus, decode(c, onNewConnection(c, xid, OTHER_CLIENT)).status(),
        "another client's call with that xid is not answered from the cache");
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void remove(Backend backend) throws Exception {
    Wire.Client40 c = start(backend);
    ok(c.call(Compound.v40().putrootfh().mkdir("victim", Attrs.set().mode(0755))));
    retransmittedAfterADrop(Compound.v40().putrootfh().remove("victim"), Nfs4Status.NOENT);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void rename(Backend backend) throws Exception {
    Wire.Client40 c = start(backend);
    ok(c.call(Compound.v40().putrootfh().mkdir("from", Attrs.set().mode(0755))));
    retransmittedAfterADrop(
        Compound.v40().putrootfh().savefh().putrootfh().rename("from", "to"), Nfs4Status.NOENT);
    assertEquals(Nfs4Status.OK, c.call(Compound.v40().putrootfh().lookup("to")).status());
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void openGuardedCreate(Backend backend) throws Exception {
    Wire.Client40 c = start(backend);
    Compound open = StateCompound.openCreate(
        Compound.v40().putrootfh(), 1, ACCESS_BOTH, DENY_NONE, c.clientId, b("owner"), "new", GUARDED4);
    int xid = nextXid++;
    byte[] first = onNewConnection(open, xid, CLIENT);
    Reply r = decode(open, first);
    assertEquals(Nfs4Status.OK, r.status());
    assertArrayEquals(first, onNewConnection(open, xid, CLIENT), "the original reply, not EXIST");
    // the OPEN ran once: the owner's next seqid confirms it
    OpenReply opened = r.last().value();
    ok(c.call(StateCompound.openConfirm(Compound.v40().putrootfh().lookup("new"), opened.stateid(), 2)));
  }
}
