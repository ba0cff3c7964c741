package dev.jnfs.spi;

/**
 * The outcome of a write.
 *
 * @param count the bytes written (all of them unless the device filled up)
 * @param committed the stability actually reached, at least the requested one
 */
public record WriteResult(int count, Stability committed) {}
