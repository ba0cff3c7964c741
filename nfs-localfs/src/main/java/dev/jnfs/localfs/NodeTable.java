package dev.jnfs.localfs;

import dev.jnfs.spi.FileType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The id index's nodes by id: an open-addressing table (linear probing) keyed by each node's
 * own id, so a lookup boxes nothing and reads one slot for most ids instead of walking a hash
 * map's entry, its boxed key and its value.
 *
 * <p>Reads take no lock. Changes are made by one thread at a time (the caller holds the
 * index's lock, or owns the table alone while the index opens). A node never moves within a
 * table: replacing it writes its slot, removing it leaves a marker, and growing (or clearing
 * the markers) fills a new table and then publishes it. So a read sees, for an id present
 * throughout, the node before or after a concurrent change, never no node; nodes are immutable,
 * so a slot read shows a whole one. At least half of the slots stay empty, so probing ends.
 */
final class NodeTable {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Node[].class);
  private static final int MIN_CAPACITY = 1024;
  /** Marks the slot of a removed node: probing goes on past it. */
  private static final Node REMOVED = Node.fresh(0, 0, "", FileType.REGULAR, null, Node.NO_TIME);

  private volatile Node[] slots = new Node[MIN_CAPACITY];
  /** Live nodes (written by the changing thread only). */
  private int size;
  /** Slots not empty: live nodes plus removal markers. */
  private int occupied;
  /**
   * Nodes replaced or removed so far, counted after the slot is written: while it stays as it
   * was, {@link #holds} answers as it did for every node it held then.
   */
  private volatile long replaced;

  /** @return the node with that id, or null */
  Node get(long id) {
    Node[] t = slots;
    int mask = t.length - 1;
    for (int i = home(id, mask); ; i = (i + 1) & mask) {
      Node n = (Node) SLOT.getAcquire(t, i);
      if (n == null) {
        return null;
      }
      if (n != REMOVED && n.id() == id) {
        return n;
      }
    }
  }

  /**
   * @param id {@code node.id()}, given so that a caller holding it need not read the node
   * @return whether the table holds that very node (for its id)
   */
  boolean holds(long id, Node node) {
    Node[] t = slots;
    int mask = t.length - 1;
    for (int i = home(id, mask); ; i = (i + 1) & mask) {
      Node n = (Node) SLOT.getAcquire(t, i);
      if (n == node) {
        return true;
      }
      if (n == null || (n != REMOVED && n.id() == id)) {
        return false;
      }
    }
  }

  /** Adds or replaces the node of {@code node.id()}. */
  void put(Node node) {
    Node[] t = slots;
    int mask = t.length - 1;
    int free = -1;
    for (int i = home(node.id(), mask); ; i = (i + 1) & mask) {
      Node n = t[i];
      if (n == null) {
        if (free < 0) {
          free = i;
          occupied++;
        }
        SLOT.setRelease(t, free, node);
        size++;
        if (occupied * 2 > t.length) {
          rebuild();
        }
        return;
      }
      if (n == REMOVED) {
        if (free < 0) {
          free = i; // reused once the id is known to be absent further on
        }
      } else if (n.id() == node.id()) {
        SLOT.setRelease(t, i, node);
        replaced = replaced + 1; // one thread at a time changes the table
        return;
      }
    }
  }

  /** @return the removed node, or null when there was none with that id */
  Node remove(long id) {
    Node[] t = slots;
    int mask = t.length - 1;
    for (int i = home(id, mask); ; i = (i + 1) & mask) {
      Node n = t[i];
      if (n == null) {
        return null;
      }
      if (n != REMOVED && n.id() == id) {
        SLOT.setRelease(t, i, REMOVED);
        size--;
        replaced = replaced + 1;
        return n;
      }
    }
  }

  /**
   * @return how many nodes were replaced or removed so far: when it is what it was, every node
   *     the table held then it still holds
   */
  long replaced() {
    return replaced;
  }

  /** @return how many nodes there are */
  int size() {
    return size;
  }

  /** @return the nodes now present, in no particular order */
  List<Node> values() {
    Node[] t = slots;
    List<Node> out = new ArrayList<>(size);
    for (int i = 0; i < t.length; i++) {
      Node n = (Node) SLOT.getAcquire(t, i);
      if (n != null && n != REMOVED) {
        out.add(n);
      }
    }
    return out;
  }

  /** Moves the live nodes to a table at most a quarter full, without markers. */
  private void rebuild() {
    int capacity = MIN_CAPACITY;
    while (capacity < 4L * size && capacity < (1 << 30)) {
      capacity <<= 1;
    }
    Node[] old = slots;
    Node[] t = new Node[capacity];
    int mask = capacity - 1;
    for (Node n : old) {
      if (n != null && n != REMOVED) {
        int i = home(n.id(), mask);
        while (t[i] != null) {
          i = (i + 1) & mask;
        }
        t[i] = n;
      }
    }
    occupied = size;
    slots = t; // the volatile write publishes the filled table
  }

  /** Spreads ids (mostly consecutive) over the table. */
  private static int home(long id, int mask) {
    long h = id * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
