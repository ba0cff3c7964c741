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
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * LOOKUP, READLINK and READDIR: finding objects by name and listing directories, under stable
 * paths so a concurrent rename cannot mislead them.
 */
final class DirectoryReads extends ExportState {
  DirectoryReads(ExportState state) {
    super(state);
  }

  FileEntry lookup(Caller caller, FileHandle directory, String name) throws NfsException {
    return resolver.withStablePaths(() -> lookupNow(caller, directory, name));
  }

  private FileEntry lookupNow(Caller caller, FileHandle directory, String name) throws NfsException {
    Resolved dir = directory(directory);
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
    Snapshot s = readExisting(path, name);
    Node node = resolver.bind(dir.id(), path, name, s, false);
    return new FileEntry(handles.encode(node.id()), toNfs(node.id(), s.withOverrides(node)), dirAttributes);
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
      String target = Files.readSymbolicLink(r.path()).toString();
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
    Resolved dir = directory(directory);
    PermissionCheck.require(caller, dir.attrs(), PermissionCheck.READ);
    AtomicLong changes = changeCounters.get(dir.id());
    ListingCache.Version version =
        new ListingCache.Version(dir.attrs().mtime(), dir.attrs().ctime(), changes == null ? 0 : changes.get());
    long now = System.nanoTime();
    List<DirectoryLister.Listed> all = listings.get(dir.id(), version, now);
    if (all == null) {
      try {
        all = DirectoryLister.list(files.openDirectory(dir.path()), name -> isHidden(dir, name));
      } catch (IOException e) {
        throw Errors.map(e);
      }
      listings.put(dir.id(), version, all, now);
    }
    int from = DirectoryLister.resumeIndex(all, cookie);
    List<DirectoryEntry> entries = new ArrayList<>(Math.min(Math.max(1, maxEntries), all.size() - from));
    int i = from;
    for (; i < all.size() && entries.size() < Math.max(1, maxEntries); i++) {
      DirectoryLister.Listed listed = all.get(i);
      if (!withAttributes) {
        // READDIR without attributes needs only the fileid: a known name needs no stat
        Long known = index.idAt(dir.id(), listed.name());
        if (known != null) {
          entries.add(new DirectoryEntry(listed.name(), known, listed.cookie(), null, null));
          continue;
        }
      }
      Path path = dir.path().resolve(listed.name());
      Snapshot s;
      try {
        s = attributes.read(path);
      } catch (NoSuchFileException e) {
        continue; // removed since the listing was read
      } catch (IOException e) {
        throw Errors.map(e);
      }
      Node node = resolver.bind(dir.id(), path, listed.name(), s, true);
      if (withAttributes) {
        entries.add(new DirectoryEntry(listed.name(), node.id(), listed.cookie(), handles.encode(node.id()),
            toNfs(node.id(), s.withOverrides(node))));
      } else {
        entries.add(new DirectoryEntry(listed.name(), node.id(), listed.cookie(), null, null));
      }
    }
    return new DirectoryPage(entries, i >= all.size(), fsid | 1);
  }
}
