package dev.jnfs.examples;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A Windows service through WinSW (the Windows Service Wrapper, github.com/winsw/winsw): its
 * XML configuration, and how to install it. WinSW is one executable, renamed after the
 * service and put beside this file; it registers the service with the service control
 * manager, starts the server, restarts it when it fails, and stops it with Ctrl+C, on which
 * the server closes cleanly.
 */
final class WinswService {
  private WinswService() {}

  /** @return the XML configuration's text */
  static String of(ServiceDefinition d) {
    List<String> command = d.command();
    StringBuilder x = new StringBuilder();
    x.append("<service>\n")
        .append("  <id>").append(LaunchdPlist.xml(d.name())).append("</id>\n")
        .append("  <name>").append(LaunchdPlist.xml(ServiceDefinition.DESCRIPTION))
        .append(" (").append(LaunchdPlist.xml(d.name())).append(")</name>\n")
        .append("  <description>Serves NFSv3 and NFSv4 exports.</description>\n")
        .append("  <executable>").append(LaunchdPlist.xml(command.get(0))).append("</executable>\n")
        .append("  <arguments>")
        .append(LaunchdPlist.xml(command.subList(1, command.size()).stream()
            .map(WinswService::quoted).collect(Collectors.joining(" "))))
        .append("</arguments>\n")
        .append("  <env name=\"JAVA_HOME\" value=\"")
        .append(LaunchdPlist.xml(d.javaHome().toString())).append("\"/>\n")
        .append("  <startmode>Automatic</startmode>\n")
        .append("  <onfailure action=\"restart\" delay=\"10 sec\"/>\n")
        .append("  <stoptimeout>15 sec</stoptimeout>\n")
        .append("  <log mode=\"roll-by-size\">\n")
        .append("    <sizeThreshold>10240</sizeThreshold>\n")
        .append("    <keepFiles>5</keepFiles>\n")
        .append("  </log>\n");
    if (d.user() != null) {
      x.append("  <serviceaccount>\n")
          .append("    <username>").append(LaunchdPlist.xml(d.user())).append("</username>\n")
          .append("    <allowservicelogon>true</allowservicelogon>\n")
          .append("  </serviceaccount>\n");
    }
    return x.append("</service>\n").toString();
  }

  /** @return what to do with the XML file, {@code NAME.xml} */
  static String instructions(String name) {
    return String.join("\n",
        "To install the Windows service:",
        "  1. download WinSW-x64.exe (github.com/winsw/winsw, version 2.12 or later),",
        "  2. put it beside " + name + ".xml, renamed " + name + ".exe,",
        "  3. in an administrator prompt there: " + name + ".exe install, then "
            + name + ".exe start",
        "Windows clients ask the portmapper on port 111: give the server --portmap-port 111.",
        "");
  }

  private static String quoted(String word) {
    return word.isEmpty() || word.chars().anyMatch(c -> c == ' ' || c == '"')
        ? "\"" + word.replace("\"", "\\\"") + "\""
        : word;
  }
}
