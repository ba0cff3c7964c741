package dev.jnfs.nfs3;

import dev.jnfs.protocol.EncodedPages;
import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ExportHandle;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NFS version 3 (RFC 1813), program 100003 version 3: all 22 procedures, each in its own
 * class named after it ({@code Nfs3Getattr}, {@code Nfs3Readdirplus}, ...).
 *
 * <p>Every call resolves its handles through the server's export table and is admitted by the
 * export's rules ({@link Export#authorize}); modifying procedures on a read-only export
 * answer ROFS before the backend is called. Failures answer the procedure's status with the
 * attributes RFC 1813 puts in the failure arm (post_op_attr or wcc_data, when they can be
 * had). A backend's unexpected exception answers SERVERFAULT and is logged. Thread-safe.
 */
public final class Nfs3Program implements RpcProgram {
  /** The NFS program number. */
  public static final int PROGRAM = 100003;
  /** The version served. */
  public static final int VERSION = 3;

  static final int NULL = 0;
  static final int GETATTR = 1;
  static final int SETATTR = 2;
  static final int LOOKUP = 3;
  static final int ACCESS = 4;
  static final int READLINK = 5;
  static final int READ = 6;
  /** READ3resok around the data: status, post_op_attr, count, eof, length and padding. */
  private static final int READ_REPLY_OVERHEAD = 4 + Nfs3Xdr.POST_OP_ATTR_SIZE + 12 + 4;
  static final int WRITE = 7;
  static final int CREATE = 8;
  static final int MKDIR = 9;
  static final int SYMLINK = 10;
  static final int MKNOD = 11;
  static final int REMOVE = 12;
  static final int RMDIR = 13;
  static final int RENAME = 14;
  static final int LINK = 15;
  static final int READDIR = 16;
  static final int READDIRPLUS = 17;
  static final int FSSTAT = 18;
  static final int FSINFO = 19;
  static final int PATHCONF = 20;
  static final int COMMIT = 21;

  private static final Logger log = LoggerFactory.getLogger(Nfs3Program.class);

  /** Indexed by procedure number. */
  private static final Nfs3Procedure[] PROCEDURES = {
    new Nfs3Null(),
    new Nfs3Getattr(),
    new Nfs3Setattr(),
    new Nfs3Lookup(),
    new Nfs3Access(),
    new Nfs3Readlink(),
    new Nfs3Read(),
    new Nfs3Write(),
    new Nfs3Create(),
    new Nfs3Mkdir(),
    new Nfs3Symlink(),
    new Nfs3Mknod(),
    new Nfs3Remove(),
    new Nfs3Rmdir(),
    new Nfs3Rename(),
    new Nfs3Link(),
    new Nfs3Readdir(),
    new Nfs3Readdirplus(),
    new Nfs3Fsstat(),
    new Nfs3Fsinfo(),
    new Nfs3Pathconf(),
    new Nfs3Commit(),
  };

  private final ServerContext context;
  private final Nfs3Meters meters;
  private final EncodedPages encodedPages = new EncodedPages();

  /**
   * @param context the server this program runs in; its exports may change while it runs
   */
  public Nfs3Program(ServerContext context) {
    this.context = Objects.requireNonNull(context, "context");
    this.meters = Nfs3Meters.of(context.metrics());
  }

  /** @return the directory pages this program keeps encoded (for tests) */
  EncodedPages encodedPages() {
    return encodedPages;
  }

  @Override
  public int program() {
    return PROGRAM;
  }

  @Override
  public int lowVersion() {
    return VERSION;
  }

  @Override
  public int highVersion() {
    return VERSION;
  }

  @Override
  public void handle(RpcCall call, XdrEncoder results) {
    int number = call.procedure();
    if (call.version() != VERSION || number < 0 || number >= PROCEDURES.length) {
      throw RpcException.procedureUnavailable(number);
    }
    Nfs3Procedure procedure = PROCEDURES[number];
    Nfs3Request request = new Nfs3Request(call, context, meters, encodedPages);
    int start = results.buffer().writerIndex();
    try {
      procedure.run(request, results);
    } catch (NfsException e) {
      if (e.status() == NfsStatus.IO || e.status() == NfsStatus.SERVERFAULT) {
        log.warn("NFSv3 {} from {}: backend reported {}: {}",
            procedure.name(), call.remoteAddress(), e.status(), e.getMessage(), e.getCause());
      } else {
        log.debug("NFSv3 {} from {}: {} ({})",
            procedure.name(), call.remoteAddress(), e.status(), e.getMessage());
      }
      fail(procedure, request, results, start, e.status());
      meters.errors().increment(number, e.status().nfs3Code());
    } catch (RpcException | XdrException e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn("NFSv3 {} from {} failed in the server", procedure.name(), call.remoteAddress(), e);
      fail(procedure, request, results, start, NfsStatus.SERVERFAULT);
      meters.errors().increment(number, NfsStatus.SERVERFAULT.nfs3Code());
    }
  }

  private static void fail(
      Nfs3Procedure procedure, Nfs3Request request, XdrEncoder results, int start, NfsStatus status) {
    results.buffer().writerIndex(start);
    results.writeInt(status.nfs3Code());
    procedure.writeFailure(request, results);
  }

  @Override
  public String procedureName(int version, int procedure) {
    return procedureName(procedure);
  }

  /** @return the RFC 1813 name of a procedure (e.g. GETATTR), or null for an unknown number */
  static String procedureName(int procedure) {
    return procedure >= 0 && procedure < PROCEDURES.length ? PROCEDURES[procedure].name() : null;
  }

  /**
   * The replies of procedures whose repetition would answer differently (they make, remove or
   * change names and attributes) may be served from the duplicate request cache. WRITE is
   * included, as the Linux server does: replaying a retransmitted write after a later one
   * would undo the later one.
   */
  @Override
  public boolean isNonIdempotent(int version, int procedure) {
    return changesObjects(procedure);
  }

  /** @return whether the procedure makes, removes or changes names and attributes */
  private static boolean changesObjects(int procedure) {
    return switch (procedure) {
      case SETATTR, WRITE, CREATE, MKDIR, SYMLINK, MKNOD, REMOVE, RMDIR, RENAME, LINK -> true;
      default -> false;
    };
  }

  /**
   * @return whether a call of the procedure (one that names a handle: not NULL) changes
   *     nothing, so that nothing the call itself did comes before what it reads: neither a
   *     procedure that changes objects nor COMMIT, which forces them. Its caller carries the
   *     time the call was received ({@link dev.jnfs.spi.Caller#receivedAt()})
   */
  static boolean onlyReads(int procedure) {
    return !changesObjects(procedure) && procedure != COMMIT;
  }

  /**
   * NULL never blocks; GETATTR, LOOKUP, ACCESS and READ do not when every export is {@linkplain
   * dev.jnfs.protocol.ExportTable#isNonBlocking() non-blocking} (its backend never blocks and no
   * host-name wildcard needs a lookup). A READ copies at most the server's maximum read size.
   */
  @Override
  public boolean isNonBlocking(int version, int procedure) {
    return switch (procedure) {
      case NULL -> true;
      case GETATTR, LOOKUP, ACCESS, READ -> context.exports().isNonBlocking();
      default -> false;
    };
  }

  /**
   * As {@link #isNonBlocking(int, int)}; besides, GETATTR, LOOKUP, ACCESS and READ of an
   * object whose backend says reading it would not block now run on the network thread: its
   * attributes ({@link Export#readsAttributesWithoutBlocking}), or for a READ the range asked
   * ({@link Export#readsDataWithoutBlocking}). The object is the call's first argument, its
   * handle, and a READ's offset and count follow it (RFC 1813 §3.3.1, §3.3.3, §3.3.4,
   * §3.3.6); they are peeked without moving the reader index. Malformed arguments or an
   * unknown handle answer false, leaving the error to a worker.
   */
  @Override
  public boolean isNonBlocking(int version, int procedure, ByteBuf arguments) {
    return switch (procedure) {
      case GETATTR, LOOKUP, ACCESS, READ ->
          context.exports().isNonBlocking() || readsWithoutBlocking(procedure, arguments);
      default -> isNonBlocking(version, procedure);
    };
  }

  private boolean readsWithoutBlocking(int procedure, ByteBuf arguments) {
    int afterHandle = afterHandle(arguments);
    if (afterHandle < 0 || (procedure == READ && arguments.readableBytes() < afterHandle + 12)) {
      return false;
    }
    int at = arguments.readerIndex();
    int rangeAt = at + afterHandle;
    byte[] wire = new byte[(int) arguments.getUnsignedInt(at)];
    arguments.getBytes(at + 4, wire);
    try {
      ExportHandle object = context.exports().fromWire(wire);
      if (procedure != READ) {
        return object.export().readsAttributesWithoutBlocking(object.handle());
      }
      long offset = arguments.getLong(rangeAt);
      long count = Math.min(arguments.getUnsignedInt(rangeAt + 8), context.maxReadSize());
      return offset >= 0 && object.export().readsDataWithoutBlocking(object.handle(), offset, (int) count);
    } catch (NfsException e) {
      return false;
    }
  }

  /**
   * A READ's reply holds up to its count of data, a READDIR's or READDIRPLUS's up to its
   * (max)count of entries, each cut to the server's maximum: peeked from the arguments, which
   * start with the file handle (RFC 1813 §3.3.6: then a 64-bit offset and the count; §3.3.16:
   * a cookie, the cookie verifier and the count; §3.3.17: cookie, verifier, dircount and
   * maxcount). A reply of known large size is built in a buffer that needs no growing.
   */
  @Override
  public int resultSizeHint(RpcCall call) {
    int countAfterHandle =
        switch (call.procedure()) {
          case READ -> 8;
          case READDIR -> 16;
          case READDIRPLUS -> 20;
          default -> -1;
        };
    if (countAfterHandle < 0) {
      return 0;
    }
    ByteBuf args = call.arguments().buffer();
    int afterHandle = afterHandle(args);
    int countAt = afterHandle + countAfterHandle;
    if (afterHandle < 0 || args.readableBytes() < countAt + 4) {
      return 0;
    }
    long count = args.getUnsignedInt(args.readerIndex() + countAt);
    return (int) Math.min(count, context.maxReadSize()) + READ_REPLY_OVERHEAD;
  }

  /**
   * Peeks the nfs_fh3 that starts a call's arguments (RFC 1813 §2.6: a length of at most
   * {@link Nfs3Xdr#FHSIZE}, then the bytes, padded).
   *
   * @return how far past the reader index the handle ends, or -1 where its length is out of
   *     range or its bytes are not all there
   */
  private static int afterHandle(ByteBuf arguments) {
    if (arguments.readableBytes() < 4) {
      return -1;
    }
    long length = arguments.getUnsignedInt(arguments.readerIndex());
    if (length > Nfs3Xdr.FHSIZE || arguments.readableBytes() < 4 + length) {
      return -1;
    }
    return 4 + (int) ((length + 3) & ~3);
  }

}
