package dev.jnfs.localfs;

import dev.jnfs.localfs.ObjectResolver.Resolved;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * LOOKUP, READLINK and READDIR: finding objects by name and listing directories, under stable
 * paths so a concurrent rename cannot mislead them.
 */
final class DirectoryReads extends ExportState {
  private final KeptAttributes keptAttributes;

  DirectoryReads(ExportState state, KeptAttributes keptAttributes) {
    super(state);
    this.keptAttributes = keptAttributes;
  }

  FileEntry lookup(Caller caller, FileHandle directory, String name) throws NfsException {
    return resolver.withStablePaths(() -> lookupNow(caller, directory, name));
  }

  private FileEntry lookupNow(Caller caller, FileHandle directory, String name) throws NfsException {
    Resolved dir = directoryToRead(directory, caller);
    PermissionCheck.require(caller, dir.attrs(), PermissionCheck.EXECUTE);
    FileAttributes dirAttributes = toNfs(dir.id(), dir.attrs());
    if (".".equals(name)) {
      return new FileEntry(handles.encode(dir.id()), dirAttributes, dirAttributes);
    }
    if ("..".equals(name)) {
      Resolved parent = resolver.resolve(dir.node().parent());
      return new FileEntry(handles.encode(parent.id()), toNfs(parent.id(), parent.attrs()), dirAttributes);
    }
    names.checkExisting(name);
    if (isHidden(dir, name)) {
      throw new NfsException(NfsStatus.NOENT, name);
    }
    Path path = resolver.child(dir.path(), name);
    Snapshot s = readEntry(dir, name, path, keptAttributes.since(caller.receivedAt()));
    Node node = resolver.bind(dir.id(), path, name, s, false);
    return new FileEntry(handles.encode(node.id()), toNfs(node.id(), s.withOverrides(node)), dirAttributes);
  }

  /** Reads a named entry's attributes, kept ones where they may be ({@link KeptAttributes#entry}). */
  private Snapshot readEntry(Resolved dir, String name, Path path, long since) throws NfsException {
    if (!resolver.keepsFor(dir.node())) {
      return readExisting(path, name);
    }
    try {
      return keptAttributes.entry(dir.id(), dir.attrs().key(), dir.path(), name, path, since);
    } catch (NoSuchFileException e) {
      throw new NfsException(NfsStatus.NOENT, name);
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  String readlink(Caller caller, FileHandle handle) throws NfsException {
    Resolved r = resolver.resolve(handle);
    if (r.attrs().type() != FileType.SYMLINK) {
      throw new NfsException(NfsStatus.INVAL, "not a symlink");
    }
    if (r.node().linkTarget() != null) {
      return r.node().linkTarget();
    }
    try {
      String target = files.readSymbolicLink(r.path());
      return traits.windowsNames() ? target.replace('\\', '/') : target;
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }


  DirectoryPage readdir(Caller caller, FileHandle directory, long cookie, long verifier, int maxEntries,
      boolean withAttributes) throws NfsException {
    return resolver.withStablePaths(() -> readdirNow(caller, directory, cookie, maxEntries, withAttributes));
  }

  private DirectoryPage readdirNow(Caller caller, FileHandle directory, long cookie, int maxEntries,
      boolean withAttributes) throws NfsException {
    Resolved dir = directoryToRead(directory, caller);
    PermissionCheck.require(caller, dir.attrs(), PermissionCheck.READ);
    long since = keptAttributes.since(caller.receivedAt());
    ListingCache.Version version =
        new ListingCache.Version(dir.attrs().mtime(), dir.attrs().ctime(), changeCounters.get(dir.id()));
    long now = System.nanoTime();
    ListingCache.Listing listing = listings.get(dir.id(), version, now);
    if (listing == null) {
      Instant clockBefore = Instant.now();
      try {
        listing = new ListingCache.Listing(
            DirectoryLister.list(files.openDirectory(dir.path()), name -> isHidden(dir, name)));
      } catch (IOException e) {
        throw Errors.map(e);
      }
      resolver.forgetKept(dir.node()); // reading it may have moved its access time
      listings.put(dir.id(), version, listing, now, clockBefore);
    }
    List<DirectoryLister.Listed> all = listing.entries();
    int start = DirectoryLister.resumeIndex(all, cookie);
    ListingCache.Page given = withAttributes ? listing.pages().get(start) : null;
    if (given != null && given.maxEntries() == maxEntries && isCurrent(dir, given, since)) {
      return given.page();
    }
    long nodesReplaced = index.nodesReplaced();
    long changes = changeCounters.total();
    // sized for the page (the protocols ask as many as fit): no copies while it fills
    List<DirectoryEntry> entries = new ArrayList<>((int) Math.min(Math.max(1, maxEntries), all.size() - start));
    int from = start;
    int to = start;
    KeptAttributes.AllKept givenAgain = null;
    // a page whose every entry was removed since the listing was read is skipped: an empty
    // page that is not the last would tell the client that no entry fits
    while (entries.isEmpty() && to < all.size()) {
      from = to;
      to = (int) Math.min(all.size(), (long) from + Math.max(1, maxEntries));
      givenAgain = readPage(dir, listing, from, to, withAttributes, entries, since);
    }
    DirectoryPage page = new DirectoryPage(Collections.unmodifiableList(entries), to >= all.size(), fsid | 1);
    if (givenAgain != null && from == start) {
      listing.pages().put(start, new ListingCache.Page(maxEntries, page, nodesReplaced, changes, givenAgain));
    }
    return page;
  }

  /**
   * Whether a page kept by its listing would be made again exactly as it is: no node replaced
   * in the index and no change counted since it was made (so each entry's node and change
   * count are as they were), and its entries' kept attributes the very same and still fresh.
   *
   * @param since what the answer must see the changes completed before ({@link KeptAttributes#since})
   */
  private boolean isCurrent(Resolved dir, ListingCache.Page page, long since) {
    return page.nodesReplaced() == index.nodesReplaced() && page.changes() == changeCounters.total()
        && keptAttributes.unchangedSince(dir.id(), dir.attrs().key(), page.kept(), since);
  }

  /**
   * Adds the entries {@code from} (inclusive) to {@code to} of a listing whose names still
   * exist, with their attributes read in one pass over the directory or, where still valid,
   * as read before ({@link KeptAttributes}), and gives names seen for the first time their
   * ids (whose records go to the index's log in one write for the page).
   *
   * @param since what the attributes must show the changes completed before ({@link
   *     KeptAttributes#since})
   * @return when every entry was the one made before ({@link ListingCache.Bound#entry}) and
   *     its attributes were all kept ones, what those were; else null
   */
  private KeptAttributes.AllKept readPage(Resolved dir, ListingCache.Listing listing, int from, int to,
      boolean withAttributes, List<DirectoryEntry> entries, long since) throws NfsException {
    List<DirectoryLister.Listed> page = listing.entries().subList(from, to);
    // READDIR without attributes needs only the fileid: a known name needs no stat
    Long[] known = new Long[page.size()];
    List<String> toRead = new ArrayList<>(page.size());
    for (int k = 0; k < page.size(); k++) {
      String name = page.get(k).name();
      known[k] = withAttributes ? null : index.idAt(dir.id(), name);
      if (known[k] == null) {
        toRead.add(name);
      }
    }
    List<Snapshot> read;
    KeptAttributes.AllKept allKept = null;
    try {
      if (toRead.isEmpty()) {
        read = List.of();
      } else if (withAttributes) {
        // with attributes every name of the page is read: toRead's slots start at from
        KeptAttributes.Read kept =
            keptAttributes.readAll(dir.id(), dir.attrs().key(), dir.path(), toRead, listing.kept(), from, since);
        read = kept.attributes();
        allKept = kept.allKept();
      } else {
        read = attributes.readAll(dir.path(), toRead);
      }
    } catch (IOException e) {
      throw Errors.map(e);
    }
    ListingCache.Bound[] bound = listing.bound();
    boolean givenAgain = index.batchingWrites(() -> {
      boolean allAgain = true;
      int next = 0;
      for (int k = 0; k < page.size(); k++) {
        DirectoryLister.Listed listed = page.get(k);
        if (known[k] != null) {
          entries.add(new DirectoryEntry(listed.name(), known[k], listed.cookie(), null, null));
          continue;
        }
        Snapshot s = read.get(next++);
        if (s == null) {
          allAgain = false;
          continue; // removed since the listing was read
        }
        ListingCache.Bound before = bound[from + k];
        DirectoryEntry entry = entry(dir, listed, s, bound, from + k, withAttributes);
        allAgain &= before != null && entry == before.entry();
        entries.add(entry);
      }
      return allAgain;
    });
    return givenAgain ? allKept : null;
  }

  /**
   * The entry of a listed name whose attributes {@code s} were just given: the one made before
   * when its node is still the index's and its other inputs (the very attributes instance, the
   * change count) are unchanged, else a new one, remembered in {@code bound[at]}.
   */
  private DirectoryEntry entry(Resolved dir, DirectoryLister.Listed listed, Snapshot s, ListingCache.Bound[] bound,
      int at, boolean withAttributes) throws NfsException {
    ListingCache.Bound before = bound[at];
    Node node = before == null ? null : before.node();
    boolean stillBound = node != null && index.holds(before.id(), node);
    if (stillBound && withAttributes && before.entry() != null && before.verified() == s
        && changeCounters.get(before.id()) == before.change()) {
      return before.entry();
    }
    Snapshot verified = s;
    if (!stillBound || (before.verified() != s && !resolver.isCurrent(node, s))) {
      // what ObjectResolver.bind would return, for one lookup by id, is no longer that node
      node = resolver.bind(dir.id(), dir.path().resolve(listed.name()), listed.name(), s, true);
      verified = resolver.isCurrent(node, s) ? s : null;
      if (node.parent() != dir.id() || !node.name().equals(listed.name())) {
        bound[at] = null; // found under another of its names: looked up by name each time
        return newEntry(listed, node, s, withAttributes, changeCounters.get(node.id()));
      }
    }
    long changes = withAttributes ? changeCounters.get(node.id()) : 0;
    DirectoryEntry entry = newEntry(listed, node, s, withAttributes, changes);
    bound[at] = new ListingCache.Bound(node.id(), node, verified, changes, withAttributes && verified != null ? entry : null);
    return entry;
  }

  private DirectoryEntry newEntry(DirectoryLister.Listed listed, Node node, Snapshot s, boolean withAttributes,
      long changes) {
    return withAttributes
        ? new DirectoryEntry(listed.name(), node.id(), listed.cookie(), handles.encode(node.id()),
            toNfs(node.id(), s.withOverrides(node), changes))
        : new DirectoryEntry(listed.name(), node.id(), listed.cookie(), null, null);
  }
}
