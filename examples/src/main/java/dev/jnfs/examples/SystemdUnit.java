package dev.jnfs.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A systemd service unit (systemd.service(5)) for the server: restarted on failure, reloaded
 * with SIGHUP ({@code systemctl reload}), stopped with SIGTERM, and sandboxed: the file system
 * read-only but for what it writes ({@code ProtectSystem=strict} and {@code ReadWritePaths}),
 * no privilege gain, a private /tmp, and, when it listens on a port below 1024, only the
 * capability to bind such ports (CAP_NET_BIND_SERVICE), also for a non-root user.
 */
final class SystemdUnit {
  private SystemdUnit() {}

  /** @return the unit file's text */
  static String of(ServiceDefinition d) {
    StringBuilder u = new StringBuilder();
    u.append("[Unit]\n")
        .append("Description=").append(ServiceDefinition.DESCRIPTION).append('\n')
        .append("Wants=network-online.target\n")
        .append("After=network-online.target\n")
        .append('\n')
        .append("[Service]\n")
        .append("Type=exec\n")
        .append("Environment=").append(quoted("JAVA_HOME=" + d.javaHome())).append('\n')
        .append("ExecStart=").append(commandLine(d.command())).append('\n')
        .append("ExecReload=/bin/kill -HUP $MAINPID\n")
        .append("Restart=on-failure\n")
        .append("RestartSec=5\n")
        .append("SuccessExitStatus=143\n");
    if (d.user() != null) {
      u.append("User=").append(d.user()).append('\n');
    }
    u.append("NoNewPrivileges=yes\n")
        .append("PrivateTmp=yes\n")
        .append("ProtectSystem=strict\n");
    if (!d.writablePaths().isEmpty()) {
      u.append("ReadWritePaths=")
          .append(d.writablePaths().stream().map(p -> quoted(p.toString()))
              .collect(Collectors.joining(" ")))
          .append('\n');
    }
    if (d.privilegedPorts()) {
      u.append("AmbientCapabilities=CAP_NET_BIND_SERVICE\n")
          .append("CapabilityBoundingSet=CAP_NET_BIND_SERVICE\n");
    }
    u.append('\n')
        .append("[Install]\n")
        .append("WantedBy=multi-user.target\n");
    return u.toString();
  }

  /** @return where the unit is installed */
  static Path path(String name) {
    return Path.of("/etc/systemd/system", name + ".service");
  }

  private static String commandLine(List<String> command) {
    return command.stream().map(SystemdUnit::quoted).collect(Collectors.joining(" "));
  }

  /** Quotes a word the way systemd splits command lines, when it needs quoting. */
  private static String quoted(String word) {
    boolean plain = !word.isEmpty() && word.chars().noneMatch(
        c -> Character.isWhitespace(c) || c == '"' || c == '\'' || c == '\\' || c == '$'
            || c == '%' || c == ';');
    if (plain) {
      return word;
    }
    return "\"" + word.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "$$")
        .replace("%", "%%") + "\"";
  }
}
