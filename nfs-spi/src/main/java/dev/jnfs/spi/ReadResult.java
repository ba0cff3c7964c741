package dev.jnfs.spi;

/**
 * The outcome of a read into the caller's buffer.
 *
 * @param count the bytes placed into the buffer
 * @param eof whether the read reached the end of the file
 */
public record ReadResult(int count, boolean eof) {}
