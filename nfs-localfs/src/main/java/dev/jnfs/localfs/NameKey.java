package dev.jnfs.localfs;

/**
 * A directory entry's place in the id index: the parent's id and the name as compared by the
 * file system (folded to lower case on case-insensitive providers).
 *
 * @param parent the directory's id
 * @param name the compared form of the name
 */
record NameKey(long parent, String name) {}
