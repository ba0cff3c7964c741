package dev.jnfs.localfs;

import dev.jnfs.localfs.ObjectResolver.Resolved;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * REMOVE, RMDIR and RENAME: the disk changes first, then the index follows (a removed object
 * leaves it, a renamed one moves with its whole subtree), with channels closed before a file
 * is removed or replaced.
 */
final class RemoveAndRename extends ExportState {
  /** Removes files with one system call where there are native calls, else null. */

  RemoveAndRename(ExportState state) {
    super(state);
  }

  void remove(Caller caller, FileHandle directory, String name) throws NfsException {
    unlink(caller, directory, name, false);
  }

  void rmdir(Caller caller, FileHandle directory, String name) throws NfsException {
    unlink(caller, directory, name, true);
  }

  private void unlink(Caller caller, FileHandle directory, String name, boolean wantDirectory) throws NfsException {
    boolean done = namespaceLocks.forName(handles.decode(directory), traits.fold(name),
        () -> unlinkLocked(caller, directory, name, wantDirectory, false));
    if (!done) {
      namespaceLocks.exclusive(() -> unlinkLocked(caller, directory, name, wantDirectory, true));
    }
  }

  /**
   * Removes a name.
   *
   * @param exclusive whether no other namespace change runs; without it, an object that may
   *     have other names (whose index node other removes could change too) is left alone
   * @return false if nothing was done because the removal needs {@code exclusive}
   */
  private boolean unlinkLocked(Caller caller, FileHandle directory, String name, boolean wantDirectory,
      boolean exclusive) throws NfsException {
    if (".".equals(name) || "..".equals(name)) {
      throw new NfsException(NfsStatus.INVAL, "cannot remove '" + name + "'");
    }
    names.checkExisting(name);
    Resolved dir = directory(directory);
    PermissionCheck.require(caller, dir.attrs(), PermissionCheck.WRITE | PermissionCheck.EXECUTE);
    if (isHidden(dir, name)) {
      throw new NfsException(NfsStatus.NOENT, name);
    }
    Path path = resolver.child(dir.path(), name);
    Snapshot s = readExisting(path, name);
    if (wantDirectory && s.type() != FileType.DIRECTORY) {
      throw new NfsException(NfsStatus.NOTDIR, name);
    }
    if (!wantDirectory && s.type() == FileType.DIRECTORY) {
      throw new NfsException(NfsStatus.ISDIR, name);
    }
    if (!exclusive && s.type() != FileType.DIRECTORY && !(s.nlinkKnown() && s.nlink() <= 1)) {
      return false; // a hard-linked file: its node's other names may be changing too
    }
    Node node = resolver.bind(dir.id(), path, name, s, false);
    if (!exclusive && !node.aliases().isEmpty()) {
      return false;
    }
    PermissionCheck.requireMayUnlink(caller, dir.attrs(), s.withOverrides(node));
    channels.invalidate(node.id());
    try {
      files.delete(path, s.type() == FileType.DIRECTORY);
    } catch (IOException e) {
      throw Errors.map(e);
    }
    forgetName(node, dir.id(), name, s);
    bumpChange(dir.id());
    commitDirectory(dir.path());
    return true;
  }

  /**
   * Updates the index after a name of an object was removed or replaced: drops that name, and
   * the object itself when it was its last.
   */
  private void forgetName(Node node, long dir, String name, Snapshot before) {
    Node rest = node.withoutName(dir, name, traits::fold);
    if (rest == node) {
      if (before.nlinkKnown() && before.nlink() <= 1) {
        dropNode(node.id());
      }
      return;
    }
    if (rest != null) {
      index.update(rest, false);
    } else if (!(before.nlinkKnown() && before.nlink() > 1 && before.type() != FileType.DIRECTORY)) {
      dropNode(node.id());
    }
    // else: other links the index does not know of; a LOOKUP of one finds the object again
  }

  private void dropNode(long id) {
    channels.invalidate(id);
    index.remove(id, false);
  }

  void rename(Caller caller, FileHandle fromDirectory, String fromName, FileHandle toDirectory,
      String toName) throws NfsException {
    namespaceLocks.exclusive(() -> {
      renameLocked(caller, fromDirectory, fromName, toDirectory, toName);
      return null;
    });
  }

  private void renameLocked(Caller caller, FileHandle fromDirectory, String fromName, FileHandle toDirectory,
      String toName) throws NfsException {
    if (".".equals(fromName) || "..".equals(fromName)) {
      throw new NfsException(NfsStatus.INVAL, "cannot rename '" + fromName + "'");
    }
    names.checkExisting(fromName);
    names.checkNew(toName);
    Resolved from = directory(fromDirectory);
    Resolved to = directory(toDirectory);
    PermissionCheck.require(caller, from.attrs(), PermissionCheck.WRITE | PermissionCheck.EXECUTE);
    PermissionCheck.require(caller, to.attrs(), PermissionCheck.WRITE | PermissionCheck.EXECUTE);
    if (isHidden(from, fromName)) {
      throw new NfsException(NfsStatus.NOENT, fromName);
    }
    if (isHidden(to, toName)) {
      throw new NfsException(NfsStatus.ACCES, "reserved name");
    }
    Path fromPath = resolver.child(from.path(), fromName);
    Path toPath = resolver.child(to.path(), toName);
    Snapshot s = readExisting(fromPath, fromName);
    Node node = resolver.bind(from.id(), fromPath, fromName, s, false);
    PermissionCheck.requireMayUnlink(caller, from.attrs(), s.withOverrides(node));
    boolean sameDirectory = from.id() == to.id();
    if (sameDirectory && fromName.equals(toName)) {
      return;
    }
    if (s.type() == FileType.DIRECTORY) {
      requireNotInside(node.id(), to.node());
    }
    Snapshot t = readIfExists(toPath);
    Node replaced = null;
    if (t != null) {
      Node targetNode = resolver.bind(to.id(), toPath, toName, t, false);
      if (targetNode.id() == node.id()) {
        if (sameDirectory && traits.fold(fromName).equals(traits.fold(toName))) {
          renameCaseOnly(node, from.id(), fromPath, toPath, toName);
        }
        return; // the same object (or another hard link of it): nothing to do
      }
      if (s.type() == FileType.DIRECTORY && t.type() != FileType.DIRECTORY) {
        throw new NfsException(NfsStatus.NOTDIR, toName);
      }
      if (s.type() != FileType.DIRECTORY && t.type() == FileType.DIRECTORY) {
        throw new NfsException(NfsStatus.ISDIR, toName);
      }
      PermissionCheck.requireMayUnlink(caller, to.attrs(), t.withOverrides(targetNode));
      replaced = targetNode;
      channels.invalidate(targetNode.id());
    }
    resolver.lockForMove();
    try {
      move(fromPath, toPath);
      if (replaced != null) {
        forgetName(replaced, to.id(), toName, t);
      }
      index.update(renamed(node, from.id(), fromName, to.id(), toName), false);
    } finally {
      resolver.unlockMove();
    }
    bumpChange(from.id());
    bumpChange(to.id());
    bumpChange(node.id());
    // after the paths' lock, so that resolving other objects does not wait for the disk
    commitDirectory(to.path());
    if (!sameDirectory) {
      commitDirectory(from.path());
    }
  }

  /** @return the node with the name {@code from} replaced by {@code to} */
  private Node renamed(Node node, long fromDir, String fromName, long toDir, String toName) {
    int at = node.indexOfName(fromDir, fromName, traits::fold);
    if (at == -1) {
      return node.movedTo(toDir, toName);
    }
    return node.withAliases(list -> {
      if (at >= 0) {
        list.set(at, new Node.Location(toDir, toName));
      } else {
        list.add(new Node.Location(toDir, toName));
      }
      return list;
    });
  }

  private void requireNotInside(long movedId, Node target) throws NfsException {
    Node n = target;
    for (int depth = 0; depth < 4096; depth++) {
      if (n.id() == movedId) {
        throw new NfsException(NfsStatus.INVAL, "cannot move a directory into itself");
      }
      if (n.id() == PersistentIdIndex.ROOT_ID) {
        return;
      }
      n = index.get(n.parent());
      if (n == null) {
        throw new NfsException(NfsStatus.STALE, "target directory lost its parent");
      }
    }
  }

  /** Changes only the case of a name, through a temporary name (some providers ignore it). */
  private void renameCaseOnly(Node node, long dir, Path fromPath, Path toPath, String toName) throws NfsException {
    Path temporary = fromPath.resolveSibling(".jnfs-rename-" + node.id() + "-" + System.nanoTime());
    resolver.lockForMove();
    try {
      move(fromPath, temporary);
      move(temporary, toPath);
      index.update(renamed(node, dir, fromPath.getFileName().toString(), dir, toName), false);
    } finally {
      resolver.unlockMove();
    }
    bumpChange(dir);
    commitDirectory(fromPath.getParent());
  }

  private void move(Path from, Path to) throws NfsException {
    try {
      try {
        files.move(from, to);
      } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
        // no secure directory stream, or one that does not replace the target: by path
        movePath(from, to);
      }
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }

  private static void movePath(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
    }
  }
}
