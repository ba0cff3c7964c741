package dev.jnfs.examples;

import java.nio.file.Path;

/**
 * A launchd property list (launchd.plist(5)) for the server as a macOS system daemon:
 * started at boot, started again when it exits with a failure, its output in the log file
 * (or in {@code /var/log/NAME.log}).
 */
final class LaunchdPlist {
  private LaunchdPlist() {}

  /** @return the label, e.g. {@code dev.jnfs.jnfs} */
  static String label(String name) {
    return "dev.jnfs." + name;
  }

  /** @return where the property list is installed */
  static Path path(String name) {
    return Path.of("/Library/LaunchDaemons", label(name) + ".plist");
  }

  /** @return the property list's text */
  static String of(ServiceDefinition d) {
    StringBuilder p = new StringBuilder();
    p.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\"")
        .append(" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n")
        .append("<plist version=\"1.0\">\n")
        .append("<dict>\n")
        .append("  <key>Label</key>\n  <string>").append(xml(label(d.name()))).append("</string>\n")
        .append("  <key>ProgramArguments</key>\n  <array>\n");
    for (String word : d.command()) {
      p.append("    <string>").append(xml(word)).append("</string>\n");
    }
    p.append("  </array>\n")
        .append("  <key>EnvironmentVariables</key>\n  <dict>\n")
        .append("    <key>JAVA_HOME</key>\n    <string>").append(xml(d.javaHome().toString()))
        .append("</string>\n  </dict>\n")
        .append("  <key>RunAtLoad</key>\n  <true/>\n")
        .append("  <key>KeepAlive</key>\n  <dict>\n")
        .append("    <key>SuccessfulExit</key>\n    <false/>\n")
        .append("  </dict>\n");
    if (d.user() != null) {
      p.append("  <key>UserName</key>\n  <string>").append(xml(d.user())).append("</string>\n");
    }
    String output = d.logFile() == null ? "/var/log/" + d.name() + ".log" : d.logFile() + ".out";
    p.append("  <key>StandardOutPath</key>\n  <string>").append(xml(output)).append("</string>\n")
        .append("  <key>StandardErrorPath</key>\n  <string>").append(xml(output))
        .append("</string>\n")
        .append("</dict>\n")
        .append("</plist>\n");
    return p.toString();
  }

  static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
