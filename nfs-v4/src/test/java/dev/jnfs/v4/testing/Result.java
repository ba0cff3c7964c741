package dev.jnfs.v4.testing;

/**
 * One operation's result.
 *
 * @param opcode the result's opcode
 * @param status its nfsstat4
 * @param body the decoded resok body (null on error or for bodiless results)
 */
public record Result(int opcode, int status, Object body) {
  /**
   * @param <T> the expected type
   * @return the value, cast
   */
  @SuppressWarnings("unchecked")
  public <T> T value() {
    return (T) body;
  }
}
