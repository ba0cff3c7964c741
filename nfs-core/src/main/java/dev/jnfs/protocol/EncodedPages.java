package dev.jnfs.protocol;

import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.FileHandle;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entries of recently listed directory pages as they were encoded, so that listing a page
 * again copies each entry the backend hands out again unchanged instead of encoding it anew:
 * NFSv3's entry3 and entryplus3, NFSv4's entry4.
 *
 * <p>An encoded entry is made of the {@link DirectoryEntry}, of its export (the fsid of its
 * attributes and its wire handle carry the export's id) and of what the listing asked for
 * (the {@link Key#form}), and a {@code DirectoryEntry} is immutable: its bytes are reused
 * exactly when the backend gives the very same instance at the same position of the same
 * page, of the same export and form. A backend that keeps its entries while nothing changed
 * (nfs-localfs) gains; one that makes new ones each time (nfs-memory) never gives an instance
 * again and pays only for comparing references, since a page's bytes are kept only once a
 * listing of it gave an instance again. An entry whose bytes depend on more (written without its attributes because
 * the file is write-delegated, a mount point listed with the attributes of the export mounted
 * there) is never reused: the next listing decides afresh.
 *
 * <p>At most {@link #MAX_BYTES}, counting each page's bytes and the entries it keeps reachable
 * ({@link #PER_ENTRY}), and {@link #MAX_PAGES} pages are kept by default, the least recently
 * listed dropped first. Thread-safe.
 */
public final class EncodedPages {
  /** The most bytes kept by default. */
  public static final long MAX_BYTES = 16L << 20;
  /** The most pages kept by default. */
  public static final int MAX_PAGES = 1024;
  /**
   * What a page costs beside its bytes, per entry: its reference and two ints, and the entry
   * it keeps reachable, with its name, handle and attributes (which a backend making new
   * entries each time would have let go).
   */
  public static final int PER_ENTRY = 320;

  /**
   * A page of one listing.
   *
   * @param export the export's id
   * @param directory the backend handle of the directory
   * @param cookie the backend cookie the page starts after (0: the start)
   * @param form everything else the entries' bytes depend on, compared with {@code equals}:
   *     NFSv3 READDIRPLUS or READDIR, the attributes an NFSv4 READDIR asked for
   */
  public record Key(int export, FileHandle directory, long cookie, Object form) {}

  /**
   * A page as last written: per position, the instance written there, and the bytes written
   * for it when they are kept.
   */
  public static final class Page {
    /** Per position, the instance written, or null where it may not be reused. */
    private final DirectoryEntry[] entries;
    /** The entries' bytes one after another, or null when only the instances are kept. */
    private final byte[] bytes;
    /** Per position, where its bytes end. */
    private final int[] ends;
    /** Per position, the size of its fileid, name and cookie (what dircount counts). */
    private final int[] dirParts;

    private Page(DirectoryEntry[] entries, byte[] bytes, int[] ends, int[] dirParts) {
      this.entries = entries;
      this.bytes = bytes;
      this.ends = ends;
      this.dirParts = dirParts;
    }

    /** @return whether {@code entry} is the very instance written at {@code position} */
    public boolean listed(int position, DirectoryEntry entry) {
      return position < entries.length && entries[position] == entry;
    }

    /** @return whether the bytes written at every listed position are kept */
    public boolean keepsBytes() {
      return bytes != null;
    }

    /** @return where the bytes of the entry at {@code position} begin in {@link #bytes} */
    public int start(int position) {
      return position == 0 ? 0 : ends[position - 1];
    }

    /** @return the size of the bytes of the entry at {@code position} */
    public int size(int position) {
      return ends[position] - start(position);
    }

    /** @return what the listing noted as the directory part of the entry at {@code position} */
    public int dirPart(int position) {
      return dirParts[position];
    }

    /** @return the entries' bytes one after another, or null when only instances are kept */
    public byte[] bytes() {
      return bytes;
    }

    private long cost() {
      return (bytes == null ? 0 : bytes.length) + (long) PER_ENTRY * entries.length;
    }
  }

  /**
   * Notes a page's entries as they are written, one after another, into a reply's buffer;
   * what it noted becomes the page's next {@link Page}, its bytes read from the buffer once
   * every entry noted is there.
   */
  public static final class Recorder {
    private final ByteBuf buf;
    private final int start;
    private final DirectoryEntry[] entries;
    private final int[] ends;
    private final int[] dirParts;
    private int count;
    private int listedAgain;
    private int encodedAnew;

    /**
     * @param buf the reply's buffer, whose writer index is where the first entry begins
     * @param capacity the most entries the page can have
     */
    public Recorder(ByteBuf buf, int capacity) {
      this.buf = buf;
      this.start = buf.writerIndex();
      this.entries = new DirectoryEntry[capacity];
      this.ends = new int[capacity];
      this.dirParts = new int[capacity];
    }

    /**
     * Notes the entry written after those noted before.
     *
     * @param entry the instance written, or null when its bytes may not be reused
     * @param size the size of its bytes
     * @param dirPart the size of its fileid, name and cookie (NFSv3's dircount), or 0
     * @param listedAgain whether the page's previous listing wrote the very same instance there
     * @param copied whether its bytes were copied from that listing rather than encoded
     */
    public void written(DirectoryEntry entry, int size, int dirPart, boolean listedAgain, boolean copied) {
      entries[count] = entry;
      ends[count] = (count == 0 ? 0 : ends[count - 1]) + size;
      dirParts[count] = dirPart;
      count++;
      this.listedAgain += listedAgain ? 1 : 0;
      encodedAnew += copied ? 0 : 1;
    }

    /** @return the page to keep after this listing, or null when the previous one stays */
    private Page page(Page before) {
      if (count == 0 || (before != null && before.bytes != null && encodedAnew == 0)) {
        return null;
      }
      DirectoryEntry[] listed = Arrays.copyOf(entries, count);
      int[] entryEnds = Arrays.copyOf(ends, count);
      int[] entryDirParts = Arrays.copyOf(dirParts, count);
      if (listedAgain == 0) {
        return new Page(listed, null, entryEnds, entryDirParts); // no instance given twice yet
      }
      byte[] bytes = new byte[ends[count - 1]];
      buf.getBytes(start, bytes);
      return new Page(listed, bytes, entryEnds, entryDirParts);
    }
  }

  private final long maxBytes;
  private final int maxPages;
  private long bytesKept;
  private final LinkedHashMap<Key, Page> pages = new LinkedHashMap<>(64, 0.75f, true);

  /** Keeps at most {@link #MAX_BYTES} and {@link #MAX_PAGES}. */
  public EncodedPages() {
    this(MAX_BYTES, MAX_PAGES);
  }

  /**
   * @param maxBytes the most bytes kept, each page counted with its bytes and {@value
   *     #PER_ENTRY} bytes per entry
   * @param maxPages the most pages kept
   */
  public EncodedPages(long maxBytes, int maxPages) {
    this.maxBytes = maxBytes;
    this.maxPages = maxPages;
  }

  /** @return the page as last written, or null */
  public synchronized Page find(Key key) {
    return pages.get(key);
  }

  /**
   * Keeps what a listing of a page wrote, in place of what the listing before it wrote.
   *
   * @param before what {@link #find} gave that listing
   */
  public void keep(Key key, Page before, Recorder recorder) {
    Page page = recorder.page(before);
    if (page == null) {
      return;
    }
    synchronized (this) {
      Page replaced = pages.put(key, page);
      bytesKept += page.cost() - (replaced == null ? 0 : replaced.cost());
      var eldest = pages.entrySet().iterator();
      while (bytesKept > maxBytes || pages.size() > maxPages) {
        Map.Entry<Key, Page> dropped = eldest.next();
        bytesKept -= dropped.getValue().cost();
        eldest.remove();
      }
    }
  }

  /** @return what the pages kept cost, their bytes and {@link #PER_ENTRY} per entry (for tests) */
  public synchronized long bytesKept() {
    return bytesKept;
  }
}
