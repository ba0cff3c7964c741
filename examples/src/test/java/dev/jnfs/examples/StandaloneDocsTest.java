package dev.jnfs.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** docs/standalone.md documents every option of every command and every configuration key. */
class StandaloneDocsTest {
  private static final Path PAGE = Path.of("../docs/standalone.md");

  @Test
  void everyLongOptionIsDocumented() throws Exception {
    String page = Files.readString(PAGE);
    CommandLine root = ServerCommandLine.commandLine();
    List<String> missing = new ArrayList<>();
    List<CommandLine> commands = new ArrayList<>(List.of(root));
    commands.addAll(root.getSubcommands().values());
    for (CommandLine command : commands) {
      for (OptionSpec option : command.getCommandSpec().options()) {
        String name = option.longestName();
        if (!page.contains("`" + name + "`") && !page.contains("`" + name + " ")) {
          missing.add(command.getCommandName() + " " + name);
        }
      }
    }
    assertEquals(List.of(), missing, "options missing from " + PAGE);
  }

  @Test
  void everyConfigurationKeyIsDocumentedBesideItsOption() throws Exception {
    String page = Files.readString(PAGE);
    List<String> missing = new ArrayList<>();
    ConfigKeys.OPTIONS.forEach((key, option) -> {
      boolean documented = page.lines()
          .filter(line -> line.startsWith("| `" + option + " ")
              || line.startsWith("| `" + option + "`"))
          .anyMatch(line -> line.contains("| `" + key + "` |"));
      if (!documented) {
        missing.add(key + " (" + option + ")");
      }
    });
    assertEquals(List.of(), missing, "keys missing from " + PAGE);
  }

  @Test
  void theReadmeLinksThePage() throws Exception {
    assertTrue(Files.readString(Path.of("../README.md")).contains("(docs/standalone.md)"));
  }
}
