package dev.jnfs.nlm;

import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.server.NfsServer;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What an NLM client host runs for the server to call back: a portmapper, an NLM callback
 * service (GRANTED and the _RES procedures) and a status monitor (SM_NOTIFY), all on one port
 * of 127.0.0.1. Records each call it receives.
 */
final class ClientHost implements AutoCloseable {

  /**
   * One call received.
   *
   * @param program the program
   * @param procedure the procedure
   * @param arguments the argument bytes
   */
  record Received(int program, int procedure, byte[] arguments) {
    XdrDecoder decoder() {
      return new XdrDecoder(io.netty.buffer.Unpooled.wrappedBuffer(arguments));
    }
  }

  final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  /** What the callback service answers GRANTED with. */
  volatile int grantedAnswer = NlmXdr.GRANTED;
  private final NfsServer server;

  ClientHost() {
    server = NfsServer.builder().bind("127.0.0.1").port(0).udp(false)
        .protocol(ctx -> List.of(new Recorder(NlmProgram.PROGRAM, 4), new Recorder(NsmProgram.PROGRAM, 1)))
        .build();
    server.start();
  }

  /** @return the port of its portmapper */
  int portmapPort() {
    return server.port();
  }

  /** @return the next call received, waiting up to 20 seconds */
  Received next() throws InterruptedException {
    Received r = received.poll(20, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no call arrived");
    }
    return r;
  }

  @Override
  public void close() {
    server.stop();
  }

  private final class Recorder implements RpcProgram {
    private final int program;
    private final int version;

    Recorder(int program, int version) {
      this.program = program;
      this.version = version;
    }

    @Override
    public int program() {
      return program;
    }

    @Override
    public int lowVersion() {
      return version;
    }

    @Override
    public int highVersion() {
      return version;
    }

    @Override
    public void handle(RpcCall call, XdrEncoder results) {
      XdrDecoder in = call.arguments();
      byte[] args = new byte[in.remaining()];
      in.buffer().readBytes(args);
      received.add(new Received(program, call.procedure(), args));
      if (program == NlmProgram.PROGRAM && call.procedure() == NlmProgram.GRANTED) {
        byte[] cookie = new Received(program, 0, args).decoder().readOpaque(1024);
        results.writeOpaque(cookie);
        results.writeInt(grantedAnswer);
      }
    }
  }
}
