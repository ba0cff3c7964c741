package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.DirectClient;
import dev.jnfs.v4.testing.Reply;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The compound processor with the real state operations in 4.1: session setup, the slot's
 * reply cache answering a retry byte for byte without running it again, and the operation
 * limit.
 */
class SessionCompoundTest {
  private final TestServerContext server = new TestServerContext(
      List.of(new Export("/data", null, new InMemoryFileSystem(), Fixture.RW)));
  private final DirectClient client = DirectClient.root(Nfs4Protocol.program(server, IdMapper.NUMERIC));
  private byte[] session;

  @BeforeEach
  void openSession() {
    Reply ex = client.call(Compound.v41().exchangeId("session-test", 42));
    assertEquals(Nfs4Status.OK, ex.status(), Fixture.describe(ex));
    long[] id = ex.last().value();
    Reply cs = client.call(Compound.v41().createSession(id[0], (int) id[1], 16));
    assertEquals(Nfs4Status.OK, cs.status(), Fixture.describe(cs));
    session = cs.last().value();
    Reply rc = client.call(Compound.v41().sequence(session, 1, 0, false).reclaimComplete(false));
    assertEquals(Nfs4Status.OK, rc.status(), Fixture.describe(rc));
  }

  private byte[] raw(Compound c) {
    byte[][] out = new byte[1][];
    client.callRaw(c::encode, buf -> out[0] = ByteBufUtil.getBytes(buf));
    return out[0];
  }

  @Test
  void retryIsAnsweredFromTheSlotCacheWithoutRunningAgain() {
    Compound mkdir = Compound.v41().tag("once").sequence(session, 2, 0, true)
        .putrootfh().lookup("data").mkdir("made-once", Attrs.set());
    byte[] first = raw(mkdir);
    byte[] retry = raw(mkdir);
    assertArrayEquals(first, retry, "a retry gets the cached reply, not EXIST");
    Reply next = client.call(Compound.v41().sequence(session, 3, 0, false)
        .putrootfh().lookup("data").mkdir("made-once", Attrs.set()));
    assertEquals(Nfs4Status.EXIST, next.status());
  }

  @Test
  void compoundOverTheOperationLimitIsRefused() {
    Compound c = Compound.v41().sequence(session, 2, 0, false);
    for (int i = 0; i < CompoundProcessor.MAX_OPERATIONS; i++) {
      c.putrootfh();
    }
    Reply r = client.call(c);
    assertEquals(Nfs4Status.TOO_MANY_OPS, r.status());
    assertEquals(1, r.results().size());
    // the slot was not used: the same sequence id is still the next one
    assertEquals(Nfs4Status.OK, client.call(Compound.v41().sequence(session, 2, 0, false).putrootfh()).status());
  }

  @Test
  void statelessOperationsRunInTheSession() {
    Reply r = client.call(Compound.v41().sequence(session, 2, 0, false).putrootfh().lookup("data")
        .getattr(Fattr4.SUPPORTED_ATTRS).secinfoNoName(0).putrootfh().getfh());
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    assertEquals(Fattr4.SUPPORTED_V41, ((Attrs) r.result(3).value()).get(Fattr4.SUPPORTED_ATTRS));
    Reply v40only = client.call(Compound.v41().sequence(session, 3, 0, false)
        .op(Nfs4Opcode.RENEW, a -> a.writeHyper(1), in -> null));
    assertEquals(Nfs4Status.NOTSUPP, v40only.status());
    assertNotEquals(0, session.length);
  }
}
