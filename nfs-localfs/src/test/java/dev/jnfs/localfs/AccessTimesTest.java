package dev.jnfs.localfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.FileType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a read moves a file's access time: the mount's option and, under relatime, the times. */
class AccessTimesTest {
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  private static final List<String> MOUNTS = List.of(
      "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw",
      "30 27 254:1 / /srv rw,noatime - ext4 /dev/vdb rw",
      "31 30 254:2 / /srv/strict rw - ext4 /dev/vdc rw",
      "32 27 0:40 / /with\\040space rw,noatime - tmpfs tmpfs rw",
      "33 27 254:3 / /over rw - ext4 /dev/vdd rw",
      "34 27 254:4 / /over rw,noatime - ext4 /dev/vde rw");

  @Test
  void theMountHoldingTheRootDecides() {
    assertEquals(AccessTimes.Mode.RELATIVE, AccessTimes.modeOf("/home/data", MOUNTS));
    assertEquals(AccessTimes.Mode.NEVER, AccessTimes.modeOf("/srv", MOUNTS));
    assertEquals(AccessTimes.Mode.NEVER, AccessTimes.modeOf("/srv/export", MOUNTS));
    assertEquals(AccessTimes.Mode.ALWAYS, AccessTimes.modeOf("/srv/strict/export", MOUNTS), "the deepest mount");
    assertEquals(AccessTimes.Mode.NEVER, AccessTimes.modeOf("/srv/strictly", MOUNTS), "a prefix of a name is no mount above");
    assertEquals(AccessTimes.Mode.NEVER, AccessTimes.modeOf("/with space/x", MOUNTS), "escaped mount points");
    assertEquals(AccessTimes.Mode.NEVER, AccessTimes.modeOf("/over/x", MOUNTS), "the mount listed last is on top");
    assertEquals(AccessTimes.Mode.ALWAYS, AccessTimes.modeOf("/x", List.of("garbage", "")), "no mount found");
  }

  private static Snapshot file(Instant atime, Instant mtime, Instant ctime) {
    return new Snapshot(FileType.REGULAR, 0644, 1, 0, 0, 10, 4096, DeviceNumber.NONE, atime, mtime, ctime,
        null, 0, true);
  }

  @Test
  void underRelatimeOnlyAnAccessTimeNotAfterTheOtherTimesOrADayOldMoves() {
    AccessTimes relatime = new AccessTimes(AccessTimes.Mode.RELATIVE, () -> NOW);
    Instant hourAgo = NOW.minus(Duration.ofHours(1));
    Instant twoHoursAgo = NOW.minus(Duration.ofHours(2));
    assertTrue(relatime.readLeaves(file(hourAgo, twoHoursAgo, twoHoursAgo)));
    assertFalse(relatime.readLeaves(file(twoHoursAgo, hourAgo, twoHoursAgo)), "written since the last read");
    assertFalse(relatime.readLeaves(file(twoHoursAgo, twoHoursAgo, hourAgo)), "changed since the last read");
    assertFalse(relatime.readLeaves(file(hourAgo, hourAgo, hourAgo)), "the same time moves it");
    Instant dayAgo = NOW.minus(Duration.ofHours(24));
    assertFalse(relatime.readLeaves(file(dayAgo, dayAgo.minusSeconds(60), dayAgo.minusSeconds(60))), "a day old");

    Snapshot any = file(hourAgo, twoHoursAgo, twoHoursAgo);
    assertTrue(new AccessTimes(AccessTimes.Mode.NEVER, () -> NOW).readLeaves(file(twoHoursAgo, hourAgo, hourAgo)));
    assertFalse(new AccessTimes(AccessTimes.Mode.ALWAYS, () -> NOW).readLeaves(any));
  }
}
