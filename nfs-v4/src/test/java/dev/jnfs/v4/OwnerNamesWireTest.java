package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.Nfs4Client;
import dev.jnfs.v4.testing.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** owner and owner_group as {@code name@domain} through a server told to name them. */
class OwnerNamesWireTest {
  @TempDir Path dir;
  private Fixture fx;
  private Nfs4Client client;

  @BeforeEach
  void start() throws IOException {
    Path passwd =
        Files.writeString(
            dir.resolve("passwd"),
            "root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n");
    Path group = Files.writeString(dir.resolve("group"), "root:x:0:\nstaff:x:50:alice\n");
    fx =
        Fixture.wire(
            List.of(new Export("/data", null, new InMemoryFileSystem(), Fixture.RW)),
            b -> b.idmapDomain("Example.ORG").idmapFiles(passwd, group));
    client = fx.root();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private static Compound data() {
    return Compound.v40().putrootfh().lookup("data");
  }

  private Attrs owners(String name) {
    return client.call(data().lookup(name).getattr(Fattr4.OWNER, Fattr4.OWNER_GROUP)).last().value();
  }

  @Test
  void namesGoBothWays() {
    Reply r = client.call(data().mkdir("a", Attrs.set().owner("alice@example.org").group("staff@EXAMPLE.org")));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    Attrs a = owners("a");
    assertEquals("alice@example.org", a.get(Fattr4.OWNER));
    assertEquals("staff@example.org", a.get(Fattr4.OWNER_GROUP));
  }

  @Test
  void numericStringsAreAcceptedAndNamedWhenKnown() {
    client.call(data().mkdir("n", Attrs.set().owner("1000").group("50")));
    Attrs a = owners("n");
    assertEquals("alice@example.org", a.get(Fattr4.OWNER));
    assertEquals("staff@example.org", a.get(Fattr4.OWNER_GROUP));
  }

  @Test
  void idsWithoutANameAreAnsweredAsNumbers() {
    client.call(data().mkdir("u", Attrs.set().owner("4321").group("77@example.org")));
    Attrs a = owners("u");
    assertEquals("4321", a.get(Fattr4.OWNER));
    assertEquals("77", a.get(Fattr4.OWNER_GROUP));
    Reply r = client.call(data().lookup("u").setattr(Stateid.ANONYMOUS, Attrs.set().owner("root@example.org")));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    assertEquals("root@example.org", owners("u").get(Fattr4.OWNER));
  }

  @Test
  void unknownNamesOtherDomainsAndBareNamesAreBadOwner() {
    for (String owner : new String[] {"bob@example.org", "alice@other.org", "alice"}) {
      Reply r = client.call(data().mkdir("x", Attrs.set().owner(owner)));
      assertEquals(Nfs4Status.BADOWNER, r.status(), owner);
    }
    Reply r = client.call(data().setattr(Stateid.ANONYMOUS, Attrs.set().group("wheel@example.org")));
    assertEquals(Nfs4Status.BADOWNER, r.status());
    // in a v4.1 session too
    Reply s = client.call(fx.v41().putrootfh().lookup("data").setattr(Stateid.ANONYMOUS,
        Attrs.set().owner("nobody@example.org")));
    assertEquals(Nfs4Status.BADOWNER, s.status());
  }
}
