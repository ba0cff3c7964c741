package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.DirectClient;
import dev.jnfs.v4.testing.Reply;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CompoundProcessorTest {
  private final TestServerContext server = new TestServerContext(List.of(
      new Export("/data", null, RootOnlyFileSystem.create(5), ExportOptions.DEFAULT.with("insecure"))));

  private final AtomicReference<byte[]> cachedReply = new AtomicReference<>();
  private final AtomicReference<byte[]> completedReply = new AtomicReference<>();
  private volatile boolean replayNext;
  private volatile boolean cacheThis;

  /** A stand-in SEQUENCE: starts a slot, or answers from the "cache" when told to. */
  private final Nfs4Operation fakeSequence = (ctx, args, result) -> {
    args.readInt();
    if (replayNext) {
      ctx.replyFromCache(cachedReply.get());
      return;
    }
    result.writeInt(0xCAFE);
    ctx.beginSequence(new SequenceSlot() {
      @Override
      public int maxResponseSize() {
        return 200;
      }

      @Override
      public int maxResponseSizeCached() {
        return 120;
      }

      @Override
      public long clientId() {
        return 1;
      }

      @Override
      public boolean cacheThis() {
        return cacheThis;
      }

      @Override
      public void complete(ByteBuf reply) {
        completedReply.set(ByteBufUtil.getBytes(reply));
      }

      @Override
      public void abandon() {
        completedReply.set(new byte[0]);
      }
    });
  };

  private final DirectClient client = DirectClient.root(program());

  private Nfs4Program program() {
    OperationRegistry registry = new OperationRegistry();
    StatelessOperations.registerAll(registry);
    registry.register(Nfs4Opcode.SEQUENCE, 1, fakeSequence);
    registry.register(Nfs4Opcode.SETCLIENTID, 0, 0, (ctx, args, result) -> {});
    registry.register(Nfs4Opcode.EXCHANGE_ID, 1, (ctx, args, result) -> {});
    return new Nfs4Program(server, registry, Nfs4StateService.PERMISSIVE, IdMapper.NUMERIC);
  }

  private static Compound sequence(Compound c) {
    return c.op(Nfs4Opcode.SEQUENCE, a -> a.writeInt(1), XdrDecoder::readInt);
  }

  @Test
  void emptyCompoundSucceedsAndEchoesTheTag() {
    Reply r = client.call(Compound.v40().tag("hello"));
    assertEquals(Nfs4Status.OK, r.status());
    assertEquals("hello", r.tag());
    assertTrue(r.results().isEmpty());
  }

  @Test
  void unknownMinorVersionAnswersMismatchWithNoResults() {
    Reply r = client.call(Compound.minor(3).tag("t3").putrootfh().getfh());
    assertEquals(Nfs4Status.MINOR_VERS_MISMATCH, r.status());
    assertEquals("t3", r.tag());
    assertTrue(r.results().isEmpty());
  }

  @Test
  void unknownOpcodeIsIllegalAndStopsTheCompound() {
    for (int opcode : new int[] {0, 1, 2, 40, 9999, -1}) {
      Reply r = client.call(Compound.v40().tag("x").putrootfh()
          .op(opcode, a -> {}, in -> null).getfh());
      assertEquals(Nfs4Status.OP_ILLEGAL, r.status(), "opcode " + opcode);
      assertEquals(2, r.results().size());
      assertEquals(Nfs4Opcode.ILLEGAL, r.last().opcode());
      assertEquals("x", r.tag());
    }
  }

  @Test
  void v41OperationInV40IsIllegal() {
    Reply r = client.call(sequence(Compound.v40()));
    assertEquals(Nfs4Status.OP_ILLEGAL, r.status());
    assertEquals(Nfs4Opcode.ILLEGAL, r.last().opcode());
  }

  @Test
  void v40OnlyOperationInV41IsNotSupported() {
    Reply r = client.call(sequence(Compound.v41()).op(Nfs4Opcode.SETCLIENTID, a -> {}, in -> null));
    assertEquals(Nfs4Status.NOTSUPP, r.status());
    assertEquals(Nfs4Opcode.SETCLIENTID, r.last().opcode());
    assertEquals(2, r.results().size());
  }

  @Test
  void unregisteredOperationIsNotSupported() {
    Reply r = client.call(Compound.v40().putrootfh().op(Nfs4Opcode.OPEN, a -> {}, in -> null));
    assertEquals(Nfs4Status.NOTSUPP, r.status());
    assertEquals(Nfs4Opcode.OPEN, r.last().opcode());
  }

  @Test
  void v41RequiresSequenceFirst() {
    Reply r = client.call(Compound.v41().putrootfh().getfh());
    assertEquals(Nfs4Status.OP_NOT_IN_SESSION, r.status());
    assertEquals(1, r.results().size());
    assertEquals(Nfs4Opcode.PUTROOTFH, r.result(0).opcode());
  }

  @Test
  void sessionlessOperationMustBeAlone() {
    assertEquals(Nfs4Status.OK,
        client.call(Compound.v41().op(Nfs4Opcode.EXCHANGE_ID, a -> {}, in -> null)).status());
    Reply r = client.call(Compound.v41().op(Nfs4Opcode.EXCHANGE_ID, a -> {}, in -> null).putrootfh());
    assertEquals(Nfs4Status.NOT_ONLY_OP, r.status());
  }

  @Test
  void sequenceAfterTheFirstOperationIsMisplaced() {
    Reply r = client.call(sequence(sequence(Compound.v41())));
    assertEquals(Nfs4Status.SEQUENCE_POS, r.status());
    assertEquals(2, r.results().size());
  }

  @Test
  void completedReplyIsHandedToTheSlotAndReplayedVerbatim() {
    Compound c = sequence(Compound.v41().tag("cache")).putrootfh().getfh();
    byte[][] sent = new byte[1][];
    client.callRaw(c::encode, out -> sent[0] = ByteBufUtil.getBytes(out));
    assertArrayEquals(sent[0], completedReply.get());

    cachedReply.set(sent[0]);
    replayNext = true;
    completedReply.set(null);
    // a retry with different later operations still gets the cached bytes
    Compound retry = sequence(Compound.v41().tag("cache")).putrootfh();
    byte[][] second = new byte[1][];
    client.callRaw(retry::encode, out -> second[0] = ByteBufUtil.getBytes(out));
    assertArrayEquals(sent[0], second[0]);
    assertNull(completedReply.get());
  }

  @Test
  void replyOverTheSessionLimitAnswersRepTooBig() {
    // the fake slot allows 200 bytes; a GETATTR of the filehandle and more exceeds it
    Reply r = client.call(sequence(Compound.v41()).putrootfh().lookup("data")
        .getattr(Fattr4.SUPPORTED_ATTRS, Fattr4.FILEHANDLE, Fattr4.OWNER, Fattr4.OWNER_GROUP,
            Fattr4.TIME_ACCESS, Fattr4.TIME_METADATA, Fattr4.TIME_MODIFY, Fattr4.SPACE_TOTAL,
            Fattr4.SPACE_FREE, Fattr4.SPACE_AVAIL, Fattr4.FILES_TOTAL, Fattr4.FSID)
        .getfh().getfh().getfh().getfh());
    assertEquals(Nfs4Status.REP_TOO_BIG, r.status());
    assertNotNull(completedReply.get());
    assertTrue(completedReply.get().length <= 200 + 8);
  }

  @Test
  void replyOverTheCachedLimitAnswersRepTooBigToCache() {
    cacheThis = true;
    Compound c = sequence(Compound.v41()).putrootfh().getfh().getfh().getfh().getfh().getfh().getfh();
    Reply r = client.call(c);
    assertEquals(Nfs4Status.REP_TOO_BIG_TO_CACHE, r.status(), Fixture.describe(r));
    cacheThis = false;
    assertEquals(Nfs4Status.OK, client.call(c).status());
  }

  @Test
  void tenThousandOperationsAreRefusedWithOneResult() {
    Compound c = Compound.v40();
    for (int i = 0; i < 10_000; i++) {
      c.putrootfh();
    }
    Reply r = client.call(c);
    assertEquals(Nfs4Status.RESOURCE, r.status());
    assertEquals(1, r.results().size());
    assertEquals(Nfs4Opcode.PUTROOTFH, r.result(0).opcode());

    Compound c41 = Compound.v41();
    for (int i = 0; i < 10_000; i++) {
      c41.putrootfh();
    }
    assertEquals(Nfs4Status.TOO_MANY_OPS, client.call(c41).status());
    assertEquals(Nfs4Status.OK, client.call(Compound.v40().putrootfh().getfh()).status());
  }

  @Test
  void hugeDeclaredCountWithoutOperationsIsRefused() {
    Reply r = client.call(Compound.v40().declareCount(Integer.MAX_VALUE));
    assertEquals(Nfs4Status.RESOURCE, r.status());
    assertEquals(Nfs4Opcode.ILLEGAL, r.result(0).opcode());
  }

  @Test
  void missingOperationsAnswerBadXdr() {
    Reply r = client.call(Compound.v40().putrootfh().declareCount(3));
    assertEquals(Nfs4Status.BADXDR, r.status());
    assertEquals(2, r.results().size());
  }

  @Test
  void truncatedArgumentsAnswerBadXdrAndTheServerKeepsServing() {
    Reply r = client.call(Compound.v40().op(Nfs4Opcode.PUTFH, a -> a.writeInt(100), in -> null));
    assertEquals(Nfs4Status.BADXDR, r.status());
    Reply big = client.call(Compound.v40().op(Nfs4Opcode.PUTFH, a -> a.writeInt(129).writeFixedOpaque(new byte[132]), in -> null));
    assertEquals(Nfs4Status.BADXDR, big.status());
    assertEquals(Nfs4Status.OK, client.call(Compound.v40().putrootfh().getfh()).status());
  }

  @Test
  void truncatedHeaderIsGarbageArgs() {
    assertThrows(XdrException.class, () -> client.callRaw(a -> a.writeInt(5), out -> {}));
  }

  @Test
  void unknownProcedureIsUnavailable() {
    var call = new dev.jnfs.rpc.RpcCall(1, 100003, 4, 2, dev.jnfs.rpc.Credential.None.INSTANCE,
        new java.net.InetSocketAddress("127.0.0.1", 1), new java.net.InetSocketAddress("127.0.0.1", 2),
        dev.jnfs.rpc.Transport.TCP, new XdrDecoder(io.netty.buffer.Unpooled.EMPTY_BUFFER));
    RpcException e = assertThrows(RpcException.class, () -> program().handle(call, null));
    assertEquals(RpcException.PROC_UNAVAIL, e.status());
  }

  @Test
  void operationsThatNeedAFilehandleAnswerNoFilehandle() {
    assertEquals(Nfs4Status.NOFILEHANDLE, client.call(Compound.v40().getfh()).status());
    assertEquals(Nfs4Status.NOFILEHANDLE, client.call(Compound.v40().getattr(Fattr4.TYPE)).status());
    assertEquals(Nfs4Status.NOFILEHANDLE, client.call(Compound.v40().savefh()).status());
    assertEquals(Nfs4Status.NOFILEHANDLE, client.call(Compound.v40().lookup("data")).status());
    assertEquals(Nfs4Status.NOFILEHANDLE, client.call(Compound.v40().lookupp()).status());
  }

  @Test
  void restoreWithoutSaveAnswersRestorefh() {
    assertEquals(Nfs4Status.RESTOREFH, client.call(Compound.v40().putrootfh().restorefh()).status());
  }

  @Test
  void saveAndRestoreSwapTheCurrentFilehandle() {
    Reply r = client.call(Compound.v40().putrootfh().savefh().lookup("data").getfh().restorefh().getfh());
    assertEquals(Nfs4Status.OK, r.status());
    byte[] data = r.result(3).value();
    byte[] root = r.result(5).value();
    assertEquals(1, data[0]);
    assertEquals((byte) 0x80, root[0]);
  }

  @Test
  void optionalOperationsAnswerNotSupported() {
    for (int opcode : new int[] {Nfs4Opcode.LAYOUTGET, Nfs4Opcode.GETDEVICEINFO,
        Nfs4Opcode.WANT_DELEGATION, Nfs4Opcode.BACKCHANNEL_CTL, Nfs4Opcode.SET_SSV,
        Nfs4Opcode.GET_DIR_DELEGATION}) {
      Reply r = client.call(sequence(Compound.v41()).op(opcode, a -> {}, in -> null));
      assertEquals(Nfs4Status.NOTSUPP, r.status(), Nfs4Opcode.name(opcode));
      assertEquals(opcode, r.last().opcode());
    }
    assertEquals(Nfs4Status.NOTSUPP,
        client.call(Compound.v40().putrootfh().op(Nfs4Opcode.OPENATTR, a -> a.writeBoolean(false), in -> null)).status());
  }
}
