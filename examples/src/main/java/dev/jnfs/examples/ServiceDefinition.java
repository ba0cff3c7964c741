package dev.jnfs.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.SequencedSet;

/**
 * What a system service running the standalone server needs to say, whatever the service
 * manager: the facts {@link SystemdUnit}, {@link LaunchdPlist} and {@link WinswService} write
 * in their own formats.
 *
 * @param name the service's name, e.g. {@code jnfs}
 * @param command the program and its arguments: the launcher, then {@code --config FILE}
 * @param user the account it runs as, or null for the manager's default (root, SYSTEM)
 * @param writablePaths what it writes: the exported directories, the state directory and the
 *     log file's directory
 * @param privilegedPorts whether it listens on a port below 1024 (e.g. a portmapper on 111)
 * @param logFile the log file, or null when it logs to standard error
 * @param javaHome the JDK that runs the server (the one running this command), for the
 *     launcher script
 */
record ServiceDefinition(
    String name,
    List<String> command,
    String user,
    SequencedSet<Path> writablePaths,
    boolean privilegedPorts,
    Path logFile,
    Path javaHome) {

  static final String DESCRIPTION = "jnfs NFS server";

  ServiceDefinition {
    command = List.copyOf(command);
  }
}
