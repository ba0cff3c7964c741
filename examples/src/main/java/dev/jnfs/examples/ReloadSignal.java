package dev.jnfs.examples;

import sun.misc.Signal;

/**
 * Runs a reload when the process receives SIGHUP, as daemons do. Uses {@code sun.misc.Signal}
 * (module jdk.unsupported, present in every JDK), whose handlers run on a thread of their own.
 */
final class ReloadSignal {
  private ReloadSignal() {}

  /**
   * @param reload what to run on each SIGHUP
   * @return false where the system has no SIGHUP (Windows)
   */
  static boolean install(Runnable reload) {
    try {
      Signal.handle(new Signal("HUP"), signal -> reload.run());
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
