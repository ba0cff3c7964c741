package dev.jnfs.v4.testing;

import java.util.List;

/**
 * A decoded COMPOUND4res.
 *
 * @param status the COMPOUND's status (the last result's)
 * @param tag the echoed tag
 * @param results the results, in order
 */
public record Reply(int status, String tag, List<Result> results) {
  /**
   * @param index a result index
   * @return that result
   */
  public Result result(int index) {
    return results.get(index);
  }

  /** @return the last result */
  public Result last() {
    return results.get(results.size() - 1);
  }
}
