package dev.jnfs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.Squash;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerCommandLineTest {

  private static String errorOf(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> ServerCommandLine.parse(args))
        .getMessage();
  }

  @Test
  void defaults() throws UnknownHostException {
    ServerCommandLine c = ServerCommandLine.parse();
    assertEquals(2049, c.port());
    assertEquals(-1, c.mountPort());
    assertEquals(-1, c.portmapPort());
    assertNull(c.bind());
    assertNull(c.exportsFile());
    assertTrue(c.directories().isEmpty());
    assertFalse(c.help());
    assertFalse(c.demo());
    assertEquals(-1, c.nextCallWaitMicros());
    assertEquals(-1, c.maxConnections());
    assertEquals(-1, c.maxConnectionRate());
    ExportOptions o = c.exportOptions();
    assertFalse(o.readOnly());
    assertEquals(Squash.ROOT, o.squash());
    assertTrue(o.secure());
    assertTrue(o.clients().get(0).matches(InetAddress.getByName("203.0.113.5")));
  }

  @Test
  void everyOption() throws UnknownHostException {
    ServerCommandLine c = ServerCommandLine.parse(
        "--port", "12049", "--mount-port=20048", "--portmap-port", "111", "--bind", "127.0.0.1",
        "--exports", "/etc/exports", "--clients", "10.0.0.0/8, 127.0.0.1",
        "--options=ro,insecure,no_root_squash", "--demo", "--next-call-wait", "0", "--max-connections", "10",
        "--max-connection-rate=0", "/srv/a", "b");
    assertEquals(12049, c.port());
    assertEquals(20048, c.mountPort());
    assertEquals(111, c.portmapPort());
    assertEquals("127.0.0.1", c.bind());
    assertEquals(Path.of("/etc/exports"), c.exportsFile());
    assertEquals(List.of(Path.of("/srv/a"), Path.of("b")), c.directories());
    assertTrue(c.demo());
    assertEquals(0, c.nextCallWaitMicros());
    assertEquals(10, c.maxConnections());
    assertEquals(0, c.maxConnectionRate());
    ExportOptions o = c.exportOptions();
    assertTrue(o.readOnly());
    assertFalse(o.secure());
    assertEquals(Squash.NONE, o.squash());
    assertEquals(2, o.clients().size());
    assertTrue(o.clients().get(0).matches(InetAddress.getByName("10.9.8.7")));
    assertFalse(o.clients().get(0).matches(InetAddress.getByName("11.0.0.1")));
  }

  @Test
  void helpAndDoubleDash() {
    assertTrue(ServerCommandLine.parse("--help").help());
    assertTrue(ServerCommandLine.parse("-h").help());
    assertEquals(List.of(Path.of("--odd-name")), ServerCommandLine.parse("--", "--odd-name").directories());
  }

  @Test
  void badArgumentsAreExplained() {
    assertTrue(errorOf("--port").contains("needs a value"));
    assertTrue(errorOf("--port", "x").contains("not a port number"));
    assertTrue(errorOf("--mount-port", "70000").contains("0..65535"));
    assertTrue(errorOf("--portmap-port=-1").contains("0..65535"));
    assertTrue(errorOf("--frobnicate").contains("unknown option --frobnicate"));
    assertTrue(errorOf("--options", "rw,bogus").contains("bogus"));
    assertTrue(errorOf("--clients", "10.0.0.0/99").startsWith("--clients:"));
    assertTrue(errorOf("--clients", ",").contains("no client"));
    assertTrue(errorOf("--demo=yes").contains("takes no value"));
    assertTrue(errorOf("--next-call-wait", "-5").contains("not a number of microseconds"));
    assertTrue(errorOf("--next-call-wait=soon").contains("not a number of microseconds"));
    assertTrue(errorOf("--max-connections", "0").contains("at least 1"));
    assertTrue(errorOf("--max-connection-rate", "-1").contains("at least 0"));
    assertTrue(errorOf("--max-connection-rate=many").contains("not a whole number"));
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
