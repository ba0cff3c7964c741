package dev.jnfs.localfs;

import dev.jnfs.spi.FileType;

/**
 * What the id index remembers of one object: where it is (parent id and stored name), how to
 * recognise it (file key and birth time, when the provider has them) and the attributes the
 * provider cannot store itself.
 *
 * @param id the object's id: its NFS fileid and the core of its handle; never reused
 * @param parent the id of the directory holding it (the root is its own parent)
 * @param name its name in that directory, in the case stored on disk ("" for the root)
 * @param type its type when first seen, so a different object at the same place is noticed
 * @param key the provider's file key as text (dev and inode on Unix), or null
 * @param birth the creation time in nanoseconds, or {@link #NO_TIME} when not usable
 * @param mode permission bits kept by the index (providers without POSIX), or -1
 * @param uid owner kept by the index (when the provider cannot store it), or -1
 * @param gid group kept by the index, or -1
 * @param metaCtime the last time an index-kept attribute changed (nanoseconds), or NO_TIME
 * @param verifier the EXCLUSIVE create verifier the file was made with
 * @param hasVerifier whether {@code verifier} is set
 */
record Node(
    long id,
    long parent,
    String name,
    FileType type,
    String key,
    long birth,
    int mode,
    int uid,
    int gid,
    long metaCtime,
    long verifier,
    boolean hasVerifier) {

  /** Marks an absent time. */
  static final long NO_TIME = Long.MIN_VALUE;

  static Node fresh(long id, long parent, String name, FileType type, String key, long birth) {
    return new Node(id, parent, name, type, key, birth, -1, -1, -1, NO_TIME, 0, false);
  }

  Node movedTo(long newParent, String newName) {
    return new Node(id, newParent, newName, type, key, birth, mode, uid, gid, metaCtime, verifier, hasVerifier);
  }

  Node withOwnership(int newMode, int newUid, int newGid, long ctime) {
    return new Node(id, parent, name, type, key, birth, newMode, newUid, newGid, ctime, verifier, hasVerifier);
  }

  Node withVerifier(long newVerifier) {
    return new Node(id, parent, name, type, key, birth, mode, uid, gid, metaCtime, newVerifier, true);
  }

  Node withIdentity(String newKey, long newBirth) {
    return new Node(id, parent, name, type, newKey, newBirth, mode, uid, gid, metaCtime, verifier, hasVerifier);
  }
}
