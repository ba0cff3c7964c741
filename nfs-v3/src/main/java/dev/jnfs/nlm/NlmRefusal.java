package dev.jnfs.nlm;

/** Refuses an NLM request with an NLM4 status before it reaches the lock manager. */
final class NlmRefusal extends Exception {
  /** The NLM4 status to answer. */
  final int status;

  NlmRefusal(int status, String why) {
    super(why, null, false, false);
    this.status = status;
  }
}
