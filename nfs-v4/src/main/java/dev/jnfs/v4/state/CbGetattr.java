package dev.jnfs.v4.state;

import dev.jnfs.v4.Fattr4;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * CB_GETATTR (RFC 8881 §20.1, RFC 7530 §18.1), as §10.4.3 of both uses it: asks a write
 * delegation's holder for the file's change and size, the two attributes a server can rely on
 * it to answer. Waits for the answer a bounded time; never called on an event loop or under
 * the state lock.
 */
final class CbGetattr {
  private CbGetattr() {}

  /**
   * The holder's view of the file.
   *
   * @param change its change attribute ("cc" of RFC 8881 §10.4.3)
   * @param size its size, at most 2^63 - 1
   */
  record Answer(long change, long size) {}

  /**
   * @param d the write delegation
   * @return what its holder answered
   * @throws BackChannel.CallbackFailure no callback path, no answer in time, an error, or an
   *     answer without exactly change and size
   */
  static Answer ask(Delegation d) throws BackChannel.CallbackFailure {
    CallbackPath channel = d.client.backChannel();
    if (channel == null) {
      throw new BackChannel.CallbackFailure("no callback path");
    }
    BackChannel.Result r = channel.call(BackChannel.OP_CB_GETATTR, arguments(d.fileHandle));
    if (r.status() != Nfs4Status.OK) {
      throw new BackChannel.CallbackFailure("CB_GETATTR answered " + r.status());
    }
    return decode(r.rest());
  }

  /** CB_GETATTR4args: the file handle, and a bitmap of change and size. */
  private static byte[] arguments(byte[] fileHandle) {
    ByteBuf buf = Unpooled.buffer();
    try {
      new XdrEncoder(buf).writeOpaque(fileHandle).writeInt(1).writeInt(1 << Fattr4.CHANGE | 1 << Fattr4.SIZE);
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  /** Decodes CB_GETATTR4resok's fattr4, which must hold change and size and nothing else. */
  private static Answer decode(XdrDecoder rest) throws BackChannel.CallbackFailure {
    try {
      int words = rest.readArrayLength(8, 4);
      int mask = 0;
      for (int i = 0; i < words; i++) {
        int word = rest.readInt();
        if (i == 0) {
          mask = word;
        } else if (word != 0) {
          throw new BackChannel.CallbackFailure("CB_GETATTR answered attributes not asked for");
        }
      }
      if (mask != (1 << Fattr4.CHANGE | 1 << Fattr4.SIZE)) {
        throw new BackChannel.CallbackFailure("CB_GETATTR answered without change and size");
      }
      // change (attribute 3) precedes size (4) in attr_vals
      XdrDecoder values = new XdrDecoder(Unpooled.wrappedBuffer(rest.readOpaque(16)));
      Answer a = new Answer(values.readHyper(), values.readHyper());
      if (a.size() < 0) {
        throw new BackChannel.CallbackFailure("CB_GETATTR answered a size beyond 2^63");
      }
      return a;
    } catch (XdrException | IndexOutOfBoundsException e) {
      throw new BackChannel.CallbackFailure("undecodable CB_GETATTR result: " + e.getMessage());
    }
  }
}
