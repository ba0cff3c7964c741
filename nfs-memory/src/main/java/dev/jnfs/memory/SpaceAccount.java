package dev.jnfs.memory;

import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the bytes and objects a file system holds against its configured capacity. */
final class SpaceAccount {
  private final long capacityBytes;
  private final long maxFiles;
  private final AtomicLong usedBytes = new AtomicLong();
  private final AtomicLong files = new AtomicLong();

  SpaceAccount(long capacityBytes, long maxFiles) {
    this.capacityBytes = capacityBytes;
    this.maxFiles = maxFiles;
  }

  /**
   * Takes {@code bytes} of capacity.
   *
   * @throws NfsException NOSPC when they are not free
   */
  void reserveBytes(long bytes) throws NfsException {
    if (bytes <= 0) {
      return;
    }
    long before = usedBytes.getAndUpdate(u -> u + bytes <= capacityBytes ? u + bytes : u);
    if (before + bytes > capacityBytes) {
      throw new NfsException(NfsStatus.NOSPC, "capacity of " + capacityBytes + " bytes reached");
    }
  }

  /** Takes {@code bytes} of capacity whatever the limit (for a shrink, which never fails). */
  void forceReserveBytes(long bytes) {
    usedBytes.addAndGet(bytes);
  }

  void releaseBytes(long bytes) {
    if (bytes > 0) {
      usedBytes.addAndGet(-bytes);
    }
  }

  /**
   * Takes one object slot.
   *
   * @throws NfsException NOSPC when all are taken
   */
  void reserveFile() throws NfsException {
    long before = files.getAndUpdate(f -> f < maxFiles ? f + 1 : f);
    if (before >= maxFiles) {
      throw new NfsException(NfsStatus.NOSPC, "limit of " + maxFiles + " files reached");
    }
  }

  /** Takes one object slot whatever the limit (for the root). */
  void forceReserveFile() {
    files.incrementAndGet();
  }

  void releaseFile() {
    files.decrementAndGet();
  }

  long capacityBytes() {
    return capacityBytes;
  }

  long usedBytes() {
    return usedBytes.get();
  }

  long maxFiles() {
    return maxFiles;
  }

  long files() {
    return files.get();
  }
}
