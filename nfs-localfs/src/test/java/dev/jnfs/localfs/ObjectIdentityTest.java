package dev.jnfs.localfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.FileType;
import java.io.ByteArrayInputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node recognises its object by file key whichever way either key was read (by the JDK, by
 * {@code statx}, or from the log after a restart), and recognises no other object.
 */
class ObjectIdentityTest {
  @Test
  void aKeyReadEitherWayOrKeptInTheLogRecognisesOnlyItsObject(@TempDir Path dir) throws Exception {
    NativeFiles nativeFiles = NativeFiles.of(FileSystems.getDefault()).orElse(null);
    assumeTrue(nativeFiles != null, "no native calls here");
    ProviderTraits traits = ProviderTraits.probe(dir, Files.createDirectory(dir.resolve(".state")), null);
    assumeTrue(traits.unixView() && traits.fileKeys());
    AttributeAccess jdkOnly = new AttributeAccess(traits, 0, 0, 0644, 0755, null, null);
    AttributeAccess withNative = new AttributeAccess(traits, 0, 0, 0644, 0755, nativeFiles, null);
    Path f = Files.createFile(dir.resolve("f"));
    Path g = Files.createFile(dir.resolve("g"));
    Node readF = node(2, "f", jdkOnly.read(f));
    Node readG = node(3, "g", jdkOnly.read(g));
    Node keptF = keptInLog(readF);
    Node keptG = keptInLog(readG);

    Snapshot statxF = withNative.read(f);
    for (Node n : new Node[] {readF, keptF}) {
      assertTrue(ObjectResolver.isSameObject(n, statxF));
      assertTrue(ObjectResolver.isSameObject(n, jdkOnly.read(f)));
      assertEquals(n.key().text(), statxF.key().text());
    }
    for (Node n : new Node[] {readG, keptG}) {
      assertFalse(ObjectResolver.isSameObject(n, statxF), "another inode");
      assertFalse(ObjectResolver.isSameObject(n, jdkOnly.read(f)), "another inode");
    }
    Node mintedByStatx = keptInLog(node(4, "f", statxF));
    assertTrue(ObjectResolver.isSameObject(mintedByStatx, jdkOnly.read(f)));
    assertTrue(ObjectResolver.isSameObject(mintedByStatx, statxF));
  }

  @Test
  void aKeyOnAnotherDeviceIsAnotherObject() {
    for (FileKey key : new FileKey[] {FileKey.ofText("(dev=803,ino=1234)"), FileKey.ofLogged("(dev=803,ino=1234)")}) {
      Node kept = Node.fresh(2, PersistentIdIndex.ROOT_ID, "f", FileType.REGULAR, key, Node.NO_TIME);
      assertTrue(ObjectResolver.isSameObject(kept, snapshot(FileKey.unix(0x803, 1234))));
      assertFalse(ObjectResolver.isSameObject(kept, snapshot(FileKey.unix(0x804, 1234))));
      assertFalse(ObjectResolver.isSameObject(kept, snapshot(FileKey.unix(0x803, 1235))));
      assertFalse(ObjectResolver.isSameObject(kept, snapshot(FileKey.ofText("(dev=803,ino=1235)"))));
      assertTrue(ObjectResolver.isSameObject(kept, snapshot(null)), "a provider without keys");
    }
  }

  @Test
  void aTextKeyRecognisesOnlyTheSameText() {
    Node kept = Node.fresh(2, PersistentIdIndex.ROOT_ID, "f", FileType.REGULAR, FileKey.ofText("jimfs-7"),
        Node.NO_TIME);
    assertTrue(ObjectResolver.isSameObject(kept, snapshot(FileKey.ofText("jimfs-7"))));
    assertFalse(ObjectResolver.isSameObject(kept, snapshot(FileKey.ofText("jimfs-8"))));
  }

  private static Node node(long id, String name, Snapshot s) {
    return Node.fresh(id, PersistentIdIndex.ROOT_ID, name, s.type(), s.key(), s.birth());
  }

  /** @return the node as the log gives it back after a restart */
  private static Node keptInLog(Node node) throws Exception {
    List<Node> read = new ArrayList<>();
    IdLogRecords.read(new ByteArrayInputStream(IdLogRecords.put(node)), new IdLogRecords.Visitor() {
      @Override
      public void put(Node n) {
        read.add(n);
      }

      @Override
      public void delete(long id) {}

      @Override
      public void reserve(long limit) {}
    });
    assertEquals(1, read.size());
    return read.get(0);
  }

  private static Snapshot snapshot(FileKey key) {
    Instant t = Instant.EPOCH;
    return new Snapshot(FileType.REGULAR, 0644, 1, 0, 0, 0, 0, DeviceNumber.NONE, t, t, t, key,
        Node.NO_TIME, true);
  }
}
