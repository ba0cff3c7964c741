package dev.jnfs.v4.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.v4.state.ClientRecordStore.StableClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client record log on its own: what one instance records the next one loads; a torn last
 * record is ignored, a bad checksum elsewhere makes the records unusable; compaction keeps the
 * live records only.
 */
class ClientRecordLogTest {
  @TempDir Path dir;

  private static StableClient client(int minor, String name) {
    return new StableClient(minor, name.getBytes(StandardCharsets.UTF_8));
  }

  private Path file() {
    return dir.resolve(ClientRecordLog.FILE);
  }

  private ClientRecordLog reopen() throws IOException {
    return new ClientRecordLog(dir, 1024, 4);
  }

  @Test
  void whatOneInstanceRecordsTheNextLoads() throws Exception {
    try (ClientRecordLog log = reopen()) {
      assertEquals(List.of(), log.load());
      log.add(client(0, "four-zero"));
      log.add(client(1, "four-one"));
      log.add(client(1, "gone"));
      log.remove(client(1, "gone"));
      log.add(client(1, "four-one")); // already added: nothing written
      assertEquals(4, log.recordCount());
    }
    try (ClientRecordLog log = reopen()) {
      assertEquals(Set.of(client(0, "four-zero"), client(1, "four-one")), new HashSet<>(log.load()));
      assertTrue(log.isDurable());
    }
  }

  @Test
  void theSameNameInFourZeroAndFourOneIsTwoClients() throws Exception {
    try (ClientRecordLog log = reopen()) {
      log.add(client(0, "host"));
      log.add(client(1, "host"));
      log.remove(client(0, "host"));
    }
    try (ClientRecordLog log = reopen()) {
      assertEquals(List.of(client(1, "host")), log.load());
    }
  }

  @Test
  void endOfGraceKeepsOnlyTheClientsAddedByThisInstance() throws Exception {
    try (ClientRecordLog log = reopen()) {
      log.add(client(1, "came-back"));
      log.add(client(1, "stayed-away"));
    }
    try (ClientRecordLog log = reopen()) {
      log.add(client(1, "came-back"));
      log.add(client(0, "new"));
      log.endGrace();
      assertEquals(2, log.recordCount(), "compacted");
      assertEquals(2, log.load().size(), "what this instance loaded does not change");
    }
    try (ClientRecordLog log = reopen()) {
      assertEquals(Set.of(client(1, "came-back"), client(0, "new")), new HashSet<>(log.load()));
    }
  }

  @Test
  void aCrashDuringGraceKeepsThePreviousRecordsAndTheNewOnes() throws Exception {
    try (ClientRecordLog log = reopen()) {
      log.add(client(1, "old"));
    }
    ClientRecordLog crashed = reopen();
    crashed.add(client(1, "new"));
    // no endGrace, no close: the next instance reads the file as it is
    try (ClientRecordLog log = reopen()) {
      assertEquals(Set.of(client(1, "old"), client(1, "new")), new HashSet<>(log.load()));
    }
    crashed.close();
  }

  @Test
  void aTornLastRecordIsIgnoredAndCutOff() throws Exception {
    try (ClientRecordLog log = reopen()) {
      log.add(client(1, "whole"));
      log.add(client(1, "torn"));
    }
    long size = Files.size(file());
    for (int cut = 1; cut < 8 + 2 + 4; cut++) {
      Path copy = Files.createTempDirectory(dir, "cut");
      Files.write(copy.resolve(ClientRecordLog.FILE), Arrays.copyOf(Files.readAllBytes(file()), (int) size - cut));
      try (ClientRecordLog log = new ClientRecordLog(copy, 1024, 4)) {
        assertEquals(List.of(client(1, "whole")), log.load(), "cut by " + cut);
        log.add(client(1, "after")); // appended after the last whole record
      }
      try (ClientRecordLog log = new ClientRecordLog(copy, 1024, 4)) {
        assertEquals(Set.of(client(1, "whole"), client(1, "after")), new HashSet<>(log.load()));
      }
    }
  }

  @Test
  void aLastRecordWithABadChecksumIsTornToo() throws Exception {
    try (ClientRecordLog log = reopen()) {
      log.add(client(1, "whole"));
      log.add(client(1, "garbled"));
    }
    byte[] bytes = Files.readAllBytes(file());
    bytes[bytes.length - 6] ^= 0x20; // a byte of the last name
    Files.write(file(), bytes);
    try (ClientRecordLog log = reopen()) {
      assertEquals(List.of(client(1, "whole")), log.load());
    }
  }

  @Test
  void zeroBytesAfterTheLastRecordAreIgnored() throws Exception {
    try (ClientRecordLog log = reopen()) {
      log.add(client(1, "whole"));
    }
    Files.write(file(), new byte[4096], StandardOpenOption.APPEND);
    try (ClientRecordLog log = reopen()) {
      assertEquals(List.of(client(1, "whole")), log.load());
    }
  }

  @Test
  void aBadChecksumBeforeTheEndIsDamageAndNoClientIsKnown() throws Exception {
    try (ClientRecordLog log = reopen()) {
      log.add(client(1, "first"));
      log.add(client(1, "second"));
    }
    byte[] bytes = Files.readAllBytes(file());
    bytes[8 + 4 + 2] ^= 0x01; // a byte of the first record's name
    Files.write(file(), bytes);
    try (ClientRecordLog log = reopen()) {
      assertThrows(IOException.class, log::load);
      log.add(client(1, "later"));
    }
    try (ClientRecordLog log = reopen()) {
      assertEquals(List.of(client(1, "later")), log.load(), "the log started afresh");
    }
  }

  @Test
  void aBadHeaderIsDamage() throws Exception {
    Files.write(file(), "not a client log".getBytes(StandardCharsets.US_ASCII));
    try (ClientRecordLog log = reopen()) {
      assertThrows(IOException.class, log::load);
    }
  }

  @Test
  void theLogCompactsWhenItHoldsManyTimesTheLiveRecords() throws Exception {
    try (ClientRecordLog log = new ClientRecordLog(dir, 16, 4)) {
      log.add(client(1, "stays"));
      for (int i = 0; i < 7; i++) {
        log.add(client(0, "churn-" + i));
        log.remove(client(0, "churn-" + i));
      }
      assertEquals(15, log.recordCount(), "not above 16 yet");
      log.add(client(0, "churn-7"));
      log.remove(client(0, "churn-7"));
      assertEquals(1, log.recordCount(), "17 records, live 1: compacted");
      assertFalse(Files.exists(dir.resolve(ClientRecordLog.FILE + ".new")));
      log.add(client(1, "next"));
      assertEquals(2, log.recordCount());
    }
    try (ClientRecordLog log = reopen()) {
      assertEquals(Set.of(client(1, "stays"), client(1, "next")), new HashSet<>(log.load()));
    }
  }

  @Test
  void theLogDoesNotCompactWhileMostRecordsAreLive() throws Exception {
    try (ClientRecordLog log = new ClientRecordLog(dir, 4, 4)) {
      for (int i = 0; i < 10; i++) {
        log.add(client(1, "c" + i));
      }
      assertEquals(10, log.recordCount());
    }
  }

  @Test
  void theNoneStoreKeepsNothing() throws Exception {
    ClientRecordStore none = ClientRecordStore.NONE;
    none.add(client(1, "x"));
    assertFalse(none.isDurable());
    assertEquals(List.of(), none.load());
  }
}
