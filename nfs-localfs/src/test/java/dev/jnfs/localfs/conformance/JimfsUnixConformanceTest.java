package dev.jnfs.localfs.conformance;

import com.google.common.jimfs.Configuration;

/** The conformance suite over jimfs's unix() configuration. */
class JimfsUnixConformanceTest extends JimfsConformance {
  @Override
  Configuration configuration() {
    return Configuration.unix();
  }

  @Override
  String rootPath() {
    return "/export";
  }
}
