package dev.jnfs.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server identity: configured, kept in the state directory, or new at every start. */
class ServerIdentityTest {
  @TempDir Path state;

  @Test
  void aConfiguredIdentityWins() throws Exception {
    assertEquals("cluster-7", ServerIdentity.resolve("cluster-7", state));
    assertFalse(Files.exists(state.resolve(ServerIdentity.FILE)));
  }

  @Test
  void aGeneratedIdentityIsKeptInTheStateDirectory() throws Exception {
    String first = ServerIdentity.resolve(null, state.resolve("created"));
    assertEquals(first, ServerIdentity.resolve(null, state.resolve("created")));
    assertEquals(first + "\n", Files.readString(state.resolve("created").resolve(ServerIdentity.FILE)));
  }

  @Test
  void withoutAStateDirectoryEveryStartHasItsOwn() throws Exception {
    assertNotEquals(ServerIdentity.resolve(null, null), ServerIdentity.resolve(null, null));
  }

  @Test
  void theBuilderRefusesEmptyAndOverlongIdentities() {
    assertThrows(IllegalArgumentException.class, () -> NfsServer.builder().serverIdentity(""));
    assertThrows(IllegalArgumentException.class, () -> NfsServer.builder().serverIdentity("x".repeat(1025)));
    NfsServer.builder().serverIdentity("é".repeat(512));
  }
}
