package dev.jnfs.localfs;

/**
 * A directory entry's place in the id index: the parent's id and the name as compared by the
 * file system (folded to lower case on case-insensitive providers). The hash is computed once,
 * and equality compares it before the name, so a lookup that lands on another entry of the
 * same bucket rarely reads that entry's characters.
 */
final class NameKey {
  private final long parent;
  private final String name;
  private final int hash;

  /**
   * @param parent the directory's id
   * @param name the compared form of the name
   */
  NameKey(long parent, String name) {
    this.parent = parent;
    this.name = name;
    this.hash = 31 * Long.hashCode(parent) + name.hashCode();
  }

  long parent() {
    return parent;
  }

  String name() {
    return name;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NameKey k && k.hash == hash && k.parent == parent && k.name.equals(name);
  }

  @Override
  public String toString() {
    return parent + "/" + name;
  }
}
