package dev.jnfs.v4;

import dev.jnfs.protocol.EncodedPages;
import dev.jnfs.protocol.ExportHandle;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;

/**
 * NFS version 4 (program 100003, version 4): procedure 0 NULL and procedure 1 COMPOUND
 * (RFC 7530 §15, RFC 8881 §16, RFC 7862), for minor versions 0, 1 and 2. Thread-safe.
 */
public final class Nfs4Program implements RpcProgram, AutoCloseable {
  /** The NFS program number. */
  public static final int PROGRAM = 100003;
  /** The protocol version. */
  public static final int VERSION = 4;
  /** NFSPROC4_NULL. */
  public static final int PROC_NULL = 0;
  /** NFSPROC4_COMPOUND. */
  public static final int PROC_COMPOUND = 1;
  /** The highest minor version served. */
  public static final int HIGHEST_MINOR_VERSION = 2;

  private final CompoundProcessor processor;
  private final ServerContext server;
  private final Nfs4StateService state;

  /**
   * @param server the server this program runs in
   * @param registry the operations to serve
   * @param state the NFSv4 state service
   * @param idMapper owner and group name translation
   */
  public Nfs4Program(
      ServerContext server, OperationRegistry registry, Nfs4StateService state, IdMapper idMapper) {
    this.server = server;
    this.state = state;
    this.processor = new CompoundProcessor(server, registry, state, idMapper);
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

  /**
   * NULL never blocks; COMPOUND does not when every export is {@linkplain
   * dev.jnfs.protocol.ExportTable#isNonBlocking() non-blocking} (an in-memory file system, no
   * host-name wildcard) and the state neither writes to disk nor holds a write delegation
   * (whose CB_GETATTR a GETATTR waits for), so it may run on the network thread.
   */
  @Override
  public boolean isNonBlocking(int version, int procedure) {
    if (procedure == PROC_NULL) {
      return true;
    }
    return procedure == PROC_COMPOUND && !state.mayBlock() && server.exports().isNonBlocking();
  }

  /**
   * As {@link #isNonBlocking(int, int)}; besides, a COMPOUND that only reads ({@link
   * ReadingCompound}) runs on the network thread when the backend says what it reads would
   * not block now, the attributes of its object ({@link
   * dev.jnfs.protocol.Export#readsAttributesWithoutBlocking}) or the range its READ asks for
   * ({@link dev.jnfs.protocol.Export#readsDataWithoutBlocking}), and no write delegation is
   * held (whose holder a read may have to ask, {@link Nfs4StateService#mayBlockReads}). It
   * changes no state, so stable client records do not matter to it.
   */
  @Override
  public boolean isNonBlocking(int version, int procedure, ByteBuf arguments) {
    if (isNonBlocking(version, procedure)) {
      return true;
    }
    if (procedure != PROC_COMPOUND || state.mayBlockReads()) {
      return false;
    }
    ReadingCompound.Reading reading = ReadingCompound.of(arguments);
    if (reading == null || PseudoFs.isPseudoHandle(reading.handle())) {
      return false;
    }
    try {
      ExportHandle object = server.exports().fromWire(reading.handle());
      if (reading.readsData()) {
        int count = (int) Math.min(reading.count(), server.maxReadSize());
        return object.export().readsDataWithoutBlocking(object.handle(), reading.offset(), count);
      }
      return object.export().readsAttributesWithoutBlocking(object.handle());
    } catch (NfsException e) {
      return false;
    }
  }

  /**
   * NFSv4.0 COMPOUNDs that change something are kept by the duplicate request cache, so a
   * retransmission is answered, not run again ({@link Nfs40DuplicateRequests}); 4.1 and later
   * have their session's reply cache.
   */
  @Override
  public boolean isNonIdempotent(int version, int procedure, ByteBuf arguments) {
    return procedure == PROC_COMPOUND && Nfs40DuplicateRequests.isKept(arguments);
  }

  /** A COMPOUND that reads announces its reply size ({@link ReadReplySize}). */
  @Override
  public int resultSizeHint(RpcCall call) {
    return call.procedure() == PROC_COMPOUND
        ? ReadReplySize.of(call.arguments().buffer(), server.maxReadSize())
        : 0;
  }

  @Override
  public String procedureName(int version, int procedure) {
    return switch (procedure) {
      case PROC_NULL -> "NULL";
      case PROC_COMPOUND -> "COMPOUND";
      default -> null;
    };
  }

  @Override
  public void handle(RpcCall call, XdrEncoder results) {
    switch (call.procedure()) {
      case PROC_NULL -> {}
      case PROC_COMPOUND -> processor.process(call, results);
      default -> throw RpcException.procedureUnavailable(call.procedure());
    }
  }

  /** @return the READDIR entries as last encoded (for tests) */
  EncodedPages encodedPages() {
    return processor.encodedPages();
  }

  /** Closes the state service (its stable client records); the server calls this once stopped. */
  @Override
  public void close() {
    state.close();
  }
}
