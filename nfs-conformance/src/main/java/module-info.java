/**
 * The conformance suite of the {@code NfsFileSystem} contract, for a backend's own tests: JUnit 5
 * classes to extend, with a full and a read-only profile.
 */
module dev.jnfs.conformance {
  requires transitive dev.jnfs.spi;
  requires transitive org.junit.jupiter.api;

  exports dev.jnfs.spi.conformance;

  // JUnit finds and calls the suite's test methods reflectively
  opens dev.jnfs.spi.conformance to
      org.junit.platform.commons;
}
