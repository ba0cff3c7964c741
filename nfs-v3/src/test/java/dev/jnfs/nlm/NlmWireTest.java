package dev.jnfs.nlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcUdpTestClient;
import dev.jnfs.spi.Caller;
import dev.jnfs.xdr.XdrDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NLM through the wire: each procedure's results and error paths, as a client sees them over
 * TCP (and UDP), with a client host that receives the server's callbacks.
 */
class NlmWireTest {
  private ClientHost host;
  private NlmServer server;
  private NlmClient client;
  private byte[] fh;

  @BeforeEach
  void start() throws Exception {
    host = new ClientHost();
    server = NlmServer.simple(host.portmapPort());
    client = new NlmClient(server.address());
    fh = server.file("f");
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.close();
    host.close();
  }

  private NlmClient.Lock lock(String owner, int svid, long offset, long length) {
    return NlmClient.Lock.of(fh, owner, svid, offset, length);
  }

  @Test
  void nullAnswersOnVersionsOneThreeAndFourAndTheStatusMonitorToo() throws Exception {
    for (int version : new int[] {1, 3, 4}) {
      assertTrue(client.call(version, NlmProgram.NULL, e -> {}).isSuccess(), "version " + version);
    }
    assertEquals(RpcReply.PROG_MISMATCH, client.call(2, NlmProgram.NULL, e -> {}).acceptStat(), "no version 2");
    assertTrue(client.rpc.call(NsmProgram.PROGRAM, 1, 0, new byte[0]).isSuccess());
  }

  @Test
  void aConflictingLockIsDeniedAndTestNamesTheHolder() throws Exception {
    assertEquals(NlmXdr.GRANTED, client.lock(lock("alice", 11, 0, 100)));

    NlmClient.Result tested = client.test(4, false, lock("bob", 22, 50, 10));
    assertEquals(NlmXdr.DENIED, tested.status());
    NlmClient.Holder holder = tested.holder();
    assertTrue(holder.exclusive());
    assertEquals(11, holder.svid());
    assertArrayEquals("alice".getBytes(StandardCharsets.UTF_8), holder.ownerHandle());
    assertEquals(0, holder.offset());
    assertEquals(100, holder.length());

    assertEquals(NlmXdr.DENIED, client.lock(lock("bob", 22, 99, 1)));
    assertEquals(NlmXdr.GRANTED, client.lock(lock("bob", 22, 100, 0)), "the bytes after are free");
    assertEquals(NlmXdr.GRANTED, client.unlock(4, lock("alice", 11, 0, 100)));
    assertEquals(NlmXdr.GRANTED, client.lock(lock("bob", 22, 0, 100)));
  }

  @Test
  void readLocksShareAndTheSameOwnerUpgradesAndSplits() throws Exception {
    assertEquals(NlmXdr.GRANTED, client.lock(4, false, false, lock("alice", 1, 0, 100), false));
    assertEquals(NlmXdr.GRANTED, client.lock(4, false, false, lock("bob", 2, 0, 100), false));
    assertEquals(NlmXdr.DENIED, client.lock(lock("alice", 1, 0, 100)), "bob's read lock blocks the upgrade");
    assertEquals(NlmXdr.GRANTED, client.unlock(4, lock("bob", 2, 0, 100)));
    assertEquals(NlmXdr.GRANTED, client.lock(lock("alice", 1, 0, 100)), "upgrade");
    assertEquals(NlmXdr.DENIED, client.test(4, false, lock("bob", 2, 0, 1)).status());

    assertEquals(NlmXdr.GRANTED, client.unlock(4, lock("alice", 1, 40, 20)));
    assertEquals(NlmXdr.GRANTED, client.test(4, true, lock("bob", 2, 40, 20)).status(), "the hole is free");
    NlmClient.Result after = client.test(4, true, lock("bob", 2, 60, 1));
    assertEquals(NlmXdr.DENIED, after.status());
    assertEquals(60, after.holder().offset());
    assertEquals(40, after.holder().length());
  }

  @Test
  void anotherProcessOfTheSameHostIsAnotherOwner() throws Exception {
    assertEquals(NlmXdr.GRANTED, client.lock(lock("same", 1, 0, 0)));
    assertEquals(NlmXdr.DENIED, client.lock(lock("same", 2, 0, 0)));
  }

  @Test
  void unlockOfNothingIsGrantedAndCancelOfNothingIsDenied() throws Exception {
    assertEquals(NlmXdr.GRANTED, client.unlock(4, lock("nobody", 1, 0, 10)));
    assertEquals(NlmXdr.DENIED, client.cancel(4, lock("nobody", 1, 0, 10)));
  }

  @Test
  void staleForeignAndMalformedHandlesAnswerStaleFh() throws Exception {
    byte[] removed = server.file("gone");
    server.fs.remove(Caller.of(0, 0), server.fs.root(), "gone");
    byte[] foreign = fh.clone();
    foreign[1] ^= 0x55; // another export id
    for (byte[] handle : new byte[][] {removed, foreign, {1, 2, 3}, new byte[0]}) {
      NlmClient.Lock l = NlmClient.Lock.of(handle, "alice", 1, 0, 10);
      assertEquals(NlmXdr.STALE_FH, client.lock(l));
      assertEquals(NlmXdr.STALE_FH, client.test(4, true, l).status());
      assertEquals(NlmXdr.STALE_FH, client.unlock(4, l));
      assertEquals(NlmXdr.STALE_FH, client.cancel(4, l));
      assertEquals(NlmXdr.STALE_FH, client.share(NlmProgram.SHARE, handle, "alice", 0, 3));
      assertEquals(NlmXdr.DENIED_NOLOCKS, client.lock(1, false, true, l, false), "version 1 has no stale_fh");
    }
  }

  @Test
  void anOwnerHandleTooLongForAnOwnerFails() throws Exception {
    NlmClient.Lock l = new NlmClient.Lock(fh, new byte[NlmOwners.MAX_OWNER_HANDLE + 1], 1, 0, 1);
    assertEquals(NlmXdr.FAILED, client.lock(l));
    assertEquals(NlmXdr.FAILED, client.test(4, true, l).status());
    NlmClient.Lock longest = new NlmClient.Lock(fh, new byte[NlmOwners.MAX_OWNER_HANDLE], 1, 0, 1);
    assertEquals(NlmXdr.GRANTED, client.lock(longest));
  }

  @Test
  void aRangeBeyondTwoToTheSixtyFourIsTooBig() throws Exception {
    assertEquals(NlmXdr.FBIG, client.lock(lock("alice", 1, -10, 20)));
    assertEquals(NlmXdr.GRANTED, client.lock(lock("alice", 1, -10, 9)), "the last bytes but one fit");
  }

  @Test
  void versionOneLocksAreThirtyTwoBitsAndMeetVersionFourLocks() throws Exception {
    assertEquals(NlmXdr.GRANTED, client.lock(1, false, true, lock("old", 5, 4096, 0), false));
    NlmClient.Result r = client.test(4, false, lock("new", 6, 1L << 40, 1));
    assertEquals(NlmXdr.DENIED, r.status());
    assertEquals(4096, r.holder().offset());
    assertEquals(0, r.holder().length(), "to the end of the file");
    NlmClient.Result v3 = client.test(3, false, lock("new", 6, 5000, 1));
    assertEquals(NlmXdr.DENIED, v3.status());
    assertEquals(4096, v3.holder().offset());
  }

  @Test
  void sharesDenyAsDosShareModes() throws Exception {
    // alice opens for read and write, denying write to others
    assertEquals(NlmXdr.GRANTED, client.share(NlmProgram.SHARE, fh, "alice", 2, 3));
    assertEquals(NlmXdr.DENIED, client.share(NlmProgram.SHARE, fh, "bob", 0, 2));
    assertEquals(NlmXdr.GRANTED, client.share(NlmProgram.SHARE, fh, "bob", 0, 1), "reading is not denied");
    assertEquals(NlmXdr.FAILED, client.share(NlmProgram.SHARE, fh, "carol", 7, 1), "no such mode");
    assertEquals(NlmXdr.GRANTED, client.share(NlmProgram.UNSHARE, fh, "alice", 0, 0));
    assertEquals(NlmXdr.GRANTED, client.share(NlmProgram.SHARE, fh, "carol", 0, 2));
  }

  @Test
  void nmLockNeverBlocks() throws Exception {
    assertEquals(NlmXdr.GRANTED, client.lock(lock("alice", 1, 0, 0)));
    RpcReply r = client.call(4, NlmProgram.NM_LOCK,
        NlmClient.lockArgs(4, true, true, lock("bob", 2, 0, 0), false));
    assertEquals(NlmXdr.DENIED, NlmClient.result(r, 4).status());
  }

  @Test
  void freeAllReleasesEverythingOfTheCallingHost() throws Exception {
    assertEquals(NlmXdr.GRANTED, client.lock(lock("alice", 1, 0, 0)));
    assertEquals(NlmXdr.GRANTED, client.share(NlmProgram.SHARE, fh, "alice", 3, 3));
    assertTrue(client.call(4, NlmProgram.FREE_ALL, e -> e.writeString("client-host").writeInt(3)).isSuccess());
    try (NlmClient other = new NlmClient(server.address())) {
      assertEquals(NlmXdr.GRANTED, other.test(4, true, lock("bob", 2, 0, 0)).status());
      assertEquals(NlmXdr.GRANTED, other.share(NlmProgram.SHARE, fh, "bob", 3, 3));
    }
  }

  @Test
  void smNotifyFromARestartedClientReleasesItsLocks() throws Exception {
    assertEquals(NlmXdr.GRANTED, client.lock(lock("alice", 1, 0, 0)));
    RpcReply r = client.rpc.call(NsmProgram.PROGRAM, 1, NsmProgram.SM_NOTIFY, NlmClient.SYS,
        RpcMessageBuilder.xdr(e -> e.writeString("client-host").writeInt(5)));
    assertTrue(r.isSuccess());
    assertEquals(NlmXdr.GRANTED, client.test(4, true, lock("bob", 2, 0, 0)).status());
  }

  @Test
  void theStatusMonitorAnswersStatButMonitorsForNobody() throws Exception {
    XdrDecoder stat = NlmClient.success(client.rpc.call(NsmProgram.PROGRAM, 1, NsmProgram.SM_STAT,
        RpcMessageBuilder.xdr(e -> e.writeString("anyone"))));
    assertEquals(0, stat.readInt());
    assertEquals(1, stat.readInt(), "a first start without a state directory is state 1");
    XdrDecoder mon = NlmClient.success(client.rpc.call(NsmProgram.PROGRAM, 1, NsmProgram.SM_MON,
        RpcMessageBuilder.xdr(e -> e.writeString("anyone").writeString("me").writeInt(100021).writeInt(4)
            .writeInt(16).writeFixedOpaque(new byte[16]))));
    assertEquals(1, mon.readInt(), "stat_fail");
    assertEquals(RpcReply.PROC_UNAVAIL, client.rpc.call(NsmProgram.PROGRAM, 1, 99, new byte[0]).acceptStat());
  }

  @Test
  void aBlockedLockIsGrantedThroughTheGrantedCallback() throws Exception {
    assertEquals(NlmXdr.GRANTED, client.lock(lock("alice", 1, 0, 100)));
    assertEquals(NlmXdr.BLOCKED, client.lock(4, true, true, lock("bob", 2, 10, 10), false));
    assertEquals(NlmXdr.GRANTED, client.unlock(4, lock("alice", 1, 0, 100)));

    ClientHost.Received granted = host.next();
    assertEquals(NlmProgram.PROGRAM, granted.program());
    assertEquals(NlmProgram.GRANTED, granted.procedure());
    XdrDecoder d = granted.decoder();
    d.readOpaque(1024);
    assertTrue(d.readBoolean(), "exclusive");
    assertEquals("client-host", d.readString(1024));
    assertArrayEquals(fh, d.readOpaque(1024));
    assertArrayEquals("bob".getBytes(StandardCharsets.UTF_8), d.readOpaque(1024));
    assertEquals(2, d.readInt());
    assertEquals(10, d.readHyper());
    assertEquals(10, d.readHyper());
    NlmClient.Result r = client.test(4, false, lock("carol", 3, 15, 1));
    assertEquals(NlmXdr.DENIED, r.status());
    assertEquals(2, r.holder().svid(), "bob holds it now");
  }

  @Test
  void aCallbackThatComesBackToTheServerKeepsTheLockForTheClientsRetry() throws Exception {
    try (NlmServer loopback = NlmServer.loopback(); NlmClient c = new NlmClient(loopback.address())) {
      byte[] file = loopback.file("f");
      assertEquals(NlmXdr.GRANTED, c.lock(NlmClient.Lock.of(file, "alice", 1, 0, 100)));
      NlmClient.Lock bob = NlmClient.Lock.of(file, "bob", 2, 0, 100);
      assertEquals(NlmXdr.BLOCKED, c.lock(4, true, true, bob, false));
      assertEquals(NlmXdr.GRANTED, c.unlock(4, NlmClient.Lock.of(file, "alice", 1, 0, 100)));
      long deadline = System.nanoTime() + 20_000_000_000L;
      NlmClient.Result r;
      while ((r = c.test(4, true, NlmClient.Lock.of(file, "carol", 3, 0, 1))).status() != NlmXdr.DENIED) {
        assertTrue(System.nanoTime() < deadline, "never granted to bob");
        Thread.sleep(20);
      }
      assertEquals(2, r.holder().svid());
      Thread.sleep(500); // the callback's round trip through the server's own NLM
      assertEquals(NlmXdr.DENIED, c.test(4, true, NlmClient.Lock.of(file, "carol", 3, 0, 1)).status(),
          "still bob's after its own callback");
      assertEquals(NlmXdr.GRANTED, c.lock(4, true, true, bob, false), "the client's retry");
    }
  }

  @Test
  void aGrantedCallSentToTheServerIsDenied() throws Exception {
    RpcReply r = client.call(4, NlmProgram.GRANTED, e -> {
      e.writeOpaque(NlmClient.COOKIE);
      e.writeBoolean(true);
      lock("alice", 1, 0, 1).write(e, 4);
    });
    assertEquals(NlmXdr.DENIED, NlmClient.result(r, 4).status());
  }

  @Test
  void aGrantThatTheClientRefusesIsReleased() throws Exception {
    host.grantedAnswer = NlmXdr.DENIED;
    assertEquals(NlmXdr.GRANTED, client.lock(lock("alice", 1, 0, 100)));
    assertEquals(NlmXdr.BLOCKED, client.lock(4, true, true, lock("bob", 2, 0, 100), false));
    assertEquals(NlmXdr.GRANTED, client.unlock(4, lock("alice", 1, 0, 100)));
    assertEquals(NlmProgram.GRANTED, host.next().procedure());
    awaitFree(lock("carol", 3, 0, 100));
  }

  @Test
  void aCancelledRequestIsNotGranted() throws Exception {
    assertEquals(NlmXdr.GRANTED, client.lock(lock("alice", 1, 0, 100)));
    assertEquals(NlmXdr.BLOCKED, client.lock(4, true, true, lock("bob", 2, 0, 100), false));
    assertEquals(NlmXdr.GRANTED, client.cancel(4, lock("bob", 2, 0, 100)));
    assertEquals(NlmXdr.DENIED, client.cancel(4, lock("bob", 2, 0, 100)), "cancelled once");
    assertEquals(NlmXdr.GRANTED, client.unlock(4, lock("alice", 1, 0, 100)));
    assertEquals(NlmXdr.GRANTED, client.test(4, true, lock("carol", 3, 0, 100)).status());
    assertTrue(host.received.isEmpty());
  }

  @Test
  void theMsgFormsAnswerThroughTheClientsResProcedures() throws Exception {
    assertEquals(NlmXdr.GRANTED, client.lock(lock("alice", 1, 0, 100)));
    RpcReply sent = client.call(4, 6 /* TEST_MSG */, e -> {
      e.writeOpaque(NlmClient.COOKIE);
      e.writeBoolean(true);
      lock("bob", 2, 0, 1).write(e, 4);
    });
    assertTrue(sent.isSuccess());
    assertEquals(0, sent.results().length, "void");
    ClientHost.Received res = host.next();
    assertEquals(11, res.procedure(), "TEST_RES");
    XdrDecoder d = res.decoder();
    assertArrayEquals(NlmClient.COOKIE, d.readOpaque(1024));
    assertEquals(NlmXdr.DENIED, d.readInt());
    assertTrue(d.readBoolean());
    assertEquals(1, d.readInt(), "alice's svid");

    assertTrue(client.call(4, 7 /* LOCK_MSG */,
        NlmClient.lockArgs(4, false, true, lock("bob", 2, 200, 1), false)).isSuccess());
    ClientHost.Received lockRes = host.next();
    assertEquals(12, lockRes.procedure(), "LOCK_RES");
    XdrDecoder l = lockRes.decoder();
    l.readOpaque(1024);
    assertEquals(NlmXdr.GRANTED, l.readInt());
  }

  @Test
  void malformedRecordsAreGarbageAndTheServerKeepsServing() throws Exception {
    byte[] valid = RpcMessageBuilder.xdr(NlmClient.lockArgs(4, false, true, lock("alice", 1, 0, 1), false));
    for (int cut : new int[] {0, 3, 8, 20, valid.length - 4}) {
      RpcReply r = client.rpc.call(NlmProgram.PROGRAM, 4, NlmProgram.LOCK, NlmClient.SYS,
          Arrays.copyOf(valid, cut));
      assertEquals(RpcReply.GARBAGE_ARGS, r.acceptStat(), "cut at " + cut);
    }
    byte[] hugeCookie = RpcMessageBuilder.xdr(e -> e.writeInt(1 << 20).writeInt(0));
    for (int procedure : new int[] {1, 2, 3, 4, 20, 21, 22, 23}) {
      assertEquals(RpcReply.GARBAGE_ARGS, client.rpc.call(NlmProgram.PROGRAM, 4, procedure, NlmClient.SYS,
          hugeCookie).acceptStat(), "procedure " + procedure);
    }
    assertEquals(RpcReply.GARBAGE_ARGS, client.rpc.call(NsmProgram.PROGRAM, 1, NsmProgram.SM_NOTIFY,
        NlmClient.SYS, hugeCookie).acceptStat());
    assertEquals(RpcReply.PROC_UNAVAIL, client.call(1, NlmProgram.SHARE, e -> {}).acceptStat(),
        "version 1 has no SHARE");
    assertEquals(RpcReply.PROC_UNAVAIL, client.call(4, 30, e -> {}).acceptStat());
    assertEquals(NlmXdr.GRANTED, client.lock(lock("alice", 1, 0, 1)), "still serving");
  }

  @Test
  void nlmIsServedOverUdp() throws Exception {
    assertEquals(NlmXdr.GRANTED, client.lock(lock("alice", 1, 0, 1)));
    try (RpcUdpTestClient udp = new RpcUdpTestClient(server.address())) {
      RpcReply r = udp.call(NlmProgram.PROGRAM, 4, NlmProgram.TEST, NlmClient.SYS, RpcMessageBuilder.xdr(e -> {
        e.writeOpaque(NlmClient.COOKIE);
        e.writeBoolean(true);
        lock("bob", 2, 0, 1).write(e, 4);
      }));
      NlmClient.Result result = NlmClient.result(r, 4);
      assertEquals(NlmXdr.DENIED, result.status());
      assertEquals(1, result.holder().svid());
    }
  }

  /** Waits until a release done in the background shows. */
  private void awaitFree(NlmClient.Lock l) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (client.test(4, true, l).status() != NlmXdr.GRANTED) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never released");
      }
      Thread.sleep(20);
    }
    assertNull(client.test(4, true, l).holder());
  }
}
