package dev.jnfs.localfs.conformance;

import com.google.common.jimfs.Configuration;

/** The conformance suite over jimfs's windows() configuration. */
class JimfsWindowsConformanceTest extends JimfsConformance {
  @Override
  Configuration configuration() {
    return Configuration.windows();
  }

  @Override
  String rootPath() {
    return "C:\\export";
  }
}
