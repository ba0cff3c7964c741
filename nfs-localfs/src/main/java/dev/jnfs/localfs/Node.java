package dev.jnfs.localfs;

import dev.jnfs.spi.FileType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What the id index remembers of one object: where it is (parent id and stored name, plus
 * further hard links made through NFS), how to recognise it (file key and birth time, when the
 * provider has them) and what the provider cannot store itself.
 *
 * @param id the object's id: its NFS fileid and the core of its handle; never reused
 * @param parent the id of the directory holding it (the root is its own parent)
 * @param name its name in that directory, in the case stored on disk ("" for the root)
 * @param type its type when first seen, so a different object at the same place is noticed
 * @param key the provider's file key (dev and inode on Unix), or null
 * @param birth the creation time in nanoseconds, or {@link #NO_TIME} when not usable
 * @param mode permission bits kept by the index (providers without POSIX), or -1
 * @param uid owner kept by the index (when the provider cannot store it), or -1
 * @param gid group kept by the index, or -1
 * @param metaCtime the last time an index-kept attribute changed (nanoseconds), or NO_TIME
 * @param verifier the EXCLUSIVE create verifier the file was made with
 * @param hasVerifier whether {@code verifier} is set
 * @param aliases the object's other names (hard links), never containing the main one
 * @param linkTarget a symlink's target exactly as the client gave it, when the provider
 *     stores it differently (normalised separators), else null
 */
record Node(
    long id,
    long parent,
    String name,
    FileType type,
    FileKey key,
    long birth,
    int mode,
    int uid,
    int gid,
    long metaCtime,
    long verifier,
    boolean hasVerifier,
    List<Location> aliases,
    String linkTarget) {

  /** Marks an absent time. */
  static final long NO_TIME = Long.MIN_VALUE;

  /**
   * One name of an object.
   *
   * @param parent the directory's id
   * @param name the stored name
   */
  record Location(long parent, String name) {}

  Node {
    aliases = List.copyOf(aliases);
  }

  static Node fresh(long id, long parent, String name, FileType type, FileKey key, long birth) {
    return new Node(id, parent, name, type, key, birth, -1, -1, -1, NO_TIME, 0, false, List.of(), null);
  }

  Node movedTo(long newParent, String newName) {
    return new Node(id, newParent, newName, type, key, birth, mode, uid, gid, metaCtime, verifier, hasVerifier,
        aliases, linkTarget);
  }

  Node withOwnership(int newMode, int newUid, int newGid, long ctime) {
    return new Node(id, parent, name, type, key, birth, newMode, newUid, newGid, ctime, verifier, hasVerifier,
        aliases, linkTarget);
  }

  Node withVerifier(long newVerifier) {
    return new Node(id, parent, name, type, key, birth, mode, uid, gid, metaCtime, newVerifier, true, aliases,
        linkTarget);
  }

  Node withIdentity(FileKey newKey, long newBirth) {
    return new Node(id, parent, name, type, newKey, newBirth, mode, uid, gid, metaCtime, verifier, hasVerifier,
        aliases, linkTarget);
  }

  Node withLinkTarget(String target) {
    return new Node(id, parent, name, type, key, birth, mode, uid, gid, metaCtime, verifier, hasVerifier, aliases,
        target);
  }

  Node withAliases(UnaryOperator<List<Location>> change) {
    return new Node(id, parent, name, type, key, birth, mode, uid, gid, metaCtime, verifier, hasVerifier,
        change.apply(new ArrayList<>(aliases)), linkTarget);
  }

  /** @return whether the main name or an alias is {@code (dir, folded name)} */
  boolean isNamed(long dir, String name, UnaryOperator<String> fold) {
    return indexOfName(dir, name, fold) >= -1;
  }

  /** @return -1 for the main name, the alias index for an alias, -2 if not a name of it */
  int indexOfName(long dir, String name, UnaryOperator<String> fold) {
    String folded = fold.apply(name);
    if (parent == dir && fold.apply(this.name).equals(folded)) {
      return -1;
    }
    for (int i = 0; i < aliases.size(); i++) {
      Location l = aliases.get(i);
      if (l.parent() == dir && fold.apply(l.name()).equals(folded)) {
        return i;
      }
    }
    return -2;
  }

  /**
   * @return the node without the name {@code (dir, name)}: an alias dropped, or the main name
   *     replaced by the first alias; null if that was its only known name
   */
  Node withoutName(long dir, String name, UnaryOperator<String> fold) {
    int at = indexOfName(dir, name, fold);
    if (at == -2) {
      return this;
    }
    if (at >= 0) {
      return withAliases(list -> {
        list.remove(at);
        return list;
      });
    }
    if (aliases.isEmpty()) {
      return null;
    }
    Location first = aliases.get(0);
    return movedTo(first.parent(), first.name()).withAliases(list -> list.subList(1, list.size()));
  }
}
