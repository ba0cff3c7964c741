package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NamesTest {
  private static int status(byte[] raw) {
    return assertThrows(Nfs4Exception.class, () -> Names.check(raw, 255)).status();
  }

  @Test
  void acceptsAsciiAndMultibyteNames() throws Exception {
    assertEquals("plain.txt", Names.check("plain.txt".getBytes(StandardCharsets.UTF_8), 255));
    assertEquals("größe-日本", Names.check("größe-日本".getBytes(StandardCharsets.UTF_8), 255));
    assertEquals("..x", Names.check("..x".getBytes(StandardCharsets.UTF_8), 255));
  }

  @Test
  void refusesWhatNfsv4Refuses() {
    assertEquals(Nfs4Status.INVAL, status(new byte[0]));
    assertEquals(Nfs4Status.INVAL, status(new byte[] {(byte) 0xC3, 0x28}));
    assertEquals(Nfs4Status.INVAL, status(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}));
    assertEquals(Nfs4Status.BADCHAR, status(new byte[] {'a', 0}));
    assertEquals(Nfs4Status.BADNAME, status(new byte[] {'a', '/', 'b'}));
    assertEquals(Nfs4Status.BADNAME, status(new byte[] {'.'}));
    assertEquals(Nfs4Status.BADNAME, status(new byte[] {'.', '.'}));
    assertEquals(Nfs4Status.NAMETOOLONG, status("n".repeat(256).getBytes(StandardCharsets.UTF_8)));
  }
}
