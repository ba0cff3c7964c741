package dev.jnfs.rpc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GssSequenceWindowTest {

  @Test
  void eachNumberIsAcceptedOnce() {
    GssSequenceWindow w = new GssSequenceWindow();
    assertTrue(w.accept(10));
    assertFalse(w.accept(10));
    assertTrue(w.accept(11));
    assertFalse(w.accept(11));
  }

  @Test
  void numbersInsideTheWindowMayArriveOutOfOrder() {
    GssSequenceWindow w = new GssSequenceWindow();
    assertTrue(w.accept(100));
    assertTrue(w.accept(99));
    assertTrue(w.accept(100 - GssSequenceWindow.SIZE + 1));
    assertFalse(w.accept(99));
  }

  @Test
  void numbersBelowTheWindowAreRefused() {
    GssSequenceWindow w = new GssSequenceWindow();
    assertTrue(w.accept(5));
    assertTrue(w.accept(5 + GssSequenceWindow.SIZE));
    assertFalse(w.accept(5), "seen, and below the window now");
    assertFalse(w.accept(4));
    assertTrue(w.accept(6));
  }

  @Test
  void movingForwardForgetsTheSlotsItReuses() {
    GssSequenceWindow w = new GssSequenceWindow();
    assertTrue(w.accept(1));
    assertTrue(w.accept(2));
    // 2 + SIZE reuses the slot of 2; 1 + SIZE that of 1, which must read as unseen
    assertTrue(w.accept(2 + GssSequenceWindow.SIZE));
    assertTrue(w.accept(1 + GssSequenceWindow.SIZE));
    assertFalse(w.accept(1 + GssSequenceWindow.SIZE));
  }

  @Test
  void aJumpFarAheadClearsEverything() {
    GssSequenceWindow w = new GssSequenceWindow();
    for (int i = 0; i < 40; i++) {
      assertTrue(w.accept(i));
    }
    int far = 10 * GssSequenceWindow.SIZE;
    assertTrue(w.accept(far));
    assertTrue(w.accept(far - 1));
    assertTrue(w.accept(far - GssSequenceWindow.SIZE + 1));
    assertFalse(w.accept(far - GssSequenceWindow.SIZE));
  }

  @Test
  void unsignedNumbersAboveTwoToThe31AreOrdered() {
    GssSequenceWindow w = new GssSequenceWindow();
    assertTrue(w.accept(0x7FFF_FFF0));
    assertTrue(w.accept(0x7FFF_FFFF));
    assertFalse(w.accept(0x7FFF_FFFF - GssSequenceWindow.SIZE));
  }
}
