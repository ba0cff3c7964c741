package dev.jnfs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.examples.OptionConverters.Switch;
import dev.jnfs.examples.StandaloneServer.ConfigurationException;
import dev.jnfs.server.Squash;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TOML configuration file: its keys, its errors with line numbers, flags over the file. */
class ConfigFileTest {
  /** The commented example shipped in the distribution's conf/. */
  static final Path EXAMPLE = Path.of("src/dist/conf/jnfs.toml");

  @TempDir Path temp;

  private Path config(String text) throws Exception {
    return Files.writeString(temp.resolve("jnfs.toml"), text);
  }

  private String errorOf(String text) throws Exception {
    Path file = config(text);
    return assertThrows(ConfigurationException.class, () -> ConfigFile.read(file)).getMessage();
  }

  @Test
  void settingsBecomeTheOptionsDefaultsAndFlagsOverrideThem() throws Exception {
    Path file = config("""
        [server]
        port = 12049
        udp = false
        versions = [4]

        [limits]
        max_read_size = "64k"
        max_connections = 10

        [logging]
        level = ["warn", "dev.jnfs.v4=debug"]

        [metrics]
        port = 9100
        jmx = true
        """);
    ServerOptions fromFile = ServerCommandLineTest.parse("--config", file.toString());
    assertEquals(12049, fromFile.port());
    assertEquals(Switch.OFF, fromFile.udp);
    assertFalse(fromFile.serves(3));
    assertEquals(65536, fromFile.maxReadSize);
    assertEquals(10, fromFile.maxConnections);
    assertEquals("[warn, dev.jnfs.v4=debug]", fromFile.logLevels.toString());
    assertEquals(9100, fromFile.metricsPort);
    assertEquals(Switch.ON, fromFile.metricsJmx);

    ServerOptions overridden = ServerCommandLineTest.parse(
        "--port", "13049", "--config", file.toString(), "--versions", "3,4", "--udp=on");
    assertEquals(13049, overridden.port());
    assertEquals(Switch.ON, overridden.udp);
    assertTrue(overridden.serves(3) && overridden.serves(4));
    assertEquals(10, overridden.maxConnections, "what the flags leave out comes from the file");

    ServerOptions afterSubcommand =
        ServerCommandLineTest.parse("check-config", "--config", file.toString(), "--port", "1");
    assertEquals(1, afterSubcommand.port());
    assertEquals(10, afterSubcommand.maxConnections);
  }

  @Test
  void unknownKeysAreRefusedWithTheirLine() throws Exception {
    String key = errorOf("[server]\nport = 2049\n\n[limits]\nmax_conections = 3\n");
    assertTrue(key.contains("line 5") && key.contains("unknown key 'limits.max_conections'"), key);

    String section = errorOf("# settings\n[sever]\nport = 1\n");
    assertTrue(section.contains("line 2") && section.contains("unknown section [sever]"), section);

    String topLevel = errorOf("port = 2049\n");
    assertTrue(topLevel.contains("line 1") && topLevel.contains("unknown key 'port'"), topLevel);

    String inExport = errorOf("[[export]]\npath = \"/a\"\nbackend = \"memory\"\nreadonly = true\n");
    assertTrue(inExport.contains("line 4") && inExport.contains("'readonly'"), inExport);
  }

  @Test
  void badValuesAreRefusedWithTheirLineAndOption() throws Exception {
    String port = errorOf("[server]\n\nport = 70000\n");
    assertTrue(port.contains("line 3") && port.contains("server.port")
        && port.contains("'--port'") && port.contains("0..65535"), port);

    String udp = errorOf("[server]\nudp = \"maybe\"\n");
    assertTrue(udp.contains("line 2") && udp.contains("neither on nor off"), udp);

    String type = errorOf("[limits]\nmax_connections = 1.5\n");
    assertTrue(type.contains("line 2") && type.contains("--max-connections"), type);

    String flag = errorOf("[server]\ndemo = \"yes\"\n");
    assertTrue(flag.contains("line 2") && flag.contains("true or false"), flag);

    String level = errorOf("[logging]\nlevel = [\"info\", \"dev.jnfs=loud\"]\n");
    assertTrue(level.contains("line 2") && level.contains("not a level"), level);

    String syntax = errorOf("[server]\nport = \n");
    assertTrue(syntax.contains("line 2"), syntax);

    String backend = errorOf("[[export]]\npath = \"/a\"\nbackend = \"s3\"\n");
    assertTrue(backend.contains("line 3") && backend.contains("s3"), backend);

    String noDirectory = errorOf("\n[[export]]\npath = \"/a\"\n");
    assertTrue(noDirectory.contains("line 2") && noDirectory.contains("needs a directory"),
        noDirectory);
  }

  @Test
  void exportTablesBecomeExports() throws Exception {
    Path dir = Files.createDirectory(temp.resolve("data"));
    Path file = config("""
        [[export]]
        path = "/data"
        alias = "/d"
        directory = "%s"
        clients = "127.0.0.1(rw,no_root_squash) 127.0.0.2(rw,no_root_squash)"

        [[export]]
        path = "/scratch"
        backend = "memory"
        options = "rw,insecure"
        """.formatted(dir.toString().replace("\\", "\\\\")));
    ServerCommandLine c = ServerCommandLine.parse("--config", file.toString());
    List<ExportSpec> exports = ExportPlan.of(c.options, c.config);
    assertEquals(List.of("/data", "/scratch"), exports.stream().map(ExportSpec::path).toList());

    ExportSpec data = exports.get(0);
    assertEquals("/d", data.alias());
    assertEquals(ExportSpec.Backend.LOCAL, data.backend());
    assertEquals(dir, data.directory());
    assertFalse(data.optionSets().get(0).readOnly());
    assertEquals(Squash.NONE, data.optionSets().get(0).squash());
    assertTrue(data.optionSets().get(0).clients().stream()
        .anyMatch(r -> r.matches(addr("127.0.0.2"))));
    assertFalse(data.optionSets().get(0).clients().stream()
        .anyMatch(r -> r.matches(addr("127.0.0.3"))));

    ExportSpec scratch = exports.get(1);
    assertEquals(ExportSpec.Backend.MEMORY, scratch.backend());
    assertNull(scratch.directory());
    assertFalse(scratch.optionSets().get(0).readOnly());
    assertFalse(scratch.optionSets().get(0).secure());
  }

  @Test
  void exportMistakesNameTheTablesLine() throws Exception {
    Path file = config("[server]\nport = 2049\n\n[[export]]\npath = \"/a\"\nbackend = \"memory\"\n"
        + "clients = \"127.0.0.1(rw,bogus)\"\n");
    ServerCommandLine c = ServerCommandLine.parse("--config", file.toString());
    String bogus = assertThrows(ConfigurationException.class,
        () -> ExportPlan.of(c.options, c.config)).getMessage();
    assertTrue(bogus.contains("line 4") && bogus.contains("bogus"), bogus);

    Path missing = config("[[export]]\npath = \"/a\"\ndirectory = \"" + temp.resolve("none")
        + "\"\n");
    ServerCommandLine m = ServerCommandLine.parse("--config", missing.toString());
    String notDir = assertThrows(ConfigurationException.class,
        () -> ExportPlan.of(m.options, m.config)).getMessage();
    assertTrue(notDir.contains("line 1") && notDir.contains("is not a directory"), notDir);

    Path twice = config("[[export]]\npath = \"/a\"\nbackend = \"memory\"\n"
        + "[[export]]\npath = \"/b\"\nalias = \"/a\"\nbackend = \"memory\"\n");
    ServerCommandLine t = ServerCommandLine.parse("--config", twice.toString());
    String both = assertThrows(ConfigurationException.class,
        () -> ExportPlan.of(t.options, t.config)).getMessage();
    assertTrue(both.contains("two exports named /a") && both.contains("line 4"), both);
  }

  @Test
  void checkConfigAcceptsTheExampleAndRefusesMistakesWithStatusOne() throws Exception {
    List<String> example = ServerCommandLineTest.run("--config", EXAMPLE.toString(), "check-config");
    assertEquals("0", example.get(0), example.get(2));
    assertTrue(example.get(1).contains("/scratch") && example.get(1).contains("valid"),
        example.get(1));

    Path bad = config("[limits]\nmax_conections = 3\n");
    List<String> badKey = ServerCommandLineTest.run("check-config", "--config", bad.toString());
    assertEquals("1", badKey.get(0));
    assertTrue(badKey.get(2).contains("line 2"), badKey.get(2));

    List<String> badFlag = ServerCommandLineTest.run("check-config", "--port", "x");
    assertEquals("1", badFlag.get(0));

    List<String> serving = ServerCommandLineTest.run("--config", bad.toString());
    assertEquals("2", serving.get(0), "serving with a wrong configuration is a usage error");

    List<String> conflicting = ServerCommandLineTest.run("check-config", "--tls-cert", "c.pem");
    assertEquals("1", conflicting.get(0));
    assertTrue(conflicting.get(2).contains("--tls-key"), conflicting.get(2));

    List<String> tooSmall = ServerCommandLineTest.run(
        "check-config", "--max-record-size", "4k", "--max-write-size", "64k");
    assertEquals("1", tooSmall.get(0));
    assertTrue(tooSmall.get(2).contains("maxRecordSize"), tooSmall.get(2));
  }

  private static InetAddress addr(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
