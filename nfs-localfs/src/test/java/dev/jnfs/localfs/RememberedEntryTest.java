package dev.jnfs.localfs;

import static dev.jnfs.localfs.Fixture.ROOT;
import static dev.jnfs.localfs.LocalFileSystemTest.file;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.Stability;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A kept listing gives the entry it made before (attributes and handle) when the entry's
 * attributes are the very ones kept ({@link KeptAttributes}) and the other inputs are
 * unchanged, and a new one when any input moved while those attributes stayed kept: the
 * object's node replaced in the index (attributes the index keeps, as SETATTR keeps them where
 * the provider cannot store them), the backend's change count (a WRITE that changed no byte
 * on disk and so raised no event), or the attributes themselves (changed by another program).
 */
class RememberedEntryTest {
  private Fixture fx;
  private LocalFileSystem fs;
  private FileHandle file;

  @BeforeEach
  void listedTwice() throws Exception {
    assumeTrue(NativeFiles.of(FileSystems.getDefault()).isPresent(), "no native calls here");
    fx = Fixture.of(Fixture.Env.REAL_DIRECTORY);
    assumeTrue(KeptAttributes.watchable(Files.getFileStore(fx.root).type()), "not a local disk file system");
    fs = fx.fs;
    file = file(fs, fs.root(), "f", "12345");
    file(fs, fs.root(), "g", "x");
    Thread.sleep(200); // past the timestamp granularity: the listing is kept
    listAll();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private Map<String, DirectoryEntry> listAll() throws Exception {
    Map<String, DirectoryEntry> all = new TreeMap<>();
    long cookie = 0;
    while (true) {
      DirectoryPage p = fs.readdir(ROOT, fs.root(), cookie, 0, 100, true);
      for (DirectoryEntry e : p.entries()) {
        assertNull(all.put(e.name(), e), "listed twice: " + e.name());
        cookie = e.cookie();
      }
      if (p.eof()) {
        return all;
      }
    }
  }

  @Test
  void anUnchangedEntryIsGivenAgain() throws Exception {
    DirectoryEntry before = listAll().get("f");
    long reads = fs.attributeReads();
    assertSame(before, listAll().get("f"));
    assertEquals(reads, fs.attributeReads());
  }

  @Test
  void aPageOfEntriesGivenAgainIsGivenAgainAsAWhole() throws Exception {
    listAll(); // every entry given again: the page is kept
    DirectoryPage kept = fs.readdir(ROOT, fs.root(), 0, 0, 100, true);
    assertSame(kept, fs.readdir(ROOT, fs.root(), 0, 0, 100, true));

    DirectoryPage smaller = fs.readdir(ROOT, fs.root(), 0, 0, 1, true);
    assertEquals(1, smaller.entries().size(), "made for the size asked");
    assertEquals(kept.entries().get(0), smaller.entries().get(0));
    assertNotSame(kept, fs.readdir(ROOT, fs.root(), 0, 0, 100, true), "kept for one size at a time");
  }

  @Test
  void aNodeReplacedInTheIndexMakesANewEntry() throws Exception {
    DirectoryEntry before = listAll().get("f");
    long reads = fs.attributeReads();
    ExportState state = fs.state();
    Node node = state.index.get(before.fileid());
    long now = Instant.now().plusSeconds(5).getEpochSecond() * 1_000_000_000L;
    state.index.update(node.withOwnership(0600, 4242, 4343, now), true);

    DirectoryEntry after = listAll().get("f");
    assertEquals(reads, fs.attributeReads(), "the same attributes kept");
    assertNotSame(before, after);
    assertEquals(0600, after.attributes().mode());
    assertEquals(4242, after.attributes().uid());
    assertEquals(4343, after.attributes().gid());
    assertEquals(fs.getattr(ROOT, file), after.attributes());
  }

  @Test
  void aChangeCountedByTheBackendMakesANewEntry() throws Exception {
    DirectoryEntry before = listAll().get("f");
    long reads = fs.attributeReads();
    fs.write(ROOT, file, 5, ByteBuffer.allocate(0), Stability.UNSTABLE); // counted, no byte written

    DirectoryEntry after = listAll().get("f");
    assertEquals(reads, fs.attributeReads(), "the same attributes kept");
    assertNotEquals(before.attributes().change(), after.attributes().change());
    assertEquals(fs.getattr(ROOT, file), after.attributes());
  }

  @Test
  void attributesChangedByAnotherProgramMakeANewEntry() throws Exception {
    DirectoryEntry before = listAll().get("f");
    Files.setLastModifiedTime(fx.root.resolve("f"), FileTime.fromMillis(0));

    DirectoryEntry after = listAll().get("f");
    assertNotSame(before, after);
    assertEquals(Instant.EPOCH, after.attributes().mtime());
    assertEquals(fs.getattr(ROOT, file), after.attributes());
  }

  @Test
  void otherEntriesAreStillGivenAgain() throws Exception {
    DirectoryEntry before = listAll().get("g");
    fs.write(ROOT, file, 5, ByteBuffer.allocate(0), Stability.UNSTABLE);
    assertSame(before, listAll().get("g"));
  }
}
