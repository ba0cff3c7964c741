package dev.jnfs.localfs.benchmarks;

/**
 * Runs the JMH benchmarks of this package; arguments are JMH's (e.g. {@code -f 1 -wi 3 -i 5}
 * or a benchmark name pattern).
 */
public final class BenchmarkMain {
  private BenchmarkMain() {}

  /**
   * @param args JMH command line arguments
   * @throws Exception if JMH fails
   */
  public static void main(String[] args) throws Exception {
    org.openjdk.jmh.Main.main(args);
  }
}
