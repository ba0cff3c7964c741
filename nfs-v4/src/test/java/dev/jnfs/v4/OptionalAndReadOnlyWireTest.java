package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.rpc.testing.RecordingFileSystem;
import dev.jnfs.server.NfsServer;
import dev.jnfs.spi.Access;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.Stability;
import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.Reply;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.StateCompound.SetClientIdReply;
import dev.jnfs.v4.testing.TcpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Through a real server: optional operations of a backend without the capability are refused
 * (LINK and READLINK with NOTSUPP, CREATE of a symlink or special file with BADTYPE), and
 * every change to a read-only backend (exported {@code rw}) answers ROFS, an OPEN for writing
 * or creating included, in both cases
 * without the backend being called.
 */
class OptionalAndReadOnlyWireTest {
  static final byte[] CONTENT = "read me".getBytes(StandardCharsets.US_ASCII);
  static final int FIFO = 7;

  final RecordingFileSystem plain = new RecordingFileSystem(Set.of(), false);
  final RecordingFileSystem readOnly = new RecordingFileSystem(Set.of(), true);
  NfsServer server;
  TcpClient client;

  @BeforeEach
  void start() throws Exception {
    for (RecordingFileSystem r : new RecordingFileSystem[] {plain, readOnly}) {
      Caller root = Caller.of(0, 0);
      FileHandle f = r.delegate.create(root, r.delegate.root(), "f", CreateMode.GUARDED,
          SetAttributes.mode(0644), 0).handle();
      r.delegate.write(root, f, 0, ByteBuffer.wrap(CONTENT), Stability.FILE_SYNC);
      r.delegate.mkdir(root, r.delegate.root(), "d", SetAttributes.mode(0755));
    }
    server = NfsServer.builder().bind("127.0.0.1").port(0)
        .protocol(new Nfs4Protocol(StateConfig.defaults().withGracePeriod(Duration.ZERO)))
        .export("/plain", plain.backend, Fixture.RW)
        .export("/ro", readOnly.backend, Fixture.RW)
        .build();
    server.start();
    client = new TcpClient(server.port(), 0, 0);
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop();
  }

  Compound at(String export) {
    return Compound.v40().putrootfh().lookup(export);
  }

  @Test
  void optionalOperationsWithoutTheirCapabilityAreRefusedWithoutCallingTheBackend() {
    assertEquals(Nfs4Status.BADTYPE, client.call(at("plain").symlink("l", "f")).status());
    assertEquals(Nfs4Status.BADTYPE, client.call(at("plain").mknod(FIFO, "p", 0, 0)).status());
    assertEquals(Nfs4Status.NOTSUPP, client.call(at("plain").lookup("f").readlink()).status());
    Reply link = client.call(at("plain").lookup("f").savefh().putrootfh().lookup("plain").link("h"));
    assertEquals(Nfs4Status.NOTSUPP, link.status());
    assertEquals(Nfs4Status.OK, client.call(at("plain").mkdir("dir", Attrs.set())).status(),
        "directories need no capability");
    Set<String> optional = Set.of("symlink", "readlink", "link", "mknod");
    assertTrue(intersection(plain.called, optional).isEmpty(), "called: " + plain.called);
  }

  @Test
  void aReadOnlyBackendReadsAndAnswersRofsToEveryChangeWithoutBeingCalled() {
    Reply read = client.call(at("ro").lookup("f").read(Stateid.ANONYMOUS, 0, 100));
    assertEquals(Nfs4Status.OK, read.status());
    assertArrayEquals(CONTENT, ((Compound.ReadReply) read.last().value()).data());
    for (Compound object : new Compound[] {at("ro"), at("ro").lookup("f")}) {
      Reply access = client.call(object.access(Access.ALL));
      assertEquals(Nfs4Status.OK, access.status());
      int granted = ((int[]) access.last().value())[1];
      assertEquals(Access.READ, granted & Access.READ);
      assertEquals(0, granted & (Access.MODIFY | Access.EXTEND | Access.DELETE));
    }

    int rofs = Nfs4Status.ROFS;
    assertEquals(rofs, client.call(at("ro").lookup("f")
        .setattr(Stateid.ANONYMOUS, Attrs.set().mode(0600))).status());
    assertEquals(rofs, client.call(at("ro").lookup("f")
        .write(Stateid.ANONYMOUS, 0, 2, new byte[] {1})).status());
    assertEquals(rofs, client.call(at("ro").mkdir("new", Attrs.set())).status());
    assertEquals(rofs, client.call(at("ro").symlink("new", "f")).status());
    assertEquals(rofs, client.call(at("ro").mknod(FIFO, "new", 0, 0)).status());
    assertEquals(rofs, client.call(at("ro").lookup("f").savefh().putrootfh().lookup("ro")
        .link("new")).status());
    assertEquals(rofs, client.call(at("ro").remove("f")).status());
    assertEquals(rofs, client.call(at("ro").remove("d")).status());
    assertEquals(rofs, client.call(at("ro").savefh().putrootfh().lookup("ro")
        .rename("f", "g")).status());
    SetClientIdReply id = client.call(
        StateCompound.setclientid(Compound.v40(), "ro-test".getBytes(StandardCharsets.US_ASCII), 1))
        .last().value();
    assertEquals(Nfs4Status.OK, client.call(
        StateCompound.setclientidConfirm(Compound.v40(), id.clientId(), id.confirm())).status());
    assertEquals(rofs, client.call(StateCompound.openName(at("ro"), 1, StateCompound.ACCESS_WRITE,
        StateCompound.DENY_NONE, id.clientId(), new byte[] {1}, "f")).status());
    assertEquals(rofs, client.call(StateCompound.openCreate(at("ro"), 1, StateCompound.ACCESS_READ,
        StateCompound.DENY_NONE, id.clientId(), new byte[] {2}, "new", StateCompound.UNCHECKED4))
        .status());
    assertEquals(Nfs4Status.OK, client.call(StateCompound.openName(at("ro"), 1,
        StateCompound.ACCESS_READ, StateCompound.DENY_NONE, id.clientId(), new byte[] {3}, "f"))
        .status(), "opening for reading works");
    assertTrue(intersection(readOnly.called, RecordingFileSystem.MODIFYING).isEmpty(),
        "called: " + readOnly.called);
    assertTrue(readOnly.called.contains("read"));
    assertEquals(Nfs4Status.OK, client.call(at("ro").lookup("f")).status(), "f is still there");
    assertEquals(Nfs4Status.OK, client.call(at("ro").lookup("d")).status(), "d is still there");
  }

  private static Set<String> intersection(Set<String> a, Set<String> b) {
    Set<String> both = new HashSet<>(a);
    both.retainAll(b);
    return both;
  }
}
