package dev.jnfs.nlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.spi.Owner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NLM owners as lock manager owners, and the hosts file. */
class NlmOwnersTest {
  @TempDir Path directory;

  @Test
  void anOwnerKeepsHostSvidAndHandleAndNeverLooksLikeAnNfs4Owner() {
    byte[] oh = "handle".getBytes(StandardCharsets.UTF_8);
    Owner owner = NlmOwners.owner("fe80:0:0:0:0:0:0:1", -7, oh);
    assertTrue(NlmOwners.isNlm(owner));
    assertEquals("fe80:0:0:0:0:0:0:1", NlmOwners.host(owner));
    assertEquals(-7, NlmOwners.svid(owner));
    assertArrayEquals(oh, NlmOwners.ownerHandle(owner));
    assertEquals(0, NlmOwners.CLIENT_ID >>> 32, "NFSv4 client ids have a non-zero boot verifier there");
    assertNotEquals(owner, NlmOwners.owner("10.0.0.1", -7, oh), "another host");
    assertNotEquals(owner, NlmOwners.owner("fe80:0:0:0:0:0:0:1", 8, oh), "another process");

    Owner nfs4 = new Owner(0x12345678_00000001L, oh);
    assertFalse(NlmOwners.isNlm(nfs4));
    assertEquals(0, NlmOwners.svid(nfs4));
    assertArrayEquals(oh, NlmOwners.ownerHandle(nfs4));

    String longest = "0000:0000:0000:0000:0000:ffff:255.255.255.255";
    assertEquals(NlmOwners.MAX_HOST, longest.length());
    assertEquals(1024, NlmOwners.owner(longest, 1, new byte[NlmOwners.MAX_OWNER_HANDLE]).name().length);
  }

  @Test
  void theHostsFileKeepsTheStateAndTheHostsAndIsReplacedWhole() throws Exception {
    HostsFile file = new HostsFile(directory.resolve("state"));
    assertEquals(new HostsFile.Saved(0, Set.of()), file.read());
    file.write(3, Set.of("127.0.0.1"));
    file.write(3, new java.util.LinkedHashSet<>(List.of("127.0.0.1", "::1")));
    HostsFile.Saved saved = file.read();
    assertEquals(3, saved.state());
    assertEquals(Set.of("127.0.0.1", "::1"), saved.hosts());
    try (var files = Files.list(directory.resolve("state"))) {
      assertEquals(List.of(HostsFile.NAME), files.map(p -> p.getFileName().toString()).toList(), "no leftovers");
    }
  }

  @Test
  void eachStartTakesTheNextOddStateAndForgetsHostsAsTheirLastLockGoes() throws Exception {
    MonitoredHosts first = new MonitoredHosts(directory);
    assertEquals(1, first.state());
    dev.jnfs.lock.FileKey file = new dev.jnfs.lock.FileKey(1, dev.jnfs.spi.FileHandle.of(new byte[] {1}));
    Owner owner = NlmOwners.owner("10.0.0.1", 1, new byte[] {1});
    assertTrue(first.hold("10.0.0.1", file, owner));
    MonitoredHosts second = new MonitoredHosts(directory);
    assertEquals(3, second.state());
    assertEquals(Set.of("10.0.0.1"), second.previousHosts());
    second.notified("10.0.0.1");
    assertEquals(Set.of(), new MonitoredHosts(directory).previousHosts(), "notified, held nothing since");
    MonitoredHosts fourth = new MonitoredHosts(directory);
    assertEquals(7, fourth.state());
    assertTrue(fourth.hold("10.0.0.2", file, owner));
    fourth.released("10.0.0.2", file, owner);
    assertEquals(Set.of(), new MonitoredHosts(directory).previousHosts(), "forgotten with its last lock");
  }
}
