package dev.jnfs.v4;

import dev.jnfs.protocol.EncodedPages;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates COMPOUND (RFC 7530 §15.2 and §16, RFC 8881 §16.2 and §18): decodes the header,
 * runs the operations in order and stops at the first that fails. Each operation decodes its
 * own arguments just before it runs, so nothing after a failure is decoded.
 *
 * <p>Rules enforced here rather than in the operations: the minor version (0, 1 and 2 served;
 * 2 follows every rule of 1),
 * the cap on operations per COMPOUND, OP_ILLEGAL and NOTSUPP by opcode, the 4.1 ordering of
 * SEQUENCE and the session-less operations, the reply size bound, and the 4.1 reply cache
 * hand-off ({@link SequenceSlot}). Thread-safe (no state of its own besides configuration).
 */
final class CompoundProcessor {
  private static final Logger log = LoggerFactory.getLogger(CompoundProcessor.class);

  /** The most operations one COMPOUND may carry; more are refused without decoding them. */
  static final int MAX_OPERATIONS = 128;
  /** The longest tag accepted (utf8str_cs has no limit of its own). */
  static final int MAX_TAG_LENGTH = 1024;
  /** Room above the largest READ or WRITE payload for the rest of a 4.0 reply. */
  static final int REPLY_OVERHEAD = 64 * 1024;

  private final ServerContext server;
  private final OperationRegistry registry;
  private final Nfs4StateService state;
  private final IdMapper idMapper;
  private final Nfs4Meters meters;
  private final EncodedPages encodedPages = new EncodedPages();
  private volatile PseudoFs pseudoFs;

  CompoundProcessor(
      ServerContext server, OperationRegistry registry, Nfs4StateService state, IdMapper idMapper) {
    this.server = server;
    this.registry = registry;
    this.state = state;
    this.idMapper = idMapper;
    this.meters = new Nfs4Meters(server.metrics());
  }

  /** @return the READDIR entries as last encoded (for tests) */
  EncodedPages encodedPages() {
    return encodedPages;
  }

  private PseudoFs pseudoFs() {
    PseudoFs p = pseudoFs;
    if (p == null || p.table() != server.exports()) {
      p = new PseudoFs(server.exports());
      pseudoFs = p;
    }
    return p;
  }

  /**
   * Evaluates one COMPOUND4args and encodes its COMPOUND4res.
   *
   * @param call the call, its decoder at COMPOUND4args
   * @param out where the COMPOUND4res goes
   * @throws XdrException when even the header (tag, minor version, count) cannot be decoded:
   *     the RPC layer answers GARBAGE_ARGS
   */
  void process(RpcCall call, XdrEncoder out) {
    XdrDecoder in = call.arguments();
    int requestSize = in.remaining();
    byte[] tag = in.readOpaque(MAX_TAG_LENGTH);
    long minorVersion = in.readUnsignedInt();
    long declaredOps = in.readUnsignedInt();

    ByteBuf buf = out.buffer();
    int start = buf.writerIndex();
    int statusIndex = out.reserveInt();
    out.writeOpaque(tag);
    if (minorVersion > Nfs4Program.HIGHEST_MINOR_VERSION) {
      // RFC 7530 §15.2.3 / RFC 8881 §16.2.3: no operation is evaluated, empty result array
      out.patchInt(statusIndex, Nfs4Status.MINOR_VERS_MISMATCH);
      out.writeInt(0);
      return;
    }
    int minor = (int) minorVersion;
    int countIndex = out.reserveInt();
    if (declaredOps == 0) {
      return;
    }
    if (declaredOps > MAX_OPERATIONS) {
      refuseTooMany(in, out, minor, declaredOps, statusIndex, countIndex);
      return;
    }
    int count = (int) declaredOps;
    CompoundContext ctx =
        new CompoundContext(
            call, server, pseudoFs(), state, idMapper, minor, count, requestSize, meters, encodedPages);
    ctx.bindReply(out, start, Math.max(server.maxReadSize(), server.maxWriteSize()) + REPLY_OVERHEAD);

    int status = Nfs4Status.OK;
    int results = 0;
    boolean completed = false;
    try {
      for (int i = 0; i < count && status == Nfs4Status.OK; i++) {
        ctx.beginOperation(i);
        results++;
        if (in.remaining() < 4) {
          status = writeResult(out, Nfs4Opcode.ILLEGAL, Nfs4Status.BADXDR);
          meters.operation(minor, Nfs4Opcode.ILLEGAL, status);
          break;
        }
        int opcode = in.readInt();
        if (!OperationRegistry.isDefined(opcode, minor)) {
          log.debug("xid {}: illegal opcode {} in minor version {}", call.xid(), opcode, minor);
          status = writeResult(out, Nfs4Opcode.ILLEGAL, Nfs4Status.OP_ILLEGAL);
          meters.operation(minor, Nfs4Opcode.ILLEGAL, status);
          break;
        }
        int orderError = minor >= 1 ? sessionOrderError(opcode, i, count) : Nfs4Status.OK;
        if (orderError != Nfs4Status.OK) {
          status = writeResult(out, opcode, orderError);
          meters.operation(minor, opcode, status);
          break;
        }
        Nfs4Operation op = registry.find(opcode, minor);
        if (op == null) {
          status = writeResult(out, opcode, Nfs4Status.NOTSUPP);
          meters.operation(minor, opcode, status);
          break;
        }
        status = run(ctx, op, opcode, in, out);
        meters.operation(minor, opcode, status);
        if (i == 0 && opcode == Nfs4Opcode.SEQUENCE && status == Nfs4Status.OK) {
          byte[] cached = ctx.cachedReply();
          if (cached != null) {
            buf.writerIndex(start);
            buf.writeBytes(cached);
            completed = true;
            return;
          }
          SequenceSlot slot = ctx.sequence();
          if (slot != null) {
            ctx.bindReply(out, start, slot.cacheThis()
                ? Math.min(slot.maxResponseSize(), slot.maxResponseSizeCached())
                : slot.maxResponseSize());
          }
        }
      }
      out.patchInt(statusIndex, status);
      out.patchInt(countIndex, results);
      SequenceSlot slot = ctx.sequence();
      if (slot != null) {
        slot.complete(buf.slice(start, buf.writerIndex() - start));
      }
      completed = true;
    } finally {
      SequenceSlot slot = ctx.sequence();
      if (!completed && slot != null) {
        slot.abandon();
      }
    }
  }

  /** Runs one operation and encodes its result; answers the operation's status. */
  private int run(CompoundContext ctx, Nfs4Operation op, int opcode, XdrDecoder in, XdrEncoder out) {
    ByteBuf buf = out.buffer();
    out.writeInt(opcode);
    int statusIndex = out.reserveInt();
    int bodyStart = buf.writerIndex();
    int status;
    Nfs4Exception failure = null;
    try {
      op.execute(ctx, in, out);
      status = Nfs4Status.OK;
    } catch (Nfs4Exception e) {
      status = e.status();
      failure = e;
    } catch (NfsException e) {
      status = e.status().nfs4Code();
      if (e.getCause() != null) {
        log.warn("{} from {} failed: {}", Nfs4Opcode.name(opcode), ctx.call().remoteAddress(),
            e.getMessage(), e.getCause());
      }
    } catch (XdrException e) {
      log.debug("xid {}: bad arguments to {}: {}", ctx.call().xid(), Nfs4Opcode.name(opcode), e.getMessage());
      status = Nfs4Status.BADXDR;
    } catch (RuntimeException e) {
      log.warn("{} (xid {} from {}) failed with a server fault", Nfs4Opcode.name(opcode),
          ctx.call().xid(), ctx.call().remoteAddress(), e);
      status = Nfs4Status.SERVERFAULT;
    }
    if (status == Nfs4Status.OK && ctx.replyOverflow() > 0) {
      status = ctx.overflowStatus();
    }
    if (status != Nfs4Status.OK) {
      ctx.call().withdrawFileBytes(); // a READ's file bytes cannot follow an error
      buf.writerIndex(bodyStart);
      if (failure != null) {
        failure.errorBody().accept(out);
      }
    }
    out.patchInt(statusIndex, status);
    return status;
  }

  /** RFC 8881 §16.2.3 and §2.6.3.1.1.8: where SEQUENCE and the session-less operations may be. */
  private static int sessionOrderError(int opcode, int index, int count) {
    if (index > 0) {
      return opcode == Nfs4Opcode.SEQUENCE ? Nfs4Status.SEQUENCE_POS : Nfs4Status.OK;
    }
    if (opcode == Nfs4Opcode.SEQUENCE) {
      return Nfs4Status.OK;
    }
    if (!isSessionless(opcode)) {
      return Nfs4Status.OP_NOT_IN_SESSION;
    }
    return count == 1 ? Nfs4Status.OK : Nfs4Status.NOT_ONLY_OP;
  }

  /** @return whether the operation may start a 4.1 COMPOUND without SEQUENCE */
  static boolean isSessionless(int opcode) {
    return opcode == Nfs4Opcode.EXCHANGE_ID
        || opcode == Nfs4Opcode.CREATE_SESSION
        || opcode == Nfs4Opcode.DESTROY_SESSION
        || opcode == Nfs4Opcode.DESTROY_CLIENTID
        || opcode == Nfs4Opcode.BIND_CONN_TO_SESSION;
  }

  /**
   * Refuses a COMPOUND with more operations than {@link #MAX_OPERATIONS} without decoding
   * them: one result, for the first operation, with NFS4ERR_RESOURCE (4.0, RFC 7530 §15.2.4)
   * or NFS4ERR_TOO_MANY_OPS (4.1, RFC 8881 §15.1.3.x).
   */
  private static void refuseTooMany(
      XdrDecoder in, XdrEncoder out, int minor, long declared, int statusIndex, int countIndex) {
    int status = minor == 0 ? Nfs4Status.RESOURCE : Nfs4Status.TOO_MANY_OPS;
    int opcode = in.remaining() >= 4 ? in.readInt() : Nfs4Opcode.ILLEGAL;
    if (!OperationRegistry.isDefined(opcode, minor)) {
      opcode = Nfs4Opcode.ILLEGAL;
    }
    log.debug("COMPOUND of {} operations refused", declared);
    writeResult(out, opcode, status);
    out.patchInt(statusIndex, status);
    out.patchInt(countIndex, 1);
  }

  private static int writeResult(XdrEncoder out, int opcode, int status) {
    out.writeInt(opcode);
    out.writeInt(status);
    return status;
  }
}
