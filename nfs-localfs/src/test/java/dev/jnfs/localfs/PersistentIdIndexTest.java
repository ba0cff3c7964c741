package dev.jnfs.localfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.jnfs.spi.FileType;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The id index survives restarts, torn writes and crashes without ever reusing an id. */
class PersistentIdIndexTest {
  private FileSystem jimfs;
  private Path state;
  private final Node root = Node.fresh(PersistentIdIndex.ROOT_ID, PersistentIdIndex.ROOT_ID, "", FileType.DIRECTORY,
      FileKey.ofText("rootkey"), 1);

  @BeforeEach
  void setUp() throws IOException {
    jimfs = Jimfs.newFileSystem(Configuration.unix());
    state = jimfs.getPath("/state");
  }

  @AfterEach
  void tearDown() throws IOException {
    jimfs.close();
  }

  private PersistentIdIndex open() throws IOException {
    return PersistentIdIndex.open(state, UnaryOperator.identity(), root);
  }

  private static Node mint(PersistentIdIndex index, String name) {
    return index.mint(PersistentIdIndex.ROOT_ID, name, FileType.REGULAR, FileKey.ofText("key-" + name), 7, false);
  }

  @Test
  void nodesSurviveACleanRestart() throws IOException {
    PersistentIdIndex index = open();
    long instance = index.instance();
    Node a = mint(index, "a");
    Node b = mint(index, "b");
    Node dir = index.mint(PersistentIdIndex.ROOT_ID, "dir", FileType.DIRECTORY, FileKey.ofText("kd"), 1, false);
    index.update(b.movedTo(dir.id(), "renamed").withOwnership(0600, 5, 6, 99).withVerifier(42), false);
    index.remove(a.id(), false);
    index.close();
    PersistentIdIndex again = open();
    assertEquals(instance, again.instance());
    assertNull(again.get(a.id()));
    assertTrue(again.wasIssued(a.id()));
    Node b2 = again.get(b.id());
    assertEquals("renamed", b2.name());
    assertEquals(dir.id(), b2.parent());
    assertEquals(0600, b2.mode());
    assertEquals(42, b2.verifier());
    assertEquals(b.id(), again.idForKey(FileKey.ofText("key-b")));
    assertEquals(b.id(), again.idAt(dir.id(), "renamed"));
    again.close();
  }

  @Test
  void idsAreNeverReusedAfterACrash() throws IOException {
    PersistentIdIndex index = open();
    List<Long> issued = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      issued.add(mint(index, "f" + i).id());
    }
    // crash: the index is never closed, its unforced records may or may not have reached disk
    PersistentIdIndex after = open();
    long fresh = mint(after, "new").id();
    for (long id : issued) {
      assertTrue(fresh > id, "id " + fresh + " was issued before the crash");
      assertTrue(after.wasIssued(id));
    }
    after.close();
  }

  @Test
  void aBatchWritesItsRecordsTogetherBeforeItEnds() throws IOException {
    PersistentIdIndex index = open();
    Path log = state.resolve("ids.log");
    long before = Files.size(log);
    List<Node> minted = index.batchingWrites(() -> {
      List<Node> nodes = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        nodes.add(mint(index, "b" + i));
      }
      assertEquals(before, Files.size(log), "records are held back while the batch runs");
      return nodes;
    });
    assertTrue(Files.size(log) > before);
    // crash right after the batch: every record of it is in the log
    PersistentIdIndex after = open();
    for (Node n : minted) {
      assertEquals(n.id(), after.idAt(PersistentIdIndex.ROOT_ID, n.name()));
    }
    after.close();
  }

  @Test
  void aChangeOutsideABatchWritesTheHeldBackRecordsFirst() throws Exception {
    PersistentIdIndex index = open();
    Node[] held = new Node[1];
    index.batchingWrites(() -> {
      held[0] = mint(index, "held");
      Thread other = new Thread(() -> index.remove(held[0].id(), false));
      other.start();
      other.join();
      return null;
    });
    Node kept = index.batchingWrites(() -> mint(index, "kept"));
    // crash: the log has the batch's record, then the other thread's removal of it
    PersistentIdIndex after = open();
    assertNull(after.get(held[0].id()));
    assertNull(after.idAt(PersistentIdIndex.ROOT_ID, "held"));
    assertNotNull(after.get(kept.id()));
    after.close();
  }

  @Test
  void aTornTailIsDroppedAndTheRestKept() throws IOException {
    PersistentIdIndex index = open();
    Node a = mint(index, "a");
    index.sync();
    Node b = mint(index, "b");
    index.sync();
    Path log = state.resolve("ids.log");
    long size = Files.size(log);
    // chop the last record in half, as a crash during the append would
    try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
      ch.truncate(size - 10);
    }
    PersistentIdIndex after = open();
    assertNotNull(after.get(a.id()));
    assertNull(after.get(b.id()));
    assertTrue(after.wasIssued(b.id()), "b's id stays reserved");
    assertTrue(mint(after, "c").id() > b.id());
    after.close();
  }

  @Test
  void aCorruptRecordEndsTheLog() throws IOException {
    PersistentIdIndex index = open();
    Node a = mint(index, "a");
    Node b = mint(index, "b");
    index.sync();
    Path log = state.resolve("ids.log");
    long size = Files.size(log);
    try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x55}), size - 3); // flip bytes inside b's record
    }
    PersistentIdIndex after = open();
    assertNotNull(after.get(a.id()));
    assertNull(after.get(b.id()));
    after.close();
  }

  @Test
  void nodesUnderARemovedDirectoryAreForgottenOnOpen() throws IOException {
    PersistentIdIndex index = open();
    Node dir = index.mint(PersistentIdIndex.ROOT_ID, "dir", FileType.DIRECTORY, FileKey.ofText("kd"), 1, false);
    Node sub = index.mint(dir.id(), "sub", FileType.DIRECTORY, FileKey.ofText("ks"), 1, false);
    Node leaf = index.mint(sub.id(), "leaf", FileType.REGULAR, FileKey.ofText("kl"), 1, false);
    Node kept = mint(index, "kept");
    index.remove(dir.id(), false);
    index.close();
    PersistentIdIndex again = open();
    assertNull(again.get(sub.id()));
    assertNull(again.get(leaf.id()));
    assertNull(again.idForKey(FileKey.ofText("kl")));
    assertNotNull(again.get(kept.id()));
    assertTrue(again.wasIssued(leaf.id()));
    again.close();
  }

  @Test
  void garbageInsteadOfAnIndexIsRefused() throws IOException {
    Files.createDirectories(state);
    Files.write(state.resolve("ids.log"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17});
    assertThrows(IOException.class, this::open);
  }

  @Test
  void aLongLogIsCompacted() throws IOException {
    PersistentIdIndex index = open();
    Node a = mint(index, "a");
    for (int i = 0; i < 30_000; i++) {
      index.update(a.withOwnership(i & 0777, 1, 1, i), false);
    }
    long size = Files.size(state.resolve("ids.log"));
    assertTrue(size < 20_000 * 60, "log of " + size + " bytes was not compacted");
    index.close();
    assertEquals(29_999 & 0777, open().get(a.id()).mode());
  }

  @Test
  void aLogKeepingKeysAsTextLoadsThemAsTheKeysStatxReads() throws IOException {
    Files.createDirectories(state);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(log);
    out.writeLong(IdLogRecords.MAGIC);
    out.writeLong(77);
    byte[] unixRecord = putRecord(5, "f", "(dev=803,ino=1234)");
    byte[] textRecord = putRecord(6, "g", "jimfs-6");
    out.write(unixRecord);
    out.write(textRecord);
    Files.write(state.resolve("ids.log"), log.toByteArray());

    PersistentIdIndex index = open();
    assertEquals(77, index.instance());
    assertEquals(5L, index.idForKey(FileKey.unix(0x803, 1234)));
    assertEquals(FileKey.unix(0x803, 1234), index.get(5).key());
    assertNull(index.idForKey(FileKey.unix(0x803, 1235)));
    assertEquals(6L, index.idForKey(FileKey.ofText("jimfs-6")));
    // written back as it was read, and a key statx read is written as the same text
    assertArrayEquals(unixRecord, IdLogRecords.put(index.get(5)));
    assertArrayEquals(textRecord, IdLogRecords.put(index.get(6)));
    assertArrayEquals(unixRecord, IdLogRecords.put(
        Node.fresh(5, PersistentIdIndex.ROOT_ID, "f", FileType.REGULAR, FileKey.unix(0x803, 1234), 7)));
    index.close();
  }

  /** @return a framed PUT record of a regular file in the root, written field by field as the log keeps it */
  private static byte[] putRecord(long id, String name, String keyText) throws IOException {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    DataOutputStream p = new DataOutputStream(payload);
    p.writeByte(IdLogRecords.PUT);
    p.writeLong(id);
    p.writeLong(PersistentIdIndex.ROOT_ID);
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    p.writeInt(nameBytes.length);
    p.write(nameBytes);
    p.writeByte(FileType.REGULAR.ordinal());
    byte[] keyBytes = keyText.getBytes(StandardCharsets.UTF_8);
    p.writeInt(keyBytes.length);
    p.write(keyBytes);
    p.writeLong(7); // birth
    p.writeInt(-1); // mode
    p.writeInt(-1); // uid
    p.writeInt(-1); // gid
    p.writeLong(Node.NO_TIME); // metaCtime
    p.writeLong(0); // verifier
    p.writeBoolean(false);
    p.writeInt(0); // aliases
    p.writeInt(-1); // no link target
    byte[] bytes = payload.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    ByteArrayOutputStream framed = new ByteArrayOutputStream();
    DataOutputStream f = new DataOutputStream(framed);
    f.writeInt(bytes.length);
    f.writeInt((int) crc.getValue());
    f.write(bytes);
    return framed.toByteArray();
  }
}
