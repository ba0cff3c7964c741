package dev.jnfs.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzzes the decoding of an RPC call (RFC 5531 §9): the fixed header, the credential and the
 * verifier as {@link RpcDispatcher#accept} reads them, the AUTH_SYS body, and the RPCSEC_GSS
 * credential body (RFC 2203 §5). The dispatcher must answer every record with a reply, a call
 * to run or nothing, and never throw; a call that runs must produce a reply for its own xid.
 * The credential decoders may only throw {@link RpcException} (AUTH_BADCRED); what they
 * accept encodes back to a body that decodes to the same credential (an AUTH_SYS machine name
 * that is not UTF-8 excepted: it is read with replacement characters).
 */
class RpcCallHeaderFuzzTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 800);
  private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 2049);

  private final RpcDispatcher dispatcher =
      new RpcDispatcher(new ProgramTable(List.of(new EchoProgram())), AuthFlavors.standard(), null);

  /** Echoes an opaque (procedure 1), answers NULL; never blocks, unlike the test program. */
  private static final class EchoProgram implements RpcProgram {
    @Override
    public int program() {
      return TestProgram.PROGRAM;
    }

    @Override
    public int lowVersion() {
      return 1;
    }

    @Override
    public int highVersion() {
      return 2;
    }

    @Override
    public void handle(RpcCall call, dev.jnfs.xdr.XdrEncoder out) {
      switch (call.procedure()) {
        case 0 -> {}
        case 1 -> out.writeOpaque(call.arguments().readOpaque(64 * 1024));
        default -> throw RpcException.procedureUnavailable(call.procedure());
      }
    }
  }

  @FuzzTest(maxDuration = "2m")
  void callHeader(FuzzedDataProvider data) {
    switch (data.consumeInt(0, 2)) {
      case 0 -> record(data.consumeRemainingAsBytes());
      case 1 -> authSys(data.consumeRemainingAsBytes());
      default -> gssCredential(data.consumeRemainingAsBytes());
    }
  }

  private void record(byte[] bytes) {
    ByteBuf record = Unpooled.buffer(bytes.length).writeBytes(bytes);
    Inbound in =
        dispatcher.accept(record, CLIENT, SERVER, Transport.TCP, UnpooledByteBufAllocator.DEFAULT);
    switch (in) {
      case Inbound.Reply reply -> checkReply(reply.buffer(), bytes);
      case Inbound.StartTls start -> start.buffer().release();
      case Inbound.Disposition d -> {}
      case RpcCallTask task -> checkReply(task.run(UnpooledByteBufAllocator.DEFAULT), bytes);
    }
    assertEquals(0, record.refCnt(), "the record is released");
  }

  /** A TCP reply: a record mark, the call's xid, REPLY. */
  private static void checkReply(ByteBuf reply, byte[] call) {
    try {
      assertTrue(reply.readableBytes() >= 12, "reply too short");
      assertEquals(reply.readableBytes() - 4, reply.getInt(0) & ~RpcMessages.LAST_FRAGMENT);
      int xid = (call[0] & 0xff) << 24 | (call[1] & 0xff) << 16 | (call[2] & 0xff) << 8 | call[3] & 0xff;
      assertEquals(xid, reply.getInt(4), "reply xid");
      assertEquals(1, reply.getInt(8), "msg_type REPLY");
    } finally {
      reply.release();
    }
  }

  private static void authSys(byte[] body) {
    Credential.Sys sys;
    try {
      sys = (Credential.Sys) new AuthSysFlavor()
          .authenticate(Unpooled.wrappedBuffer(body), Credential.AUTH_NONE, Unpooled.EMPTY_BUFFER);
    } catch (RpcException e) {
      assertEquals(RpcException.AUTH_BADCRED, e.status());
      return;
    }
    assertTrue(sys.gids().length <= AuthSysFlavor.MAX_GIDS);
    if (sys.machineName().getBytes(StandardCharsets.UTF_8).length > AuthSysFlavor.MAX_MACHINE_NAME) {
      // bytes that are not UTF-8 were decoded as U+FFFD, which takes three bytes to encode: the
      // name, which the server only logs, cannot go back within its 255 bytes
      assertTrue(sys.machineName().indexOf('\uFFFD') >= 0, "a name grew in a round trip");
      return;
    }
    byte[] again =
        RpcMessageBuilder.authSysBody(sys.stamp(), sys.machineName(), sys.uid(), sys.gid(), sys.gids());
    Credential.Sys back = (Credential.Sys) new AuthSysFlavor()
        .authenticate(Unpooled.wrappedBuffer(again), Credential.AUTH_NONE, Unpooled.EMPTY_BUFFER);
    assertEquals(sys.stamp(), back.stamp());
    assertEquals(sys.machineName(), back.machineName());
    assertEquals(sys.uid(), back.uid());
    assertEquals(sys.gid(), back.gid());
    assertArrayEquals(sys.gids(), back.gids());
  }

  private static void gssCredential(byte[] body) {
    GssCredentialBody cred;
    try {
      cred = GssCredentialBody.parse(Unpooled.wrappedBuffer(body));
    } catch (RpcException e) {
      assertEquals(RpcException.AUTH_BADCRED, e.status());
      return;
    }
    assertTrue(cred.handle().length <= GssCredentialBody.MAX_HANDLE);
    byte[] again = RpcMessageBuilder.xdr(e -> e
        .writeInt(GssCredentialBody.VERSION_1)
        .writeInt(cred.procedure())
        .writeInt(cred.sequence())
        .writeInt(cred.service().wireValue())
        .writeOpaque(cred.handle()));
    GssCredentialBody back = GssCredentialBody.parse(Unpooled.wrappedBuffer(again));
    assertEquals(cred.procedure(), back.procedure());
    assertEquals(cred.sequence(), back.sequence());
    assertEquals(cred.service(), back.service());
    assertArrayEquals(cred.handle(), back.handle());
  }
}
