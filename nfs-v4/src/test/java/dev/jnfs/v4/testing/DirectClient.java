package dev.jnfs.v4.testing;

import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.rpc.Transport;
import dev.jnfs.rpc.TransportSecurity;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Calls an NFSv4 {@link RpcProgram} in-process, as the RPC layer would, with a chosen client
 * address and credential: no sockets, so tests can pose as any client.
 */
public final class DirectClient implements Nfs4Client {
  private static final AtomicInteger XID = new AtomicInteger(1);

  private final RpcProgram program;
  private final InetSocketAddress remote;
  private final Credential credential;
  private final TransportSecurity security;

  /**
   * @param program the NFSv4 program
   * @param remote the client address to pose as
   * @param credential the credential to send
   */
  public DirectClient(RpcProgram program, InetSocketAddress remote, Credential credential) {
    this(program, remote, credential, TransportSecurity.NONE);
  }

  /**
   * @param program the NFSv4 program
   * @param remote the client address to pose as
   * @param credential the credential to send
   * @param security the transport protection the calls arrive with
   */
  public DirectClient(
      RpcProgram program,
      InetSocketAddress remote,
      Credential credential,
      TransportSecurity security) {
    this.program = program;
    this.remote = remote;
    this.credential = credential;
    this.security = security;
  }

  /**
   * @param program the NFSv4 program
   * @return a client at 127.0.0.1, privileged port 700, AUTH_SYS root
   */
  public static DirectClient root(RpcProgram program) {
    return new DirectClient(program, new InetSocketAddress("127.0.0.1", 700),
        new Credential.Sys(0, "test", 0, 0, new int[0]));
  }

  @Override
  public Reply call(Compound compound) {
    ByteBuf[] reply = new ByteBuf[1];
    try {
      callRaw(compound::encode, out -> reply[0] = out.retain());
      return compound.decode(new XdrDecoder(reply[0]));
    } finally {
      if (reply[0] != null) {
        reply[0].release();
      }
    }
  }

  @Override
  public byte[] callBytes(Compound compound) {
    byte[][] reply = new byte[1][];
    callRaw(compound::encode, out -> reply[0] = io.netty.buffer.ByteBufUtil.getBytes(out));
    return reply[0];
  }

  /**
   * Sends arbitrary argument bytes as procedure 1 (COMPOUND).
   *
   * @param args writes the arguments
   * @param replyConsumer receives the results buffer (released after it returns)
   */
  public void callRaw(Consumer<XdrEncoder> args, Consumer<ByteBuf> replyConsumer) {
    ByteBuf in = Unpooled.buffer();
    ByteBuf out = Unpooled.buffer();
    try {
      args.accept(new XdrEncoder(in));
      RpcCall call = new RpcCall(XID.getAndIncrement(), 100003, 4, 1, credential, remote,
          new InetSocketAddress("127.0.0.1", 2049), Transport.TCP, new XdrDecoder(in), security);
      program.handle(call, new XdrEncoder(out));
      replyConsumer.accept(out);
    } finally {
      in.release();
      out.release();
    }
  }
}
