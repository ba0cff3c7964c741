/** The in-memory {@code NfsFileSystem} backend, the embedded default. */
module dev.jnfs.memory {
  requires transitive dev.jnfs.spi;

  exports dev.jnfs.memory;
}
