package dev.jnfs.nfs3;

import static dev.jnfs.nfs3.Nfs3OverRpcTest.ROOT;
import static dev.jnfs.nfs3.Nfs3OverRpcTest.args;
import static dev.jnfs.nfs3.Nfs3OverRpcTest.mount;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.xdr.XdrEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client whose connection drops retransmits its non-idempotent calls on a new connection,
 * from a new source port: the duplicate request cache answers them with the original reply,
 * byte for byte, and they have no second effect. The same xid with other arguments, or from
 * another client address, is a new call.
 */
class Nfs3RetransmissionWireTest {
  private static final int NFS = Nfs3Program.PROGRAM;
  private static final int OK = 0;
  private static final int NOENT = 2;
  private static final int EXIST = 17;
  private static final String CLIENT = "127.0.0.1";
  private static final String OTHER_CLIENT = "127.0.0.2";
  private static int nextXid = 0x5100_0000;

  private RunningServer server;
  private RpcTestClient setup;
  private byte[] root;

  @BeforeEach
  void start() throws IOException {
    server = RunningServer.start(false, new Export("/data", null, TestBackends.create(),
        ExportOptions.DEFAULT.with("insecure,no_root_squash")));
    setup = RpcTestClient.connect(server.nfsAddress(), new InetSocketAddress(CLIENT, 0));
    root = mount(setup, "/data");
  }

  @AfterEach
  void stop() throws IOException {
    setup.close();
    server.close();
  }

  private static int xid() {
    return nextXid++;
  }

  private static byte[] call(int xid, int procedure, Consumer<XdrEncoder> args) {
    return RpcMessageBuilder.call(xid, NFS, 3, procedure, ROOT, args(args));
  }

  private Consumer<XdrEncoder> dirop(String name) {
    return e -> {
      e.writeOpaque(root);
      Nfs3Replies.name(e, name);
    };
  }

  private Consumer<XdrEncoder> create(String name, int how) {
    return dirop(name).andThen(e -> {
      e.writeInt(how);
      if (how == 2) {
        e.writeFixedOpaque(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}); // createverf3
      } else {
        Nfs3Replies.noSattr(e);
      }
    });
  }

  private Consumer<XdrEncoder> mkdir(String name) {
    return dirop(name).andThen(Nfs3Replies::noSattr);
  }

  private Consumer<XdrEncoder> rename(String from, String to) {
    return dirop(from).andThen(dirop(to));
  }

  /** Sends a call on a new connection from {@code host} and answers its reply. */
  private byte[] sendOnNewConnection(byte[] call, String host) throws IOException {
    try (RpcTestClient c = RpcTestClient.connect(server.nfsAddress(), new InetSocketAddress(host, 0))) {
      c.sendMessage(call);
      return c.receiveMessage();
    }
  }

  /**
   * Sends a call on a new connection and closes it once the reply has arrived, without
   * reading it: the client never saw the answer.
   */
  private void sendAndDropBeforeReading(byte[] call) throws Exception {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(CLIENT, 0));
      s.connect(server.nfsAddress());
      s.getOutputStream().write(RpcMessageBuilder.frame(call));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (in.available() == 0) {
        assertTrue(System.nanoTime() < deadline, "no reply");
        Thread.sleep(5);
      }
    }
  }

  private static int status(byte[] reply) {
    RpcReply r = RpcReply.parse(reply);
    assertTrue(r.isSuccess());
    return r.decoder().readInt();
  }

  /** Runs a call with a fresh xid on a new connection. */
  private int run(int procedure, Consumer<XdrEncoder> args) throws IOException {
    return status(sendOnNewConnection(call(xid(), procedure, args), CLIENT));
  }

  /**
   * The scenario every procedure goes through: the call is answered, its connection drops,
   * and its retransmission on a new connection gets the same reply and changes nothing;
   * the same call with a new xid shows what running it again would have answered.
   *
   * @param readFirst whether the client read the first reply before its connection dropped
   * @return the first reply
   */
  private byte[] retransmittedAfterADrop(
      int procedure, Consumer<XdrEncoder> args, boolean readFirst, int againStatus) throws Exception {
    byte[] call = call(xid(), procedure, args);
    byte[] first;
    if (readFirst) {
      first = sendOnNewConnection(call, CLIENT);
    } else {
      sendAndDropBeforeReading(call);
      first = null;
    }
    byte[] retransmitted = sendOnNewConnection(call, CLIENT);
    assertEquals(OK, status(retransmitted));
    if (first != null) {
      assertArrayEquals(first, retransmitted, "the original reply, byte for byte");
    }
    assertArrayEquals(retransmitted, sendOnNewConnection(call, CLIENT), "and again");
    assertEquals(againStatus, run(procedure, args), "what a second run answers");
    // another client that happens to use the same xid and arguments is not answered from cache
    assertEquals(againStatus, status(sendOnNewConnection(call, OTHER_CLIENT)));
    return retransmitted;
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void createGuarded(boolean readFirst) throws Exception {
    retransmittedAfterADrop(Nfs3Program.CREATE, create("guarded", 1), readFirst, EXIST);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void createExclusive(boolean readFirst) throws Exception {
    byte[] call = call(xid(), Nfs3Program.CREATE, create("exclusive", 2));
    byte[] first = readFirst ? sendOnNewConnection(call, CLIENT) : null;
    if (!readFirst) {
      sendAndDropBeforeReading(call);
    }
    byte[] retransmitted = sendOnNewConnection(call, CLIENT);
    assertEquals(OK, status(retransmitted));
    if (first != null) {
      assertArrayEquals(first, retransmitted);
    }
    // another verifier for the name is refused: one file was made, with the first verifier
    assertEquals(EXIST, run(Nfs3Program.CREATE, dirop("exclusive").andThen(e -> {
      e.writeInt(2);
      e.writeFixedOpaque(new byte[8]);
    })));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void remove(boolean readFirst) throws Exception {
    assertEquals(OK, run(Nfs3Program.CREATE, create("victim", 0)));
    retransmittedAfterADrop(Nfs3Program.REMOVE, dirop("victim"), readFirst, NOENT);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void rename(boolean readFirst) throws Exception {
    assertEquals(OK, run(Nfs3Program.CREATE, create("from", 0)));
    retransmittedAfterADrop(Nfs3Program.RENAME, rename("from", "to"), readFirst, NOENT);
    assertEquals(NOENT, run(Nfs3Program.LOOKUP, dirop("from")));
    assertEquals(OK, run(Nfs3Program.LOOKUP, dirop("to")));
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void mkdir(boolean readFirst) throws Exception {
    retransmittedAfterADrop(Nfs3Program.MKDIR, mkdir("dir"), readFirst, EXIST);
  }

  @Test
  void sameXidWithOtherArgumentsIsANewCall() throws Exception {
    assertEquals(OK, run(Nfs3Program.CREATE, create("one", 0)));
    assertEquals(OK, run(Nfs3Program.CREATE, create("two", 0)));
    int xid = xid();
    byte[] first = sendOnNewConnection(call(xid, Nfs3Program.REMOVE, dirop("one")), CLIENT);
    assertEquals(OK, status(first));
    byte[] other = sendOnNewConnection(call(xid, Nfs3Program.REMOVE, dirop("two")), CLIENT);
    assertEquals(OK, status(other));
    assertEquals(NOENT, run(Nfs3Program.LOOKUP, dirop("two")), "the second REMOVE ran");
    // and a REMOVE of a name already gone, with that xid, is not answered from the first
    byte[] gone = sendOnNewConnection(call(xid, Nfs3Program.REMOVE, dirop("never")), CLIENT);
    assertEquals(NOENT, status(gone));
  }
}
