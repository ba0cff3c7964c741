package dev.jnfs.nfs3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.mount.MountProgram;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.v4.Nfs4Protocol;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.v4.Stateid;
import dev.jnfs.v4.testing.BackChannelCalls;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.Reply;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.TcpCompoundTransport;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An NFSv4.1 client's write delegation meets NFSv3 through the wire: NFSv3 READ and GETATTR of
 * the file recall it and answer JUKEBOX until the holder returns it, then read what the holder
 * wrote before returning it; LOOKUP, ACCESS and READDIRPLUS leave the file's attributes out
 * meanwhile.
 */
class Nfs3WriteDelegationWireTest {
  private static final Credential ROOT = new Credential.Sys(1, "test", 0, 0, new int[0]);
  private static final int JUKEBOX = 10008;
  private static final int CONN_BACK_CHAN = 2;

  private NfsServer server;
  private TcpCompoundTransport holder;
  private RpcTestClient v3;
  private byte[] sessionId;
  private int seqid;

  @BeforeEach
  void start() throws Exception {
    InMemoryFileSystem fs = new InMemoryFileSystem();
    fs.create(Caller.of(0, 0), fs.root(), "f", CreateMode.UNCHECKED, SetAttributes.NONE, 0);
    server = NfsServer.builder().bind("127.0.0.1").port(0).udp(false)
        .export("/", fs, ExportOptions.DEFAULT.with("rw,no_root_squash,insecure"))
        .protocol(new Nfs3Protocol())
        .protocol(new Nfs4Protocol(StateConfig.defaults().withLeaseTime(Duration.ofSeconds(2))
            .withGracePeriod(Duration.ZERO)))
        .build();
    server.start();
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
    holder = new TcpCompoundTransport(address, 0);
    v3 = RpcTestClient.connect(address);
  }

  @AfterEach
  void stop() throws Exception {
    v3.close();
    holder.close();
    server.stop();
  }

  private Reply call(Compound c) {
    Reply r = c.decode(new XdrDecoder(Unpooled.wrappedBuffer(holder.callRaw(c))));
    if (r.status() != Nfs4Status.OK) {
      throw new AssertionError("COMPOUND failed with " + r.status() + ": " + r);
    }
    return r;
  }

  private Compound next() {
    return StateCompound.sequence(Compound.v41(), sessionId, ++seqid, 0, false);
  }

  private XdrDecoder v3Call(int procedure, Consumer<XdrEncoder> args) throws Exception {
    return v3.call(Nfs3Program.PROGRAM, 3, procedure, ROOT, RpcMessageBuilder.xdr(args)).decoder();
  }

  @Test
  void nfs3ReadAndGetattrRecallAWriteDelegationAndReadTheHoldersData() throws Exception {
    StateCompound.ExchangeIdReply x =
        call(StateCompound.exchangeId(Compound.v41(), b("holder"), 1, 0)).last().value();
    StateCompound.CreateSessionReply s = call(StateCompound.createSession(Compound.v41(), x.clientId(),
        x.sequence(), 8, 16, CONN_BACK_CHAN, 1)).last().value();
    sessionId = s.sessionId();
    call(StateCompound.reclaimComplete(next()));
    StateCompound.OpenReply open = call(StateCompound.openName(next().putrootfh(), 0, StateCompound.ACCESS_BOTH,
        StateCompound.DENY_NONE, x.clientId(), b("writer"), "f")).last().value();
    assertEquals(2, open.delegationType(), "a write delegation");

    XdrDecoder mnt = v3.call(MountProgram.PROGRAM, 3, 1, ROOT, RpcMessageBuilder.xdr(e -> e.writeString("/")))
        .decoder();
    assertEquals(0, mnt.readInt(), "MNT");
    byte[] root = mnt.readOpaque(64);
    XdrDecoder looked = v3Call(Nfs3Program.LOOKUP, e -> e.writeOpaque(root).writeString("f"));
    assertEquals(0, looked.readInt(), "LOOKUP");
    byte[] file = looked.readOpaque(64);
    assertFalse(looked.readBoolean(), "LOOKUP leaves the write-delegated file's attributes out");
    XdrDecoder access = v3Call(Nfs3Program.ACCESS, e -> e.writeOpaque(file).writeInt(1));
    assertEquals(0, access.readInt(), "ACCESS");
    assertFalse(access.readBoolean(), "ACCESS leaves them out");
    assertFalse(readdirplusHasAttributes(root, "f"), "READDIRPLUS leaves them out");
    Consumer<XdrEncoder> read = e -> e.writeOpaque(file).writeHyper(0).writeInt(100);

    assertEquals(JUKEBOX, v3Call(Nfs3Program.READ, read).readInt());
    BackChannelCalls.Call recall = BackChannelCalls.await(holder);
    assertEquals(BackChannelCalls.CB_RECALL, recall.opcode());
    assertEquals(open.delegation(), Stateid.decode(recall.args()));
    BackChannelCalls.answer(holder, recall, Nfs4Status.OK);
    assertEquals(JUKEBOX, v3Call(Nfs3Program.GETATTR, e -> e.writeOpaque(file)).readInt(), "until returned");

    // the holder writes what it cached under the delegation, then returns it
    call(next().putrootfh().lookup("f").write(open.delegation(), 0, 2, b("cached data")));
    call(StateCompound.delegreturn(next().putrootfh().lookup("f"), open.delegation()));

    XdrDecoder data = v3Call(Nfs3Program.READ, read);
    assertEquals(0, data.readInt(), "NFS3_OK once returned");
    if (data.readBoolean()) {
      data.readFixedOpaque(84); // fattr3
    }
    assertEquals(11, data.readInt(), "count");
    assertEquals(true, data.readBoolean(), "eof");
    assertArrayEquals(b("cached data"), data.readOpaque(100));
    XdrDecoder again = v3Call(Nfs3Program.LOOKUP, e -> e.writeOpaque(root).writeString("f"));
    assertEquals(0, again.readInt(), "LOOKUP");
    again.readOpaque(64);
    assertTrue(again.readBoolean(), "attributes again once the delegation is returned");
    assertTrue(readdirplusHasAttributes(root, "f"), "in READDIRPLUS too");
  }

  /** @return whether READDIRPLUS of {@code dir} gives attributes for the entry {@code name} */
  private boolean readdirplusHasAttributes(byte[] dir, String name) throws Exception {
    XdrDecoder d = v3Call(Nfs3Program.READDIRPLUS,
        e -> e.writeOpaque(dir).writeHyper(0).writeHyper(0).writeInt(4096).writeInt(32768));
    assertEquals(0, d.readInt(), "READDIRPLUS");
    if (d.readBoolean()) {
      d.readFixedOpaque(84); // the directory's fattr3
    }
    d.readHyper(); // cookieverf
    while (d.readBoolean()) {
      d.readHyper(); // fileid
      String entry = d.readString(255);
      d.readHyper(); // cookie
      boolean attributes = d.readBoolean();
      if (attributes) {
        d.readFixedOpaque(84);
      }
      if (d.readBoolean()) {
        d.readOpaque(64); // handle
      }
      if (entry.equals(name)) {
        return attributes;
      }
    }
    throw new AssertionError(name + " not listed");
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
