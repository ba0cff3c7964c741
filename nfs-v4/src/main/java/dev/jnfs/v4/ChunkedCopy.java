package dev.jnfs.v4;

import dev.jnfs.protocol.ServerContext;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.Stability;

/**
 * The work of an asynchronous COPY: the range copied {@link #CHUNK} bytes per backend call,
 * written UNSTABLE under the write verifier read before the first byte, as a WRITE's bytes. A
 * chunk that copies less than asked means the source ended: the copy is over. A backend error
 * that may have lost unstable data changes the write verifier, as after a failed WRITE.
 */
final class ChunkedCopy implements Nfs4StateService.OffloadedCopy {
  /**
   * Bytes per backend call: large enough that the calls cost little next to the copying,
   * small enough that OFFLOAD_CANCEL stops a copy soon and OFFLOAD_STATUS sees it move.
   */
  static final long CHUNK = 8L << 20;

  private final ServerContext server;
  private final NfsFileSystem fileSystem;
  private final Caller caller;
  private final FileHandle source;
  private final FileHandle destination;
  private final byte[] destinationHandle;
  private final long verifier;
  private long sourceOffset;
  private long destinationOffset;
  private long remaining;

  /**
   * @param ctx the COMPOUND of the COPY
   * @param files the checked source, destination and count
   * @param sourceOffset where the source range starts
   * @param destinationOffset where the destination range starts
   */
  ChunkedCopy(CompoundContext ctx, CopyFiles files, long sourceOffset, long destinationOffset) {
    this.server = ctx.server();
    this.fileSystem = files.destination().export().fileSystem();
    this.caller = files.destinationCaller();
    this.source = files.source().handle();
    this.destination = files.destination().handle();
    this.destinationHandle = files.destination().toWire(ctx.pseudoFs().table());
    this.verifier = server.writeVerifier();
    this.sourceOffset = sourceOffset;
    this.destinationOffset = destinationOffset;
    this.remaining = files.count();
  }

  @Override
  public long copyChunk() throws NfsException {
    if (remaining == 0) {
      return 0;
    }
    long asked = Math.min(CHUNK, remaining);
    long copied;
    try {
      copied = fileSystem.copy(
          caller, source, sourceOffset, destination, destinationOffset, asked, Stability.UNSTABLE);
    } catch (NfsException e) {
      server.writeFailed(e.status());
      throw e;
    }
    sourceOffset += copied;
    destinationOffset += copied;
    remaining = copied < asked ? 0 : remaining - copied;
    return copied;
  }

  @Override
  public byte[] destinationHandle() {
    return destinationHandle.clone();
  }

  @Override
  public long verifier() {
    return verifier;
  }
}
