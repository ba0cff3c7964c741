package dev.jnfs.v4.state;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock a test moves by hand, so lease expiry and grace need no waiting. */
final class MutableClock implements InstantSource {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");

  @Override
  public synchronized Instant instant() {
    return now;
  }

  synchronized void advance(Duration d) {
    now = now.plus(d);
  }
}
