package dev.jnfs.localfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.spi.FileType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeTableTest {
  private static Node node(long id, String name) {
    return Node.fresh(id, PersistentIdIndex.ROOT_ID, name, FileType.REGULAR, null, Node.NO_TIME);
  }

  @Test
  void putReplacesAndRemoveForgets() {
    NodeTable table = new NodeTable();
    Node a = node(7, "a");
    table.put(a);
    assertSame(a, table.get(7));
    Node renamed = a.movedTo(PersistentIdIndex.ROOT_ID, "b");
    table.put(renamed);
    assertSame(renamed, table.get(7));
    assertEquals(1, table.size());
    assertSame(renamed, table.remove(7));
    assertNull(table.get(7));
    assertNull(table.remove(7));
    assertEquals(0, table.size());
  }

  @Test
  void holdsOnlyTheVeryNodeOfItsId() {
    NodeTable table = new NodeTable();
    Node a = node(7, "a");
    assertFalse(table.holds(7, a));
    table.put(a);
    assertTrue(table.holds(7, a));
    assertFalse(table.holds(7, node(7, "a")), "an equal node is another node");
    Node renamed = a.movedTo(PersistentIdIndex.ROOT_ID, "b");
    table.put(renamed);
    assertFalse(table.holds(7, a));
    assertTrue(table.holds(7, renamed));
    table.remove(7);
    assertFalse(table.holds(7, renamed));
  }

  @Test
  void unknownIdsAreAbsentWhateverTheirValue() {
    NodeTable table = new NodeTable();
    table.put(node(1, ""));
    table.remove(1);
    assertNull(table.get(0)); // the id the removal marker carries
    assertNull(table.get(Long.MIN_VALUE));
    assertNull(table.get(-1));
  }

  @Test
  void agreesWithAMapThroughGrowthAndChurn() {
    NodeTable table = new NodeTable();
    Map<Long, Node> expected = new HashMap<>();
    Random random = new Random(17);
    long next = 2;
    for (int step = 0; step < 200_000; step++) {
      if (random.nextInt(3) > 0 || expected.isEmpty()) {
        Node n = node(next++, "n" + step);
        table.put(n);
        expected.put(n.id(), n);
      } else {
        long id = 2 + random.nextInt((int) (next - 2));
        Node removed = table.remove(id);
        assertSame(expected.remove(id), removed);
      }
    }
    assertEquals(expected.size(), table.size());
    for (long id = 0; id < next + 10; id++) {
      assertSame(expected.get(id), table.get(id));
    }
    assertEquals(new HashSet<>(expected.values()), new HashSet<>(table.values()));
  }
}
