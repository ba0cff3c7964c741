package dev.jnfs.nlm;

import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/** A test-side NLM client over TCP: encodes the procedures' arguments, decodes their results. */
final class NlmClient implements AutoCloseable {
  static final Credential SYS = new Credential.Sys(1, "tester", 0, 0, new int[0]);
  static final byte[] COOKIE = {1, 2, 3, 4, 5};

  /**
   * A TEST or LOCK result.
   *
   * @param status the nlm4_stats
   * @param holder the holder of a denied TEST, else null
   */
  record Result(int status, Holder holder) {}

  /** An nlm4_holder. */
  record Holder(boolean exclusive, int svid, byte[] ownerHandle, long offset, long length) {}

  /**
   * One lock as a client names it.
   *
   * @param fh the file handle
   * @param owner the owner handle
   * @param svid the process id
   * @param offset the first byte
   * @param length the count, 0 for "to the end"
   */
  record Lock(byte[] fh, byte[] owner, int svid, long offset, long length) {
    static Lock of(byte[] fh, String owner, int svid, long offset, long length) {
      return new Lock(fh, owner.getBytes(StandardCharsets.UTF_8), svid, offset, length);
    }

    void write(XdrEncoder e, int version) {
      e.writeString("client-host");
      e.writeOpaque(fh);
      e.writeOpaque(owner);
      e.writeInt(svid);
      if (version == 4) {
        e.writeHyper(offset);
        e.writeHyper(length);
      } else {
        e.writeUnsignedInt(offset);
        e.writeUnsignedInt(length);
      }
    }
  }

  final RpcTestClient rpc;

  NlmClient(InetSocketAddress server) throws IOException {
    this.rpc = RpcTestClient.connect(server);
  }

  RpcReply call(int version, int procedure, Consumer<XdrEncoder> args) throws IOException {
    return rpc.call(NlmProgram.PROGRAM, version, procedure, SYS, RpcMessageBuilder.xdr(args));
  }

  Result test(int version, boolean exclusive, Lock lock) throws IOException {
    return result(call(version, NlmProgram.TEST, e -> {
      e.writeOpaque(COOKIE);
      e.writeBoolean(exclusive);
      lock.write(e, version);
    }), version);
  }

  int lock(int version, boolean block, boolean exclusive, Lock lock, boolean reclaim) throws IOException {
    return result(call(version, NlmProgram.LOCK, lockArgs(version, block, exclusive, lock, reclaim)), version)
        .status();
  }

  int lock(Lock lock) throws IOException {
    return lock(4, false, true, lock, false);
  }

  static Consumer<XdrEncoder> lockArgs(int version, boolean block, boolean exclusive, Lock lock, boolean reclaim) {
    return e -> {
      e.writeOpaque(COOKIE);
      e.writeBoolean(block);
      e.writeBoolean(exclusive);
      lock.write(e, version);
      e.writeBoolean(reclaim);
      e.writeInt(1);
    };
  }

  int cancel(int version, Lock lock) throws IOException {
    return result(call(version, NlmProgram.CANCEL, e -> {
      e.writeOpaque(COOKIE);
      e.writeBoolean(true);
      e.writeBoolean(true);
      lock.write(e, version);
    }), version).status();
  }

  int unlock(int version, Lock lock) throws IOException {
    return result(call(version, NlmProgram.UNLOCK, e -> {
      e.writeOpaque(COOKIE);
      lock.write(e, version);
    }), version).status();
  }

  int share(int procedure, byte[] fh, String owner, int mode, int access) throws IOException {
    RpcReply r = call(4, procedure, e -> {
      e.writeOpaque(COOKIE);
      e.writeString("client-host");
      e.writeOpaque(fh);
      e.writeOpaque(owner.getBytes(StandardCharsets.UTF_8));
      e.writeInt(mode);
      e.writeInt(access);
      e.writeBoolean(false);
    });
    XdrDecoder d = success(r);
    d.readOpaque(1024);
    int status = d.readInt();
    d.readInt();
    return status;
  }

  static XdrDecoder success(RpcReply r) {
    if (!r.isSuccess()) {
      throw new AssertionError("call failed: " + r);
    }
    return r.decoder();
  }

  static Result result(RpcReply r, int version) {
    XdrDecoder d = success(r);
    byte[] cookie = d.readOpaque(1024);
    if (!java.util.Arrays.equals(COOKIE, cookie)) {
      throw new AssertionError("cookie not echoed");
    }
    int status = d.readInt();
    if (status != NlmXdr.DENIED || d.remaining() == 0) {
      return new Result(status, null);
    }
    boolean exclusive = d.readBoolean();
    int svid = d.readInt();
    byte[] oh = d.readOpaque(1024);
    long offset = version == 4 ? d.readHyper() : d.readUnsignedInt();
    long length = version == 4 ? d.readHyper() : d.readUnsignedInt();
    return new Result(status, new Holder(exclusive, svid, oh, offset, length));
  }

  @Override
  public void close() throws IOException {
    rpc.close();
  }
}
