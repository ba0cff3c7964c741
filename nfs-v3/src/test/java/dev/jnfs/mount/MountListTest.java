package dev.jnfs.mount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MountListTest {
  @Test
  void staysWithinCapacityAndForgetsByHost() {
    MountList list = new MountList(3);
    list.add("10.0.0.1", "/a");
    list.add("10.0.0.1", "/a");
    list.add("10.0.0.1", "/b");
    list.add("10.0.0.2", "/a");
    list.add("10.0.0.3", "/a");
    assertEquals(3, list.snapshot().size(), "a full list takes no more");
    list.removeAll("10.0.0.1");
    assertEquals(1, list.snapshot().size());
    list.add("10.0.0.3", "/a");
    list.remove("10.0.0.2", "/a");
    assertEquals(1, list.snapshot().size());
    assertTrue(list.snapshot().contains(new MountList.Mount("10.0.0.3", "/a")));
  }
}
