package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.EncodedPages;
import dev.jnfs.protocol.Export;
import dev.jnfs.rpc.testing.ReusingEntries;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.DirList;
import dev.jnfs.v4.testing.Reply;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * READDIR copies the bytes of entries the backend gives again as the very same instances, for
 * the same attributes asked, and encodes every other entry anew: what the client reads is
 * always what encoding the backend's entries now gives.
 */
class EncodedEntriesTest {
  private static final Caller ROOT = Caller.of(0, 0);
  private static final int[] LS = {Fattr4.RDATTR_ERROR, Fattr4.TYPE, Fattr4.MODE, Fattr4.FILEID, Fattr4.OWNER};

  private InMemoryFileSystem inner;
  /** Whether looking up "broken" (listed without attributes) fails, as a disk error would. */
  private final AtomicBoolean brokenFails = new AtomicBoolean();
  /** Whether every entry is listed without its handle and attributes. */
  private final AtomicBoolean listedBare = new AtomicBoolean();
  private NfsFileSystem fs;
  private Fixture fx;

  @BeforeEach
  void setUp() throws NfsException {
    inner = new InMemoryFileSystem();
    for (String name : List.of("a", "b", "c", "d", "e")) {
      inner.create(ROOT, inner.root(), name, CreateMode.GUARDED, SetAttributes.mode(0644), 0);
    }
    fs = ReusingEntries.over(inner,
        e -> listedBare.get() || e.name().equals("broken") ? bare(e) : e,
        name -> name.equals("broken") && brokenFails.get() ? new NfsException(NfsStatus.IO, "disk error") : null);
    fx = fixture();
  }

  private Fixture fixture() {
    return new Fixture(List.of(new Export("/d", null, fs, Fixture.RW)));
  }

  /** Strips an entry of its handle and attributes, as a backend listing names alone does. */
  private static DirectoryEntry bare(DirectoryEntry e) {
    return new DirectoryEntry(e.name(), e.fileid(), e.cookie(), null, null);
  }

  private static DirList list(Fixture fx, int maxcount, int... attributes) {
    return list(fx, 0, maxcount, attributes);
  }

  private static DirList list(Fixture fx, long cookie, int maxcount, int... attributes) {
    Reply r = fx.root().call(Compound.v40().putrootfh().lookup("d").readdir(cookie, 0, 1000, maxcount, attributes));
    assertEquals(Nfs4Status.OK, r.status(), Fixture.describe(r));
    return r.last().value();
  }

  /** @return per name, the values of its attributes */
  private static Map<String, Map<Integer, Object>> values(DirList list) {
    Map<String, Map<Integer, Object>> values = new LinkedHashMap<>();
    for (DirList.Entry e : list.entries()) {
      values.put(e.name(), e.attrs().values());
    }
    return values;
  }

  private FileHandle handle(String name) throws NfsException {
    return inner.lookup(ROOT, inner.root(), name).handle();
  }

  @Test
  void anUnchangedListingIsAnsweredAlikeAndItsBytesAreKeptFromTheSecond() {
    EncodedPages pages = fx.program.encodedPages();
    DirList first = list(fx, 8192, LS);
    long refsOnly = pages.bytesKept();
    assertEquals(5L * EncodedPages.PER_ENTRY, refsOnly, "no instance given twice yet: no bytes");
    DirList second = list(fx, 8192, LS);
    assertTrue(pages.bytesKept() > refsOnly, "the bytes kept once an instance came again");
    DirList third = list(fx, 8192, LS);
    assertEquals(values(first), values(second));
    assertEquals(values(first), values(third));
    assertEquals(first.entries().stream().map(DirList.Entry::cookie).toList(),
        third.entries().stream().map(DirList.Entry::cookie).toList());
  }

  @Test
  void aChangedEntryIsEncodedAnewAndItsNeighboursStayAsTheyWere() throws NfsException {
    list(fx, 8192, LS);
    list(fx, 8192, LS);
    inner.setattr(ROOT, handle("b"), SetAttributes.mode(0600), null);
    Map<String, Map<Integer, Object>> after = values(list(fx, 8192, LS));
    assertEquals(0600, after.get("b").get(Fattr4.MODE));
    for (String other : List.of("a", "c", "d", "e")) {
      assertEquals(0644, after.get(other).get(Fattr4.MODE), other);
    }
    assertEquals(values(fixtureListing(8192, LS)), after, "what a first listing encodes");
  }

  @Test
  void otherAttributesAskedAreEncodedForThemselves() {
    list(fx, 8192, Fattr4.TYPE, Fattr4.MODE);
    list(fx, 8192, Fattr4.TYPE, Fattr4.MODE);
    for (DirList.Entry e : list(fx, 8192, Fattr4.TYPE, Fattr4.SIZE).entries()) {
      assertNull(e.attrs().get(Fattr4.MODE), e.name());
      assertEquals(0L, e.attrs().number(Fattr4.SIZE), e.name());
    }
  }

  @Test
  void anEntryWhoseAttributesCouldNotBeReadIsReadAgain() throws NfsException {
    inner.create(ROOT, inner.root(), "broken", CreateMode.GUARDED, SetAttributes.mode(0640), 0);
    brokenFails.set(true);
    for (int i = 0; i < 2; i++) {
      DirList.Entry broken = entry(list(fx, 8192, LS), "broken");
      assertEquals(Nfs4Status.IO, broken.attrs().number(Fattr4.RDATTR_ERROR));
    }
    brokenFails.set(false);
    DirList.Entry broken = entry(list(fx, 8192, LS), "broken");
    assertEquals(Nfs4Status.OK, broken.attrs().number(Fattr4.RDATTR_ERROR));
    assertEquals(0640, broken.attrs().get(Fattr4.MODE));
  }

  @Test
  void anEntryListedWithoutAttributesIsEncodedFromWhatItsLookupGivesNow() throws NfsException {
    listedBare.set(true);
    list(fx, 8192, LS);
    list(fx, 8192, LS);
    inner.setattr(ROOT, handle("b"), SetAttributes.mode(0600), null);
    assertEquals(0600, values(list(fx, 8192, LS)).get("b").get(Fattr4.MODE));
  }

  @Test
  void copiedEntriesKeepToMaxcountAsEncodedOnesDo() {
    list(fx, 8192, LS);
    list(fx, 8192, LS);
    for (int maxcount = 60; maxcount <= 700; maxcount += 4) {
      Reply warm = fx.root().call(Compound.v40().putrootfh().lookup("d").readdir(0, 0, 1000, maxcount, LS));
      Reply cold = fixture().root().call(Compound.v40().putrootfh().lookup("d").readdir(0, 0, 1000, maxcount, LS));
      assertEquals(cold.status(), warm.status(), "maxcount " + maxcount);
      if (cold.status() == Nfs4Status.OK) {
        DirList w = warm.last().value();
        DirList c = cold.last().value();
        assertEquals(values(c), values(w), "maxcount " + maxcount);
        assertEquals(c.eof(), w.eof(), "maxcount " + maxcount);
      }
    }
  }

  /** @return what a program that never listed the directory answers */
  private DirList fixtureListing(int maxcount, int... attributes) {
    return list(fixture(), maxcount, attributes);
  }

  private static DirList.Entry entry(DirList list, String name) {
    return list.entries().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
  }
}
