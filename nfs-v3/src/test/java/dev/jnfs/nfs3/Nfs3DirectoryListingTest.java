package dev.jnfs.nfs3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * How many entries a READDIR or READDIRPLUS page asks of the backend: those that fit with
 * 8-byte names and handles as long as the directory's, so that none is read for nothing.
 */
class Nfs3DirectoryListingTest {
  /** status, post_op_attr, cookieverf, end of list, eof. */
  private static final int RESULT_FIXED = 4 + 88 + 8 + 4 + 4;
  /** value_follows, fileid, an 8-byte name with its length, cookie. */
  private static final int DIR_PART = 4 + 8 + 4 + 8 + 8;
  /** An entryplus3 with attributes and a 13-byte (padded to 16) handle. */
  private static final int PLUS_ENTRY = DIR_PART + 4 + 84 + 4 + 4 + 16;

  @Test
  void maxcountBoundsWhatIsAskedExactly() {
    int asked = Nfs3DirectoryListing.entriesToAsk(8192, Long.MAX_VALUE, 0, 13);
    assertEquals(56, asked);
    assertTrue(RESULT_FIXED + asked * PLUS_ENTRY <= 8192);
    assertTrue(RESULT_FIXED + (asked + 1) * PLUS_ENTRY > 8192);
  }

  @Test
  void dircountBoundsWhatIsAskedLessTheDots() {
    // as Linux and the benchmarks ask: maxcount 128 KiB, dircount 16 KiB
    assertEquals(16384 / DIR_PART - 2, Nfs3DirectoryListing.entriesToAsk(131072, 16384, 2, 13));
    assertEquals(16384 / DIR_PART, Nfs3DirectoryListing.entriesToAsk(131072, 16384, 0, 13));
  }

  @Test
  void readdirCountsOnlyTheDirectoryParts() {
    assertEquals((8192 - RESULT_FIXED) / DIR_PART - 2, Nfs3DirectoryListing.entriesToAsk(8192, Long.MAX_VALUE, 2, -1));
  }

  @Test
  void oneEntryAtLeastAndAPageAtMost() {
    assertEquals(1, Nfs3DirectoryListing.entriesToAsk(100, Long.MAX_VALUE, 2, 13));
    assertEquals(1, Nfs3DirectoryListing.entriesToAsk(131072, 10, 0, 13));
    assertEquals(
        Nfs3DirectoryListing.MAX_ENTRIES_PER_PAGE,
        Nfs3DirectoryListing.entriesToAsk(1 << 20, Long.MAX_VALUE, 0, -1));
  }
}
