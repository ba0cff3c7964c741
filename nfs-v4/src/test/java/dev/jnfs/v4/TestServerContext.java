package dev.jnfs.v4;

import dev.jnfs.lock.LocalLockManager;
import dev.jnfs.lock.LockManager;
import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ExportTable;
import dev.jnfs.protocol.ServerContext;
import java.util.List;

/** A fixed {@link ServerContext} for tests. */
public final class TestServerContext implements ServerContext {
  /** The write verifier it answers until unstable writes are lost. */
  public static final long VERIFIER = 0x1122334455667788L;
  private final ExportTable exports;
  private volatile long verifier = VERIFIER;

  /** @param exports the exports it serves */
  public TestServerContext(List<Export> exports) {
    this.exports = new ExportTable(exports);
  }

  @Override
  public ExportTable exports() {
    return exports;
  }

  @Override
  public long writeVerifier() {
    return verifier;
  }

  @Override
  public synchronized void writeVerifierLost() {
    verifier++;
  }

  @Override
  public int maxReadSize() {
    return 1 << 20;
  }

  @Override
  public int maxWriteSize() {
    return 1 << 20;
  }

  private final LockManager lockManager = new LocalLockManager();

  @Override
  public LockManager lockManager() {
    return lockManager;
  }
}
