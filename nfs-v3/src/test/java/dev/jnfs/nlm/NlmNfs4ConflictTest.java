package dev.jnfs.nlm;

import static dev.jnfs.v4.testing.StateCompound.ACCESS_BOTH;
import static dev.jnfs.v4.testing.StateCompound.DENY_NONE;
import static dev.jnfs.v4.testing.StateCompound.WRITE_LT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NLM and NFSv4 share the server's lock manager: an NLM lock makes an NFSv4.1 client's LOCK
 * answer DENIED naming the NLM owner, and an NFSv4.1 lock makes NLM's TEST and LOCK answer
 * DENIED naming the NFSv4 owner; an NLM request blocked by an NFSv4 lock is granted when the
 * NFSv4 client unlocks; NLM shares meet NFSv4 share reservations. Both clients over TCP.
 */
class NlmNfs4ConflictTest {
  private ClientHost host;
  private NlmServer server;
  private NlmClient nlm;
  private TcpCompoundTransport v4;
  private long clientId;
  private byte[] sessionId;
  private int seqid;
  private Stateid open;
  private byte[] fh;

  @BeforeEach
  void start() throws Exception {
    host = new ClientHost();
    server = NlmServer.simple(host.portmapPort(), new Nfs4Protocol(StateConfig.defaults().withGracePeriod(Duration.ZERO)));
    fh = server.file("f");
    nlm = new NlmClient(server.address());
    v4 = new TcpCompoundTransport(server.address(), 0);
    StateCompound.ExchangeIdReply x = ok(StateCompound.exchangeId(Compound.v41(), b("nfs4-client"), 1, 0)).last().value();
    clientId = x.clientId();
    StateCompound.CreateSessionReply s =
        ok(StateCompound.createSession(Compound.v41(), clientId, x.sequence(), 8, 16)).last().value();
    sessionId = s.sessionId();
    ok(StateCompound.reclaimComplete(next()));
    StateCompound.OpenReply o = ok(StateCompound.openName(next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE, clientId,
        b("opener"), "f")).last().value();
    open = o.stateid();
  }

  @AfterEach
  void stop() throws Exception {
    v4.close();
    nlm.close();
    server.close();
    host.close();
  }

  @Test
  void anNlmLockDeniesAnNfs4LockAndNamesTheNlmOwner() throws Exception {
    assertEquals(NlmXdr.GRANTED, nlm.lock(NlmClient.Lock.of(fh, "nlm-owner", 42, 100, 50)));

    Compound lock = StateCompound.lockNew(next().putrootfh().lookup("f"), WRITE_LT, false, 120, 10, 0, open, 0,
        clientId, b("v4-owner"));
    byte[] bytes = v4.callRaw(lock);
    XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(bytes));
    Reply r = lock.decode(d);
    assertEquals(Nfs4Status.DENIED, r.status());
    StateCompound.Denied denied = StateCompound.readDenied(d);
    assertEquals(100, denied.offset());
    assertEquals(50, denied.length());
    assertEquals(WRITE_LT, denied.type());
    assertEquals(NlmOwners.CLIENT_ID, denied.clientId(), "the NLM client id, never an NFSv4 one");
    assertArrayEquals(NlmOwners.owner("127.0.0.1", 42, b("nlm-owner")).name(), denied.owner());

    assertEquals(NlmXdr.GRANTED, nlm.unlock(4, NlmClient.Lock.of(fh, "nlm-owner", 42, 100, 50)));
    Compound again = StateCompound.lockNew(next().putrootfh().lookup("f"), WRITE_LT, false, 120, 10, 0, open, 0,
        clientId, b("v4-owner"));
    ok(again);
  }

  @Test
  void anNfs4LockDeniesNlmTestAndLockAndNamesTheNfs4Owner() throws Exception {
    ok(StateCompound.lockNew(next().putrootfh().lookup("f"), WRITE_LT, false, 0, 10, 0, open, 0, clientId,
        b("v4-owner")));

    NlmClient.Result tested = nlm.test(4, false, NlmClient.Lock.of(fh, "nlm-owner", 7, 5, 1));
    assertEquals(NlmXdr.DENIED, tested.status());
    assertTrue(tested.holder().exclusive());
    assertEquals(0, tested.holder().svid(), "an NFSv4 owner has no svid");
    assertArrayEquals(b("v4-owner"), tested.holder().ownerHandle());
    assertEquals(0, tested.holder().offset());
    assertEquals(10, tested.holder().length());
    assertEquals(NlmXdr.DENIED, nlm.lock(NlmClient.Lock.of(fh, "nlm-owner", 7, 9, 1)));
    assertEquals(NlmXdr.GRANTED, nlm.lock(NlmClient.Lock.of(fh, "nlm-owner", 7, 10, 1)), "beyond it");
  }

  @Test
  void anNlmLockBlockedByAnNfs4LockIsGrantedWhenTheNfs4ClientUnlocks() throws Exception {
    Stateid lock = ok(StateCompound.lockNew(next().putrootfh().lookup("f"), WRITE_LT, false, 0, 10, 0, open, 0,
        clientId, b("v4-owner"))).last().value();
    assertEquals(NlmXdr.BLOCKED, nlm.lock(4, true, true, NlmClient.Lock.of(fh, "nlm-owner", 7, 0, 10), false));

    ok(StateCompound.locku(next().putrootfh().lookup("f"), WRITE_LT, 0, lock, 0, 10));

    ClientHost.Received granted = host.next();
    assertEquals(NlmProgram.GRANTED, granted.procedure());
    NlmClient.Result r = nlm.test(4, false, NlmClient.Lock.of(fh, "other", 8, 0, 1));
    assertEquals(NlmXdr.DENIED, r.status());
    assertEquals(7, r.holder().svid());
  }

  @Test
  void nlmSharesMeetNfs4OpensShareReservations() throws Exception {
    // the NFSv4 open has read and write access and denies nothing
    assertEquals(NlmXdr.DENIED, nlm.share(NlmProgram.SHARE, fh, "dos", 2 /* deny write */, 1));
    assertEquals(NlmXdr.GRANTED, nlm.share(NlmProgram.SHARE, fh, "dos", 0 /* deny none */, 3));
  }

  @Test
  void anNlmLockWaitsForTheRecallOfAnNfs4Delegation() throws Exception {
    ok(StateCompound.close(next().putrootfh().lookup("f"), 0, open));
    try (TcpCompoundTransport holder = new TcpCompoundTransport(server.address(), 0)) {
      StateCompound.ExchangeIdReply x = call(holder,
          StateCompound.exchangeId(Compound.v41(), b("delegation-holder"), 1, 0)).last().value();
      StateCompound.CreateSessionReply s = call(holder,
          StateCompound.createSession(Compound.v41(), x.clientId(), x.sequence(), 8, 16, 2, 1)).last().value();
      int[] holderSeqid = {0};
      java.util.function.Supplier<Compound> holderNext =
          () -> StateCompound.sequence(Compound.v41(), s.sessionId(), ++holderSeqid[0], 0, false);
      call(holder, StateCompound.reclaimComplete(holderNext.get()));
      StateCompound.OpenReply read = call(holder, StateCompound.openName(holderNext.get().putrootfh(), 0,
          StateCompound.ACCESS_READ, DENY_NONE, x.clientId(), b("reader"), "f")).last().value();
      assertEquals(1, read.delegationType(), "a read delegation");

      assertEquals(NlmXdr.DENIED_GRACE_PERIOD, nlm.lock(NlmClient.Lock.of(fh, "nlm-owner", 42, 0, 10)));
      BackChannelCalls.Call recall = BackChannelCalls.await(holder);
      assertEquals(BackChannelCalls.CB_RECALL, recall.opcode());
      BackChannelCalls.answer(holder, recall, Nfs4Status.OK);
      call(holder, StateCompound.delegreturn(holderNext.get().putrootfh().lookup("f"), read.delegation()));
      assertEquals(NlmXdr.GRANTED, nlm.lock(NlmClient.Lock.of(fh, "nlm-owner", 42, 0, 10)));
    }
  }

  private static Reply call(TcpCompoundTransport t, Compound c) {
    Reply r = c.decode(new XdrDecoder(Unpooled.wrappedBuffer(t.callRaw(c))));
    if (r.status() != Nfs4Status.OK) {
      throw new AssertionError("COMPOUND failed with " + r.status() + ": " + r);
    }
    return r;
  }

  private Compound next() {
    return StateCompound.sequence(Compound.v41(), sessionId, ++seqid, 0, true);
  }

  private Reply ok(Compound c) {
    Reply r = c.decode(new XdrDecoder(Unpooled.wrappedBuffer(v4.callRaw(c))));
    if (r.status() != Nfs4Status.OK) {
      throw new AssertionError("COMPOUND failed with " + r.status() + ": " + r);
    }
    return r;
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
