package dev.jnfs.v4.state;

import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.DirectClient;
import dev.jnfs.v4.testing.Reply;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.TcpCompoundTransport;
import dev.jnfs.xdr.XdrDecoder;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Test helpers: raw COMPOUND calls and 4.0/4.1 client identities on top of them. */
final class Wire {
  private Wire() {}

  /** Sends a COMPOUND and returns the raw COMPOUND4res. */
  @FunctionalInterface
  interface Raw {
    byte[] call(Compound c);
  }

  static Raw direct(DirectClient client) {
    return c -> {
      byte[][] out = new byte[1][];
      client.callRaw(c::encode, buf -> out[0] = ByteBufUtil.getBytes(buf));
      return out[0];
    };
  }

  static Raw tcp(TcpCompoundTransport transport) {
    return transport::callRaw;
  }

  /**
   * A decoded reply with its bytes, and the decoder left after the last result read (for an
   * error body such as LOCK4denied).
   */
  record Answer(byte[] bytes, Reply reply, XdrDecoder rest) {
    int status() {
      return reply.status();
    }

    <T> T last() {
      return reply.last().value();
    }

    <T> T result(int index) {
      return reply.result(index).value();
    }

    StateCompound.Denied denied() {
      if (reply.status() != Nfs4Status.DENIED) {
        throw new AssertionError("status " + reply.status() + ", not DENIED");
      }
      return StateCompound.readDenied(rest);
    }
  }

  static Answer call(Raw raw, Compound c) {
    byte[] bytes = raw.call(c);
    XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(bytes));
    Reply r = c.decode(d);
    return new Answer(bytes, r, d);
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static Answer ok(Answer a) {
    if (a.status() != Nfs4Status.OK) {
      throw new AssertionError("COMPOUND failed with " + a.status() + ": " + a.reply());
    }
    return a;
  }

  /** A 4.0 client: its clientid from SETCLIENTID and SETCLIENTID_CONFIRM. */
  static final class Client40 {
    final Raw raw;
    final long clientId;

    Client40(Raw raw, String name) {
      this(raw, name, "127.0.0.1.3.232");
    }

    /** @param callbackAddress the universal address of its callback service (netid tcp) */
    Client40(Raw raw, String name, String callbackAddress) {
      this.raw = raw;
      StateCompound.SetClientIdReply r =
          ok(Wire.call(raw, StateCompound.setclientid(Compound.v40(), b(name), 1, callbackAddress))).last();
      ok(Wire.call(raw, StateCompound.setclientidConfirm(Compound.v40(), r.clientId(), r.confirm())));
      this.clientId = r.clientId();
    }

    Answer call(Compound c) {
      return Wire.call(raw, c);
    }
  }

  /**
   * A 4.1 client (or 4.2, with the minor version given): EXCHANGE_ID, CREATE_SESSION and
   * RECLAIM_COMPLETE done; slot 0 in use.
   */
  static final class Client41 {
    final Raw raw;
    final int minorVersion;
    final long clientId;
    final byte[] sessionId;
    final StateCompound.CreateSessionReply session;
    int seqid;

    Client41(Raw raw, String name) {
      this(raw, name, 64, 16);
    }

    Client41(Raw raw, String name, int slots, int maxOps) {
      this(raw, name, slots, maxOps, true);
    }

    Client41(Raw raw, String name, int slots, int maxOps, boolean reclaimComplete) {
      this(raw, name, slots, maxOps, reclaimComplete, 0);
    }

    /** @param sessionFlags csa_flags (2, CONN_BACK_CHAN: this connection is the back channel) */
    Client41(Raw raw, String name, int slots, int maxOps, boolean reclaimComplete, int sessionFlags) {
      this(raw, name, slots, maxOps, reclaimComplete, sessionFlags, 1);
    }

    /** @param minorVersion 1 or 2, of every COMPOUND this client sends */
    Client41(Raw raw, String name, int slots, int maxOps, boolean reclaimComplete, int sessionFlags,
        int minorVersion) {
      this.raw = raw;
      this.minorVersion = minorVersion;
      StateCompound.ExchangeIdReply x =
          ok(Wire.call(raw, StateCompound.exchangeId(Compound.minor(minorVersion), b(name), 1, 0))).last();
      this.clientId = x.clientId();
      this.session = ok(Wire.call(raw, StateCompound.createSession(Compound.minor(minorVersion), x.clientId(),
          x.sequence(), slots, maxOps, sessionFlags, 2))).last();
      this.sessionId = session.sessionId();
      if (reclaimComplete) {
        ok(call(StateCompound.reclaimComplete(next())));
      }
    }

    /** @return a COMPOUND starting with SEQUENCE on slot 0 with the next seqid, cachethis set */
    Compound next() {
      return StateCompound.sequence(Compound.minor(minorVersion), sessionId, ++seqid, 0, true);
    }

    Answer call(Compound c) {
      return Wire.call(raw, c);
    }
  }
}
