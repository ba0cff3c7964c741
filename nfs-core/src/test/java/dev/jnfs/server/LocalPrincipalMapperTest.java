package dev.jnfs.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.server.PrincipalMapper.Identity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPrincipalMapperTest {

  @Test
  void userPrincipalMapsByLocalName(@TempDir Path dir) throws Exception {
    Path table = dir.resolve("idmap");
    Files.writeString(
        table,
        "# users\n\nalice 1000 1000 20,30\ncarol:x:1002:1003:Carol:/home/carol:/bin/sh\n");
    LocalPrincipalMapper m = LocalPrincipalMapper.fromFile(table);
    Identity alice = m.map("alice@EXAMPLE.COM");
    assertEquals(1000, alice.uid());
    assertEquals(1000, alice.gid());
    assertArrayEquals(new int[] {20, 30}, alice.gids());
    Identity carol = m.map("carol@EXAMPLE.COM");
    assertEquals(1002, carol.uid());
    assertEquals(1003, carol.gid());
    assertEquals(0, carol.gids().length);
  }

  @Test
  void machinePrincipalsMapToTheMachineIdentity() {
    LocalPrincipalMapper m = LocalPrincipalMapper.of(Map.of());
    for (String p :
        List.of("host/client.example.com@EXAMPLE.COM", "nfs/client@EXAMPLE.COM", "root/x@E")) {
      assertEquals(0, m.map(p).uid(), p);
      assertEquals(0, m.map(p).gid(), p);
    }
    Identity machine = new Identity(7, 8, new int[0]);
    assertEquals(7, m.withMachineIdentity(machine).map("host/c@EXAMPLE.COM").uid());
    // another service is no machine credential
    assertEquals(65534, m.map("http/www.example.com@EXAMPLE.COM").uid());
  }

  @Test
  void unknownUsersAndOtherRealmsAreAnonymous() {
    LocalPrincipalMapper m =
        LocalPrincipalMapper.of(Map.of("alice", new Identity(1000, 1000, new int[0])))
            .withRealm("EXAMPLE.COM");
    assertEquals(1000, m.map("alice@EXAMPLE.COM").uid());
    assertEquals(65534, m.map("bob@EXAMPLE.COM").uid());
    assertEquals(65534, m.map("bob@EXAMPLE.COM").gid());
    assertEquals(65534, m.map("alice@OTHER.ORG").uid());
    assertEquals(65534, m.map("host/c@OTHER.ORG").uid());
  }

  @Test
  void malformedLinesNameTheirNumber() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LocalPrincipalMapper.parse(List.of("alice 1 1", "bob x 2")));
    assertTrue(e.getMessage().startsWith("line 2"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> LocalPrincipalMapper.parse(List.of("a 1")));
    assertThrows(
        IllegalArgumentException.class, () -> LocalPrincipalMapper.parse(List.of("a -1 2")));
    assertThrows(
        IllegalArgumentException.class, () -> LocalPrincipalMapper.parse(List.of("a:x:1")));
  }

  @Test
  void identityCopiesItsGroups() {
    int[] gids = {1, 2};
    Identity id = new Identity(1, 1, gids);
    gids[0] = 99;
    assertEquals(1, id.gids()[0]);
    id.gids()[1] = 99;
    assertEquals(2, id.gids()[1]);
  }
}
