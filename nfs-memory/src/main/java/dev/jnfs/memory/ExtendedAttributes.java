package dev.jnfs.memory;

import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem.XattrMode;
import dev.jnfs.spi.NfsStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;

/**
 * The extended attributes of one object: names (without a namespace) to values, listed in name
 * order, each taking its name's and value's bytes of capacity. Values are copied in and out.
 * Not thread-safe: the owning inode's lock guards it.
 */
final class ExtendedAttributes {
  /** The largest value stored, as Linux's {@code XATTR_SIZE_MAX}; larger answers XATTR2BIG. */
  static final int MAX_VALUE_SIZE = 64 * 1024;

  private final TreeMap<String, byte[]> values = new TreeMap<>();

  /** @throws NfsException NOXATTR */
  byte[] get(String name) throws NfsException {
    byte[] value = values.get(name);
    if (value == null) {
      throw new NfsException(NfsStatus.NOXATTR, name);
    }
    return value.clone();
  }

  /**
   * Creates or replaces a value as {@code mode} says, taking capacity for what grows.
   *
   * @throws NfsException EXIST, NOXATTR, XATTR2BIG, NOSPC
   */
  void set(String name, byte[] value, XattrMode mode, SpaceAccount space) throws NfsException {
    if (value.length > MAX_VALUE_SIZE) {
      throw new NfsException(NfsStatus.XATTR2BIG, value.length + " bytes");
    }
    byte[] old = values.get(name);
    if (old != null && mode == XattrMode.CREATE) {
      throw new NfsException(NfsStatus.EXIST, name);
    }
    if (old == null && mode == XattrMode.REPLACE) {
      throw new NfsException(NfsStatus.NOXATTR, name);
    }
    long oldCost = old == null ? 0 : cost(name, old);
    long newCost = cost(name, value);
    space.reserveBytes(newCost - oldCost);
    space.releaseBytes(oldCost - newCost);
    values.put(name, value.clone());
  }

  /** @throws NfsException NOXATTR */
  void remove(String name, SpaceAccount space) throws NfsException {
    byte[] old = values.remove(name);
    if (old == null) {
      throw new NfsException(NfsStatus.NOXATTR, name);
    }
    space.releaseBytes(cost(name, old));
  }

  List<String> names() {
    return List.copyOf(values.keySet());
  }

  /** Gives back the capacity of every value: the object is gone. */
  void release(SpaceAccount space) {
    values.forEach((name, value) -> space.releaseBytes(cost(name, value)));
    values.clear();
  }

  private static long cost(String name, byte[] value) {
    return name.getBytes(StandardCharsets.UTF_8).length + value.length;
  }
}
