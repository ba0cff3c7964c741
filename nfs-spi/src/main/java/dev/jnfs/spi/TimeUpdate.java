package dev.jnfs.spi;

import java.time.Instant;

/**
 * How a SETATTR changes one timestamp: leave it, set it to the server's clock, or set it to
 * a time the client chose.
 */
public sealed interface TimeUpdate {
  /** Leave the timestamp as it is. */
  TimeUpdate UNCHANGED = new Unchanged();

  /** Set the timestamp to the server's current time. */
  TimeUpdate SERVER_TIME = new ServerTime();

  /**
   * @param time the client's time
   * @return an update to that time
   */
  static TimeUpdate to(Instant time) {
    return new ClientTime(time);
  }

  /** Leaves the timestamp alone. */
  record Unchanged() implements TimeUpdate {}

  /** Sets the timestamp to the server's clock. */
  record ServerTime() implements TimeUpdate {}

  /**
   * Sets the timestamp to the given time.
   *
   * @param time the time the client chose
   */
  record ClientTime(Instant time) implements TimeUpdate {}
}
