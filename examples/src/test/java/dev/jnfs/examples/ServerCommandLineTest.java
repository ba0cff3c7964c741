package dev.jnfs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.examples.OptionConverters.Switch;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.Squash;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerCommandLineTest {

  static ServerOptions parse(String... args) throws Exception {
    return ServerCommandLine.parse(args).options;
  }

  private static String errorOf(String... args) {
    return assertThrows(CommandLine.ParameterException.class, () -> ServerCommandLine.parse(args))
        .getMessage();
  }

  /** Runs the command line; the exit status, then what it printed on stdout and stderr. */
  static List<String> run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = StandaloneServer.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return List.of(String.valueOf(status), out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void defaults() throws Exception {
    ServerOptions c = parse();
    assertEquals(2049, c.port());
    assertNull(c.mountPort);
    assertNull(c.portmapPort);
    assertNull(c.bind);
    assertNull(c.exportsFile);
    assertNull(c.udp);
    assertTrue(c.serves(3) && c.serves(4));
    assertTrue(c.directories.isEmpty());
    assertFalse(c.demo);
    assertNull(c.nextCallWaitMicros);
    assertNull(c.maxConnections);
    assertNull(c.maxConnectionRate);
    ExportOptions o = c.exportOptions();
    assertFalse(o.readOnly());
    assertEquals(Squash.ROOT, o.squash());
    assertTrue(o.secure());
    assertTrue(o.clients().get(0).matches(InetAddress.getByName("203.0.113.5")));
  }

  @Test
  void everyOptionOfTheFormerCommandLineStillWorks() throws Exception {
    ServerOptions c = parse(
        "--port", "12049", "--mount-port=20048", "--portmap-port", "111", "--bind", "127.0.0.1",
        "--exports", "/etc/exports", "--clients", "10.0.0.0/8, 127.0.0.1",
        "--options=ro,insecure,no_root_squash", "--demo", "--next-call-wait", "0",
        "--max-connections", "10", "--max-connection-rate=0", "--state-dir", "/var/lib/jnfs",
        "--lock-grace", "5", "/srv/a", "b");
    assertEquals(12049, c.port());
    assertEquals(20048, c.mountPort);
    assertEquals(111, c.portmapPort);
    assertEquals("127.0.0.1", c.bind);
    assertEquals(Path.of("/etc/exports"), c.exportsFile);
    assertEquals(List.of(Path.of("/srv/a"), Path.of("b")), c.directories);
    assertTrue(c.demo);
    assertEquals(0, c.nextCallWaitMicros);
    assertEquals(10, c.maxConnections);
    assertEquals(0, c.maxConnectionRate);
    assertEquals(Path.of("/var/lib/jnfs"), c.stateDirectory);
    assertEquals(5, c.lockGraceSeconds);
    ExportOptions o = c.exportOptions();
    assertTrue(o.readOnly());
    assertFalse(o.secure());
    assertEquals(Squash.NONE, o.squash());
    assertEquals(2, o.clients().size());
    assertTrue(o.clients().get(0).matches(InetAddress.getByName("10.9.8.7")));
    assertFalse(o.clients().get(0).matches(InetAddress.getByName("11.0.0.1")));
  }

  @Test
  void newOptionsReachTheirSettings() throws Exception {
    ServerOptions c = parse(
        "--udp", "off", "--versions", "4", "--io-threads", "2", "--max-record-size", "2m",
        "--max-in-flight", "16", "--max-read-size", "64k", "--max-write-size=65536",
        "--drc-size", "0", "--idle-timeout", "60", "--shutdown-grace", "1",
        "--log-level", "warn", "--log-level", "dev.jnfs.v4=debug,dev.jnfs.access=off",
        "--log-file", "/var/log/jnfs.log", "--log-max-size-mb", "3", "--log-max-files", "4",
        "--metrics-port", "9100", "--metrics-jmx", "on");
    assertEquals(Switch.OFF, c.udp);
    assertFalse(c.serves(3));
    assertTrue(c.serves(4));
    assertEquals(2, c.ioThreads);
    assertEquals(2 << 20, c.maxRecordSize);
    assertEquals(16, c.maxInFlight);
    assertEquals(65536, c.maxReadSize);
    assertEquals(65536, c.maxWriteSize);
    assertEquals(0, c.drcSize);
    assertEquals(60, c.idleTimeoutSeconds);
    assertEquals(1, c.shutdownGraceSeconds);
    assertEquals("[warn, dev.jnfs.v4=debug, dev.jnfs.access=off]", c.logLevels.toString());
    assertEquals(Path.of("/var/log/jnfs.log"), c.logFile);
    assertEquals(3, c.logMaxSizeMb);
    assertEquals(4, c.logMaxFiles);
    assertEquals(9100, c.metricsPort);
    assertEquals(Switch.ON, c.metricsJmx);
  }

  @Test
  void doubleDashEndsTheOptions() throws Exception {
    assertEquals(List.of(Path.of("--odd-name")), parse("--", "--odd-name").directories);
  }

  @Test
  void badArgumentsNameTheOption() {
    assertTrue(errorOf("--port").contains("'--port'"), errorOf("--port"));
    assertTrue(errorOf("--port", "x").matches("(?s).*'--port'.*not a port number.*"));
    assertTrue(errorOf("--mount-port", "70000").matches("(?s).*'--mount-port'.*0\\.\\.65535.*"));
    assertTrue(errorOf("--portmap-port=-1").contains("0..65535"));
    assertTrue(errorOf("--frobnicate").contains("--frobnicate"), errorOf("--frobnicate"));
    assertTrue(errorOf("--options", "rw,bogus").matches("(?s).*'--options'.*bogus.*"));
    assertTrue(errorOf("--clients", "10.0.0.0/99").contains("'--clients'"));
    assertTrue(errorOf("--next-call-wait", "-5").matches("(?s).*'--next-call-wait'.*negative.*"));
    assertTrue(errorOf("--next-call-wait=soon").contains("not a whole number"));
    assertTrue(errorOf("--max-connections", "0").contains("at least 1"));
    assertTrue(errorOf("--max-connection-rate", "-1").contains("negative"));
    assertTrue(errorOf("--udp", "maybe").matches("(?s).*'--udp'.*neither on nor off.*"));
    assertTrue(errorOf("--versions", "3,5").matches("(?s).*'--versions'.*not an NFS version.*"));
    assertTrue(errorOf("--max-read-size", "1g").matches("(?s).*'--max-read-size'.*size.*"));
    assertTrue(errorOf("--log-level", "loud").matches("(?s).*'--log-level'.*not a level.*"));
    assertTrue(errorOf("--log-max-files", "1").contains("2..21"));
  }

  @Test
  void optionsMayFollowTheSubcommand() throws Exception {
    ServerCommandLine c = ServerCommandLine.parse("check-config", "--port", "12049", "--demo");
    assertEquals(12049, c.options.port());
    assertTrue(c.options.demo);
    assertEquals("check-config", ServerCommandLine.subcommandOf("check-config", "--port", "1"));
    assertEquals("check-config", ServerCommandLine.subcommandOf("check-config", "--port", "x"));
    assertNull(ServerCommandLine.subcommandOf("--port", "1"));
  }

  @Test
  void helpVersionAndUsageErrors() {
    List<String> help = run("--help");
    assertEquals("0", help.get(0));
    assertTrue(help.get(1).contains("--portmap-port") && help.get(1).contains("check-config")
        && help.get(1).contains("install-service") && help.get(1).contains("completion"),
        help.get(1));

    List<String> version = run("--version");
    assertEquals("0", version.get(0));
    assertTrue(version.get(1).startsWith("jnfs-server "), version.get(1));

    List<String> wrong = run("--port", "x");
    assertEquals("2", wrong.get(0));
    assertTrue(wrong.get(2).contains("'--port'") && wrong.get(2).contains("not a port number")
        && wrong.get(2).contains("--help"), wrong.get(2));

    List<String> unknown = run("--prot", "1");
    assertEquals("2", unknown.get(0));
    assertTrue(unknown.get(2).contains("--prot"), unknown.get(2));
  }

  @Test
  void completionScriptNamesTheOptions() {
    List<String> completion = run("completion");
    assertEquals("0", completion.get(0), completion.get(2));
    assertTrue(completion.get(1).contains("complete -F") && completion.get(1).contains("--log-file")
        && completion.get(1).contains("check-config"), completion.get(1));
  }

  @Test
  void mountCommandsNameThePorts() {
    List<String> lines = new MountCommands("192.0.2.1", 2049, 20048, -1, false).forExport("/data");
    assertEquals(3, lines.size());
    assertTrue(lines.get(0).contains("vers=3") && lines.get(0).contains("port=2049")
        && lines.get(0).contains("mountport=20048") && lines.get(0).contains("nolock")
        && lines.get(0).contains("192.0.2.1:/data"), lines.get(0));
    assertTrue(lines.get(1).contains("resvport") && lines.get(1).contains("mountport=20048"),
        lines.get(1));
    assertTrue(lines.get(2).contains("mount -o anon \\\\192.0.2.1\\data Z:"), lines.get(2));
    assertTrue(lines.get(2).contains("--portmap-port 111"), lines.get(2));

    List<String> withPortmap = new MountCommands("::1", 2049, 2049, 111, true).forExport("/");
    assertEquals(4, withPortmap.size());
    assertTrue(withPortmap.get(0).contains("[::1]:/ "), withPortmap.get(0));
    assertFalse(withPortmap.get(0).contains("nolock"), "NLM is found through port 111: " + withPortmap.get(0));
    assertTrue(withPortmap.get(1).contains("vers=4.1") && withPortmap.get(1).contains("port=2049")
        && !withPortmap.get(1).contains("mountport"), withPortmap.get(1));
    assertFalse(withPortmap.get(3).contains("--portmap-port"), withPortmap.get(3));
  }
}
