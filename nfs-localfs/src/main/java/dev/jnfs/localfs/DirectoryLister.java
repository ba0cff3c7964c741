package dev.jnfs.localfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Lists a directory with cookies that survive changes. An entry's cookie is derived from its
 * name alone: 55 bits of a hash of the name, shifted left by 8, plus the entry's rank among
 * names of the same hash (almost always 0). Entries are returned in cookie order, so resuming
 * after a cookie lists exactly the names whose cookie is larger: every entry that existed
 * throughout is listed once, whatever was added or removed between pages, and no cookie is
 * ever unresumable. Cookies are never 0, 1 or 2.
 */
final class DirectoryLister {
  private static final Comparator<Listed> BY_COOKIE = (a, b) -> Long.compare(a.cookie(), b.cookie());
  private static final Comparator<Listed> BY_NAME = (a, b) -> a.name().compareTo(b.name());

  private DirectoryLister() {}

  /**
   * A listed name and its cookie.
   *
   * @param name the stored name
   * @param cookie its cookie
   */
  record Listed(String name, long cookie) {}

  /**
   * Lists a directory, sorted by cookie, without names {@code hidden} accepts.
   *
   * @param directory the directory's stream, closed by this call
   */
  static List<Listed> list(DirectoryStream<Path> directory, Predicate<String> hidden) throws IOException {
    List<Listed> out = new ArrayList<>();
    try (DirectoryStream<Path> stream = directory) {
      for (Path p : stream) {
        String name = p.getFileName().toString();
        if (!hidden.test(name)) {
          out.add(new Listed(name, hashCookie(name)));
        }
      }
    }
    Listed[] sorted = out.toArray(new Listed[0]);
    Arrays.sort(sorted, BY_COOKIE);
    // Names sharing a hash (rare) are ordered by name and ranked within the 8 low bits.
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i].cookie() == (sorted[i - 1].cookie() & ~0xFFL)) {
        int start = i - 1;
        int end = i + 1;
        while (end < sorted.length && sorted[end].cookie() == sorted[start].cookie()) {
          end++;
        }
        Arrays.sort(sorted, start, end, BY_NAME);
        for (int k = start; k < end; k++) {
          long rank = Math.min(0xFF, k - start);
          sorted[k] = new Listed(sorted[k].name(), sorted[k].cookie() | rank);
        }
        i = end - 1;
      }
    }
    return Arrays.asList(sorted);
  }

  /** @return the index of the first entry whose cookie is larger than {@code cookie} */
  static int resumeIndex(List<Listed> entries, long cookie) {
    int lo = 0;
    int hi = entries.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (entries.get(mid).cookie() <= cookie) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** @return the cookie of a name with rank 0: a 64-bit FNV-1a hash, mixed, cut to 55 bits */
  static long hashCookie(String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    long top = h >>> 9;
    return (top == 0 ? 1 : top) << 8;
  }
}
