package dev.jnfs.nfs3;

import static dev.jnfs.nfs3.Nfs3Replies.name;
import static dev.jnfs.nfs3.Nfs3Replies.postOp;
import static dev.jnfs.nfs3.Nfs3Replies.postOpFh;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.lock.FileKey;
import dev.jnfs.nfs3.Nfs3Replies.Fattr;
import dev.jnfs.protocol.DelegationRecalls;
import dev.jnfs.protocol.EncodedPages;
import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ExportHandle;
import dev.jnfs.rpc.testing.ReusingEntries;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.xdr.XdrDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * READDIRPLUS and READDIR copy the bytes of entries the backend gives again as the very same
 * instances, and encode every other entry anew: what the client reads is always what encoding
 * the backend's entries now gives.
 */
class EncodedPagesTest {
  private static final int OK = 0;

  private TreeFileSystem tree;
  private Nfs3Harness harness;
  private Nfs3Program nfs;
  private byte[] root;
  private EncodedPages pages;

  /** Built over a backend that gives an entry again as the same instance while it is equal. */
  @BeforeEach
  void setUp() {
    tree = new TreeFileSystem();
    start(ReusingEntries.over(tree));
  }

  private void start(NfsFileSystem fs) {
    Export export = new Export("/data", null, fs, ExportOptions.DEFAULT.with("no_root_squash"));
    harness = new Nfs3Harness(export);
    nfs = new Nfs3Program(harness.context);
    pages = nfs.encodedPages();
    root = harness.exports.toWire(export, fs.root());
  }

  /** @return what is kept of the export root's first READDIRPLUS page */
  private EncodedPages.Page firstPage() throws NfsException {
    ExportHandle dir = harness.exports.fromWire(root);
    return pages.find(new EncodedPages.Key(dir.export().id(), dir.handle(), 0, true));
  }

  private byte[] create(String name) {
    XdrDecoder d = harness.call(nfs, 3, Nfs3Program.CREATE, e -> {
      e.writeOpaque(root);
      name(e, name);
      e.writeInt(0);
      Nfs3Replies.modeSattr(e, 0644);
    });
    assertEquals(OK, d.readInt(), "create " + name);
    return postOpFh(d);
  }

  private byte[] readdirplus(long cookie, int maxcount) {
    return reply(harness.call(nfs, 3, Nfs3Program.READDIRPLUS, e -> e.writeOpaque(root).writeHyper(cookie)
        .writeHyper(0).writeInt(maxcount).writeInt(maxcount)));
  }

  private byte[] readdir(long cookie, int count) {
    return reply(harness.call(nfs, 3, Nfs3Program.READDIR, e -> e.writeOpaque(root).writeHyper(cookie)
        .writeHyper(0).writeInt(count)));
  }

  private static byte[] reply(XdrDecoder d) {
    byte[] bytes = new byte[d.remaining()];
    d.buffer().readBytes(bytes);
    return bytes;
  }

  /** An entryplus3 as the client reads it. */
  private record Entry(String name, long cookie, Fattr attributes, byte[] handle) {}

  private static List<Entry> entries(byte[] reply) {
    XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(reply));
    assertEquals(OK, d.readInt());
    assertNotNull(postOp(d));
    d.readHyper();
    List<Entry> entries = new ArrayList<>();
    while (d.readBoolean()) {
      long fileid = d.readHyper();
      String name = d.readString(255);
      long cookie = d.readHyper();
      Fattr attributes = postOp(d);
      byte[] handle = postOpFh(d);
      if (attributes != null) {
        assertEquals(fileid, attributes.fileid(), name);
      }
      entries.add(new Entry(name, cookie, attributes, handle));
    }
    d.readBoolean();
    assertEquals(0, d.remaining());
    return entries;
  }

  private static Map<String, Entry> byName(byte[] reply) {
    Map<String, Entry> byName = new LinkedHashMap<>();
    entries(reply).forEach(e -> byName.put(e.name(), e));
    return byName;
  }

  @Test
  void aPageListedAgainGivesTheSameBytesKeptOnceAnInstanceCameAgain() throws NfsException {
    for (int i = 0; i < 40; i++) {
      create("file-" + i);
    }
    byte[] first = readdirplus(0, 4096);
    assertNull(firstPage().bytes(), "a page seen once keeps only its instances");
    byte[] second = readdirplus(0, 4096);
    assertNotNull(firstPage().bytes(), "a page whose instances came again keeps their bytes");
    byte[] third = readdirplus(0, 4096);
    assertArrayEquals(first, second);
    assertArrayEquals(first, third);
    List<Entry> listed = entries(third);
    assertEquals(".", listed.get(0).name());
    assertEquals("..", listed.get(1).name());
    assertEquals("file-0", listed.get(2).name());
    assertTrue(listed.size() < 42, "4096 bytes hold fewer than every entry");

    long next = listed.getLast().cookie();
    byte[] secondPage = readdirplus(next, 4096);
    assertArrayEquals(secondPage, readdirplus(next, 4096));
    assertArrayEquals(secondPage, readdirplus(next, 4096));
    assertEquals("file-" + (listed.size() - 2), entries(secondPage).getFirst().name());
  }

  @Test
  void anEntryChangedSinceIsEncodedAnew() {
    byte[] changing = null;
    for (int i = 0; i < 10; i++) {
      byte[] fh = create("file-" + i);
      changing = i == 4 ? fh : changing;
    }
    readdirplus(0, 65536);
    Map<String, Entry> before = byName(readdirplus(0, 65536));
    byte[] file = changing;
    XdrDecoder d = harness.call(nfs, 3, Nfs3Program.SETATTR, e -> {
      e.writeOpaque(file);
      Nfs3Replies.modeSattr(e, 0600);
      e.writeBoolean(false);
    });
    assertEquals(OK, d.readInt());

    Map<String, Entry> after = byName(readdirplus(0, 65536));
    assertEquals(0600, after.get("file-4").attributes().mode() & 07777);
    assertEquals(0644, before.get("file-4").attributes().mode() & 07777);
    for (String name : List.of("file-3", "file-5")) {
      assertEquals(before.get(name).attributes(), after.get(name).attributes(), name);
    }
    assertEquals(0600, byName(readdirplus(0, 65536)).get("file-4").attributes().mode() & 07777);
  }

  @Test
  void aNewNameShiftingThePageIsListedWhereItFalls() {
    for (int i = 0; i < 5; i++) {
      create("file-" + i);
    }
    readdirplus(0, 65536);
    readdirplus(0, 65536);
    XdrDecoder d = harness.call(nfs, 3, Nfs3Program.REMOVE, e -> {
      e.writeOpaque(root);
      name(e, "file-1");
    });
    assertEquals(OK, d.readInt());
    create("file-5");
    assertEquals(List.of(".", "..", "file-0", "file-2", "file-3", "file-4", "file-5"),
        List.copyOf(byName(readdirplus(0, 65536)).keySet()));
  }

  @Test
  void aWriteDelegatedEntryIsWrittenWithoutAttributesThoughItsBytesWereKept() throws NfsException {
    byte[] delegated = create("delegated");
    create("other");
    readdirplus(0, 65536);
    byte[] kept = readdirplus(0, 65536);
    assertNotNull(byName(kept).get("delegated").attributes());
    ExportHandle wire = harness.exports.fromWire(delegated);
    FileKey key = new FileKey(wire.export().id(), wire.handle());
    harness.context.delegationRecalls = new DelegationRecalls() {
      @Override
      public boolean recallBeforeChange(FileKey file) {
        return true;
      }

      @Override
      public boolean writeDelegated(FileKey file) {
        return file.equals(key);
      }
    };
    for (int i = 0; i < 2; i++) {
      Map<String, Entry> listed = byName(readdirplus(0, 65536));
      assertNull(listed.get("delegated").attributes(), "listing " + i);
      assertArrayEquals(delegated, listed.get("delegated").handle());
      assertNotNull(listed.get("other").attributes());
    }
    harness.context.delegationRecalls = DelegationRecalls.NONE;
    assertNotNull(byName(readdirplus(0, 65536)).get("delegated").attributes());
  }

  @Test
  void limitsHoldForCopiedEntriesAsForEncodedOnes() {
    for (int i = 0; i < 30; i++) {
      create("entry-" + i);
    }
    for (int maxcount : new int[] {65536, 900, 1500, 900}) {
      byte[] once = readdirplus(0, maxcount);
      byte[] again = readdirplus(0, maxcount);
      assertTrue(again.length <= maxcount, again.length + " > " + maxcount);
      assertArrayEquals(once, again, "maxcount " + maxcount);
    }
  }

  @Test
  void readdirAndReaddirplusOfOnePageAreKeptApart() {
    for (int i = 0; i < 8; i++) {
      create("file-" + i);
    }
    byte[] plus = readdirplus(0, 65536);
    byte[] plain = readdir(0, 65536);
    assertArrayEquals(plus, readdirplus(0, 65536));
    assertArrayEquals(plain, readdir(0, 65536));
    assertArrayEquals(plus, readdirplus(0, 65536));
    assertArrayEquals(plain, readdir(0, 65536));
    assertTrue(plain.length < plus.length);
  }

  @Test
  void aBackendMakingNewEntriesEachTimeKeepsNoBytes() throws NfsException {
    start(tree);
    for (int i = 0; i < 20; i++) {
      create("file-" + i);
    }
    byte[] first = readdirplus(0, 65536);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(first, readdirplus(0, 65536));
    }
    assertNull(firstPage().bytes());
  }

  @Test
  void theBytesKeptStayWithinTheBoundLeastRecentlyListedDroppedFirst() {
    int perEntry = EncodedPages.PER_ENTRY;
    EncodedPages bounded = new EncodedPages(1000 + 2 * perEntry, 3);
    ByteBuf buf = Unpooled.buffer();
    DirectoryEntry entry = new DirectoryEntry("a", 3, 3, FileHandle.ofId(3), null);
    List<EncodedPages.Key> keys = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      EncodedPages.Key key = new EncodedPages.Key(1, FileHandle.ofId(k), 0, true);
      keys.add(key);
      EncodedPages.Page seen = recordOne(bounded, key, null, buf, entry, 100);
      recordOne(bounded, key, seen, buf, entry, 100);
      assertTrue(bounded.find(key).listed(0, entry) && bounded.find(key).keepsBytes());
    }
    assertNull(bounded.find(keys.get(0)), "four pages where three are kept");
    assertEquals(3 * (100 + perEntry), bounded.bytesKept());

    EncodedPages.Key large = new EncodedPages.Key(1, FileHandle.ofId(9), 0, true);
    EncodedPages.Page seen = recordOne(bounded, large, null, buf, entry, 800);
    assertNull(bounded.find(keys.get(1)), "its instances alone make a fourth page");
    recordOne(bounded, large, seen, buf, entry, 800);
    assertNull(bounded.find(keys.get(2)), "its bytes go beyond the bound");
    assertNotNull(bounded.find(keys.get(3)));
    assertEquals(100 + perEntry + 800 + perEntry, bounded.bytesKept());
    assertEquals(800, bounded.find(large).size(0));
  }

  /** Writes one entry of {@code size} bytes as a listing of a page would, and keeps it. */
  private static EncodedPages.Page recordOne(EncodedPages pages, EncodedPages.Key key, EncodedPages.Page before,
      ByteBuf buf, DirectoryEntry entry, int size) {
    buf.clear();
    EncodedPages.Recorder recorder = new EncodedPages.Recorder(buf, 1);
    buf.writeZero(size);
    recorder.written(entry, size, 28, before != null && before.listed(0, entry), false);
    pages.keep(key, before, recorder);
    return pages.find(key);
  }
}
