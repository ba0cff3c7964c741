package dev.jnfs.spi;

/** How durable a WRITE must be before it is acknowledged (RFC 1813 stable_how). */
public enum Stability {
  /** The data may stay in volatile memory until a COMMIT. */
  UNSTABLE,
  /** The data must be on stable storage; metadata may follow later. */
  DATA_SYNC,
  /** Data and metadata must be on stable storage. */
  FILE_SYNC
}
