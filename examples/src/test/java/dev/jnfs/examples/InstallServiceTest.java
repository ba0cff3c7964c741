package dev.jnfs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code install-service --dry-run}: the systemd unit, the launchd plist, the WinSW XML. */
class InstallServiceTest {
  @TempDir Path temp;

  private Path config() throws Exception {
    Path data = Files.createDirectories(temp.resolve("data"));
    return Files.writeString(temp.resolve("jnfs.toml"), """
        [server]
        state_dir = "%s"

        [logging]
        file = "%s"

        [[export]]
        path = "/data"
        directory = "%s"
        """.formatted(temp.resolve("state"), temp.resolve("logs/jnfs.log"), data));
  }

  private String dryRun(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("--config", config().toString(),
        "install-service", "--dry-run"));
    args.addAll(List.of(extra));
    List<String> result = ServerCommandLineTest.run(args.toArray(String[]::new));
    assertEquals("0", result.get(0), result.get(2));
    return result.get(1);
  }

  @Test
  void systemdUnitRunsTheServerWithItsConfigurationInASandbox() throws Exception {
    String unit = dryRun("--platform", "linux", "--user", "nfs");
    String config = temp.resolve("jnfs.toml").toString();
    assertTrue(unit.matches("(?s).*\nExecStart=\\S+java .*--config " + config.replace("\\", "\\\\")
        + "\n.*"), unit);
    for (String line : List.of("Restart=on-failure",
        "Environment=JAVA_HOME=" + System.getProperty("java.home"), "User=nfs", "NoNewPrivileges=yes",
        "PrivateTmp=yes", "ProtectSystem=strict", "ExecReload=/bin/kill -HUP $MAINPID",
        "ReadWritePaths=" + temp.resolve("data") + " " + temp.resolve("state") + " "
            + temp.resolve("logs"),
        "WantedBy=multi-user.target")) {
      assertTrue(unit.contains("\n" + line + "\n"), line + " in\n" + unit);
    }
    assertFalse(unit.contains("CAP_NET_BIND_SERVICE"), "no port below 1024: no capability");

    String privileged = dryRun("--platform", "linux", "--portmap-port", "111");
    assertTrue(privileged.contains("\nAmbientCapabilities=CAP_NET_BIND_SERVICE\n")
        && privileged.contains("\nCapabilityBoundingSet=CAP_NET_BIND_SERVICE\n"), privileged);
    assertTrue(privileged.contains(" --portmap-port=111\n"), "flags are passed on: " + privileged);
    assertFalse(privileged.contains("User="), privileged);
  }

  @Test
  void systemdAcceptsTheUnit() throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
    Path unit = Files.writeString(temp.resolve("jnfs-verify.service"),
        dryRun("--platform", "linux", "--portmap-port", "111"));
    Process p = new ProcessBuilder(analyze.toString(), "verify", unit.toString())
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "systemd-analyze finished");
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), output);
    assertFalse(output.contains(unit.getFileName().toString() + ":"), output);
  }

  @Test
  void launchdPlistStartsAtBootAndRestartsOnFailure() throws Exception {
    Document plist = xml(dryRun("--platform", "macos", "--user", "_nfs"));
    List<String> dict = texts(plist.getDocumentElement(), "key");
    assertTrue(dict.containsAll(List.of("Label", "ProgramArguments", "RunAtLoad", "KeepAlive",
        "SuccessfulExit", "JAVA_HOME", "UserName", "StandardOutPath", "StandardErrorPath")), dict.toString());
    List<String> strings = texts(plist.getDocumentElement(), "string");
    assertEquals("dev.jnfs.jnfs", strings.get(0));
    assertTrue(strings.contains("--config") && strings.contains(temp.resolve("jnfs.toml").toString())
        && strings.contains("_nfs"), strings.toString());
    assertTrue(strings.contains(temp.resolve("logs/jnfs.log") + ".out"), strings.toString());
  }

  @Test
  void winswConfigurationAndInstructions() throws Exception {
    String text = dryRun("--platform", "windows", "--service-name", "nfs-server");
    int end = text.indexOf("</service>") + "</service>".length();
    Document service = xml(text.substring(0, end));
    Element root = service.getDocumentElement();
    assertEquals("nfs-server", texts(root, "id").get(0));
    assertTrue(texts(root, "executable").get(0).endsWith("java.exe"), text);
    assertTrue(texts(root, "arguments").get(0).contains("--config " + temp.resolve("jnfs.toml")),
        text);
    assertEquals("restart", ((Element) root.getElementsByTagName("onfailure").item(0))
        .getAttribute("action"));
    String instructions = text.substring(end);
    assertTrue(instructions.contains("nfs-server.exe install") && instructions.contains("WinSW"),
        instructions);
  }

  @Test
  void installServiceNeedsAConfigurationFile() {
    List<String> result = ServerCommandLineTest.run("install-service", "--dry-run");
    assertEquals("2", result.get(0));
    assertTrue(result.get(2).contains("needs --config"), result.get(2));
  }

  private static Document xml(String text) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return factory.newDocumentBuilder()
        .parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> texts(Element root, String tag) {
    NodeList nodes = root.getElementsByTagName(tag);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent());
    }
    return texts;
  }
}
