package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.protocol.ServerContext.OwnerNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NameIdMapperTest {
  @TempDir Path dir;

  private NameIdMapper mapper(String passwd, String group, Duration period) throws IOException {
    Path p = Files.writeString(dir.resolve("passwd"), passwd);
    Path g = Files.writeString(dir.resolve("group"), group);
    return new NameIdMapper(new OwnerNames("example.org", p, g), period);
  }

  @Test
  void tablesSkipCommentsMalformedLinesAndLaterDuplicates() throws Exception {
    NameIdMapper m =
        mapper(
            "# users\n+nis::0:0:::\nalice:x:1000:1000::/:/bin/sh\nbroken:x:abc:1\nshort\n"
                + "alias:x:1000:1000::/:/bin/sh\nalice:x:2000:1::/:/bin/sh\nbig:x:4294967295:0::/:\n",
            "staff:x:50:\n",
            Duration.ofHours(1));
    assertEquals("alice@example.org", m.ownerOf(1000));
    assertEquals(1000, m.uidOf("alice@example.org"));
    assertEquals(1000, m.uidOf("alias@example.org"));
    // getpwuid(2000) finds that line: the name, though the name itself means 1000
    assertEquals("alice@example.org", m.ownerOf(2000));
    assertEquals("big@example.org", m.ownerOf(-1));
    assertEquals(-1, m.uidOf("big@example.org"));
    assertThrows(Nfs4Exception.class, () -> m.uidOf("broken@example.org"));
    assertThrows(Nfs4Exception.class, () -> m.uidOf("+nis@example.org"));
    assertEquals(50, m.gidOf("staff@example.org"));
    assertThrows(Nfs4Exception.class, () -> m.gidOf("alice@example.org"));
  }

  @Test
  void numericFormsAreAccepted() throws Exception {
    NameIdMapper m = mapper("alice:x:1000:1000::/:\n", "", Duration.ofHours(1));
    assertEquals(7, m.uidOf("7"));
    assertEquals(7, m.uidOf("7@example.org"));
    assertEquals(7, m.uidOf("7@elsewhere.net"));
    Nfs4Exception e = assertThrows(Nfs4Exception.class, () -> m.uidOf("99999999999"));
    assertEquals(Nfs4Status.BADOWNER, e.status());
  }

  @Test
  void tablesAreReadAgainWhenAFileChanges() throws Exception {
    NameIdMapper m = mapper("alice:x:1000:1000::/:\n", "", Duration.ZERO);
    assertEquals("1001", m.ownerOf(1001));
    Files.writeString(dir.resolve("passwd.new"), "alice:x:1000:1000::/:\nbob:x:1001:1001::/:\n");
    Files.move(dir.resolve("passwd.new"), dir.resolve("passwd"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (m.ownerOf(1001).equals("1001") && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals("bob@example.org", m.ownerOf(1001));
    assertEquals(1001, m.uidOf("bob@example.org"));
  }

  @Test
  void missingFilesNameNobody() throws Exception {
    NameIdMapper m =
        new NameIdMapper(
            new OwnerNames("example.org", dir.resolve("none"), dir.resolve("none2")));
    assertEquals("0", m.ownerOf(0));
    assertEquals(0, m.uidOf("0"));
    assertThrows(Nfs4Exception.class, () -> m.uidOf("root@example.org"));
  }

  @Test
  void hostDomainIsADomainOrLocaldomain() {
    String d = NameIdMapper.hostDomain();
    assertFalse(d.isEmpty());
    assertTrue(d.equals(NameIdMapper.DEFAULT_DOMAIN) || d.contains(".") || !d.contains("@"), d);
  }
}
