package dev.jnfs.localfs.conformance;

import com.google.common.jimfs.Configuration;

/** The conformance suite over jimfs's osX() configuration. */
class JimfsOsXConformanceTest extends JimfsConformance {
  @Override
  Configuration configuration() {
    return Configuration.osX();
  }

  @Override
  String rootPath() {
    return "/export";
  }
}
