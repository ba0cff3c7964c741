package dev.jnfs.v4.state;

/**
 * Where a client's callbacks go: a 4.1 session's back channel ({@link BackChannel}) or the
 * connection the server opens to a 4.0 client ({@link Callback40}).
 */
interface CallbackPath {

  /** @return whether callbacks can be sent now */
  boolean usable();

  /**
   * Sends one callback operation in a CB_COMPOUND and waits, a bounded time, for its result.
   * Never called on an event loop or under the state lock.
   *
   * @param opcode the operation
   * @param opArgs its XDR-encoded arguments
   * @return the operation's status and the rest of its result
   * @throws BackChannel.CallbackFailure the path is down or the client gave no usable answer
   */
  BackChannel.Result call(int opcode, byte[] opArgs) throws BackChannel.CallbackFailure;
}
