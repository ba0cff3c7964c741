package dev.jnfs.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FileHandleIdTest {
  @Test
  void anIdRoundTripsThroughEightBigEndianBytes() throws NfsException {
    for (long id : new long[] {0, 1, 255, 256, Long.MAX_VALUE, Long.MIN_VALUE, -1, 0x0102030405060708L}) {
      assertEquals(id, FileHandle.toId(FileHandle.ofId(id)));
    }
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8},
        FileHandle.ofId(0x0102030405060708L).toBytes());
    assertEquals(FileHandle.ofId(5), FileHandle.of(new byte[] {0, 0, 0, 0, 0, 0, 0, 5}));
  }

  @Test
  void aHandleOfAnotherLengthIsBadhandle() {
    for (int length : new int[] {1, 7, 9, FileHandle.MAX_LENGTH}) {
      NfsException e = assertThrows(NfsException.class,
          () -> FileHandle.toId(FileHandle.of(new byte[length])));
      assertEquals(NfsStatus.BADHANDLE, e.status());
    }
  }
}
