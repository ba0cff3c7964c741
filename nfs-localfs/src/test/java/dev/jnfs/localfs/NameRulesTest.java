package dev.jnfs.localfs;

import static dev.jnfs.localfs.Fixture.assertStatus;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.spi.NfsStatus;
import org.junit.jupiter.api.Test;

/** Name checks, Unix and Windows. */
class NameRulesTest {
  private final NameRules unix = new NameRules(255, false);
  private final NameRules windows = new NameRules(255, true);

  @Test
  void singleComponentsOnly() throws Exception {
    assertStatus(NfsStatus.INVAL, () -> unix.checkExisting("a/b"));
    assertStatus(NfsStatus.INVAL, () -> unix.checkExisting("nul\0"));
    assertStatus(NfsStatus.INVAL, () -> unix.checkNew("."));
    assertStatus(NfsStatus.INVAL, () -> unix.checkNew(".."));
    assertStatus(NfsStatus.NOENT, () -> unix.checkExisting(""));
    unix.checkNew("...");
    unix.checkNew("a\\b:c");
  }

  @Test
  void lengthIsCountedInUtf8Bytes() throws Exception {
    unix.checkNew("é".repeat(127)); // 254 bytes
    assertStatus(NfsStatus.NAMETOOLONG, () -> unix.checkNew("é".repeat(128)));
    assertStatus(NfsStatus.NAMETOOLONG, () -> unix.checkExisting("x".repeat(256)));
  }

  @Test
  void reservedDeviceNames() {
    for (String n : new String[] {"CON", "con", "Con.txt", "AUX.tar.gz", "nul", "PRN", "COM1", "com9.log", "LPT1",
        "lpt9", "COM\u00b2", "CON .txt", "conin$"}) {
      assertTrue(NameRules.isReservedDevice(n), n);
    }
    for (String n : new String[] {"CONSOLE", "COM0", "COM10", "LPT", "xCON", "con_", "aux1.txt", "NULL"}) {
      assertFalse(NameRules.isReservedDevice(n), n);
    }
  }

  @Test
  void windowsCharactersAndTrailingDotsAreBadNames() throws Exception {
    for (String n : new String[] {"a<b", "a>b", "a:b", "a\"b", "a|b", "a?b", "a*b", "a\\b", "tab\tname", "dot.",
        "space ", "CON"}) {
      assertStatus(NfsStatus.BADNAME, () -> windows.checkNew(n));
      assertStatus(NfsStatus.BADNAME, () -> windows.checkExisting(n));
    }
    windows.checkNew(".hidden");
    windows.checkNew("name with spaces.txt");
    windows.checkExisting("..");
  }
}
