package dev.jnfs.nfs3;

import dev.jnfs.protocol.EncodedPages;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.xdr.Xdr;
import dev.jnfs.xdr.XdrEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of READDIR and READDIRPLUS (RFC 1813 §3.3.16, §3.3.17).
 *
 * <p>"." and ".." are listed by the server at cookies 1 and 2, as the Linux server does; the
 * backend's entries follow with the backend's cookies (never 0, 1 or 2). A client resuming at
 * cookie 1 or 2 gets the backend's listing from its start.
 *
 * <p>Limits are kept exactly: the whole result, from the status to the eof flag, never
 * exceeds {@code count} (READDIR) or {@code maxcount} (READDIRPLUS), further capped at the
 * server's maximum read size; for READDIRPLUS the fileid, name and cookie parts of the
 * entries (not attributes or handles) stay within {@code dircount}, except that one entry is
 * always allowed and a dircount of 0, which asks for no directory information at all, is
 * taken as no limit. When not even one entry fits, the answer is TOOSMALL. The backend's cookie
 * verifier is passed back and forth; the backend decides how strictly to check it.
 */
final class Nfs3DirectoryListing {
  /** Entries asked of the backend for one page at most. */
  static final int MAX_ENTRIES_PER_PAGE = 4096;
  /** value_follows + fileid + name length + cookie, without the name's bytes. */
  private static final int ENTRY_FIXED = 4 + 8 + 4 + 8;
  /** The padded name length assumed when estimating how many entries fit. */
  private static final int NAME_ESTIMATE = 8;
  /** status, post_op_attr with attributes, cookieverf, end of list, eof. */
  private static final int RESULT_FIXED = 4 + Nfs3Xdr.POST_OP_ATTR_SIZE + 8 + 4 + 4;

  private Nfs3DirectoryListing() {}

  /** "." or "..", listed by the server. */
  private record Item(String name, long fileid, long cookie, FileHandle handle, FileAttributes attributes) {}

  /** Writes entries while they fit in the result's limits. */
  private static final class EntryWriter {
    private final Nfs3Request r;
    private final XdrEncoder out;
    private final boolean plus;
    private final int budget;
    private final long dirBudget;
    private int used = RESULT_FIXED;
    private long dirUsed;
    int written;
    /** The size of the entry written last. */
    int lastSize;
    /** The size of the fileid, name and cookie of the entry written last. */
    int lastDirPart;
    /** Copied entries not yet in the buffer: bytes {@code copyFrom} to {@code copyTo} of {@code copySource}. */
    private byte[] copySource;
    private int copyFrom;
    private int copyTo;

    EntryWriter(Nfs3Request r, XdrEncoder out, boolean plus, int budget, long dirBudget) {
      this.r = r;
      this.out = out;
      this.plus = plus;
      this.budget = budget;
      this.dirBudget = dirBudget;
    }

    /**
     * Writes an entry3 or entryplus3 (with its value_follows) if it fits: staged whole, then
     * measured, so its name is encoded once.
     *
     * @return whether it was written
     */
    boolean add(String name, long fileid, long cookie, FileHandle handle, FileAttributes attributes) {
      flush();
      XdrEncoder.Block entry = out.block();
      entry.writeBoolean(true).writeHyper(fileid).writeString(name).writeHyper(cookie);
      int dirPart = entry.size();
      if (plus) {
        r.writePostOp(entry, attributes);
        r.writePostOpFh(entry, handle);
      }
      if (!fits(entry.size(), dirPart)) {
        entry.discard();
        return false;
      }
      entry.end();
      return true;
    }

    /**
     * Writes the bytes a page's previous listing wrote at a position, if they fit; the bytes
     * of consecutive positions reach the buffer in one copy, by {@link #flush} at the latest.
     *
     * @return whether they were written
     */
    boolean copy(EncodedPages.Page page, int position) {
      int size = page.size(position);
      if (!fits(size, page.dirPart(position))) {
        return false;
      }
      int start = page.start(position);
      if (copySource != page.bytes() || copyTo != start) {
        flush();
        copySource = page.bytes();
        copyFrom = start;
      }
      copyTo = start + size;
      return true;
    }

    /** Puts the copied entries not yet written into the buffer. */
    void flush() {
      if (copySource != null) {
        out.buffer().writeBytes(copySource, copyFrom, copyTo - copyFrom);
        copySource = null;
      }
    }

    /** Counts an entry of that size against the limits if it fits. */
    private boolean fits(int size, int dirPart) {
      if (used + size > budget || (written > 0 && dirUsed + dirPart > dirBudget)) {
        return false;
      }
      used += size;
      dirUsed += dirPart;
      lastSize = size;
      lastDirPart = dirPart;
      written++;
      return true;
    }
  }

  /**
   * Lists one page and writes the READDIR3res / READDIRPLUS3res success body.
   *
   * @param dircount the READDIRPLUS dircount, or {@code Long.MAX_VALUE} for READDIR
   * @param maxcount the READDIR count or READDIRPLUS maxcount
   */
  static void list(
      Nfs3Request r,
      XdrEncoder out,
      byte[] fh,
      long cookie,
      long verifier,
      long dircount,
      long maxcount,
      boolean plus)
      throws NfsException {
    FileHandle dir = r.resolve(Nfs3Request.FIRST, fh);
    FileAttributes dirAttributes = r.fs().getattr(r.caller(), dir);
    if (dirAttributes.type() != FileType.DIRECTORY) {
      throw new NfsException(NfsStatus.NOTDIR, "not a directory");
    }
    int budget = (int) Math.min(maxcount, r.context().maxReadSize());
    long dirBudget = dircount == 0 ? Long.MAX_VALUE : dircount;
    List<Item> dots = new ArrayList<>(2);
    if (cookie == 0) {
      dots.add(new Item(".", dirAttributes.fileid(), 1, dir, dirAttributes));
    }
    if (cookie <= 1) {
      dots.add(parent(r, dir, dirAttributes));
    }
    boolean fromStart = cookie <= 2;
    long backendCookie = fromStart ? 0 : cookie;
    int maxEntries = entriesToAsk(budget, dirBudget, dots.size(), plus ? fh.length : -1);
    DirectoryPage page =
        r.fs().readdir(r.caller(), dir, backendCookie, fromStart ? 0 : verifier, maxEntries, plus);

    out.writeInt(Nfs3Procedure.NFS3_OK);
    r.writePostOp(out, dirAttributes);
    out.writeHyper(page.verifier());
    EntryWriter entries = new EntryWriter(r, out, plus, budget, dirBudget);
    boolean complete = true;
    for (Item dot : dots) {
      complete = complete && entries.add(dot.name(), dot.fileid(), dot.cookie(), dot.handle(), dot.attributes());
    }
    if (complete) {
      complete = writeEntries(r, out, new EncodedPages.Key(r.exportId(), dir, backendCookie, plus), page,
          entries);
    }
    boolean eof = complete && page.eof();
    if (entries.written == 0 && !eof) {
      throw new NfsException(NfsStatus.TOOSMALL, "no entry fits in " + budget + " bytes");
    }
    out.writeBoolean(false);
    out.writeBoolean(eof);
  }

  /**
   * Writes the backend's entries while they fit, copying those the page's previous listing
   * wrote for the very same instances ({@link EncodedPages}).
   *
   * @return whether every entry was written
   */
  private static boolean writeEntries(Nfs3Request r, XdrEncoder out, EncodedPages.Key key, DirectoryPage page,
      EntryWriter entries) {
    EncodedPages.Page before = r.encodedPages().find(key);
    List<DirectoryEntry> listed = page.entries();
    EncodedPages.Recorder recorder = new EncodedPages.Recorder(out.buffer(), listed.size());
    boolean complete = true;
    for (int k = 0; k < listed.size(); k++) {
      DirectoryEntry e = listed.get(k);
      // a write-delegated file's attributes may be behind the holder's: left out (RFC 8881 §10.4.3)
      boolean delegated = e.attributes() != null && e.handle() != null && r.writeDelegated(e.handle());
      boolean listedAgain = before != null && before.listed(k, e);
      boolean copied = !delegated && listedAgain && before.keepsBytes();
      boolean written = copied ? entries.copy(before, k)
          : entries.add(e.name(), e.fileid(), e.cookie(), e.handle(), delegated ? null : e.attributes());
      if (!written) {
        complete = false;
        break;
      }
      recorder.written(delegated ? null : e, entries.lastSize, entries.lastDirPart, listedAgain, copied);
    }
    entries.flush();
    r.encodedPages().keep(key, before, recorder);
    return complete;
  }

  /**
   * How many entries to ask of the backend: as many as could fit if each had a name of
   * {@link #NAME_ESTIMATE} bytes and, for READDIRPLUS, attributes and a handle as long as the
   * directory's. Entries read beyond what fits are read for nothing (a backend over a disk
   * stats each); an estimate short of what fits only ends the page early, and the limits are
   * enforced while encoding, whatever the backend returns.
   *
   * @param budget the bytes of the whole result
   * @param dirBudget the bytes of the entries' directory parts
   * @param listed the entries already listed by the server ("." and "..")
   * @param handleLength the directory's wire handle length, or -1 for READDIR
   * @return at least 1, at most {@link #MAX_ENTRIES_PER_PAGE}
   */
  static int entriesToAsk(int budget, long dirBudget, int listed, int handleLength) {
    int dirPart = ENTRY_FIXED + NAME_ESTIMATE;
    int perEntry = dirPart + (handleLength < 0 ? 0 : Nfs3Xdr.POST_OP_ATTR_SIZE + 4 + 4 + Xdr.padded(handleLength));
    long fit = Math.min((budget - RESULT_FIXED) / perEntry, dirBudget / dirPart) - listed;
    return (int) Math.max(1, Math.min(MAX_ENTRIES_PER_PAGE, fit));
  }

  /** ".." at cookie 2: the parent, or the directory itself at the export root. */
  private static Item parent(Nfs3Request r, FileHandle dir, FileAttributes dirAttributes) {
    try {
      FileEntry parent = r.fs().lookup(r.caller(), dir, "..");
      return new Item("..", parent.attributes().fileid(), 2, parent.handle(), parent.attributes());
    } catch (NfsException e) {
      return new Item("..", dirAttributes.fileid(), 2, null, null);
    }
  }
}
