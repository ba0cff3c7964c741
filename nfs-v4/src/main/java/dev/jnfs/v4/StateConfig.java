package dev.jnfs.v4;

import java.time.Duration;

/**
 * The tunable limits of NFSv4 state: the lease, the grace period after start-up and what a
 * 4.1 session may negotiate (RFC 8881 §18.36). Immutable; {@link #defaults()} gives values
 * that suit Linux, macOS and Windows clients.
 *
 * @param leaseTime how long a client's state survives without renewal (RFC 7530 §9.5)
 * @param gracePeriod how long after start-up only reclaims are accepted (RFC 7530 §9.6.2);
 *     zero for none. With a state directory it is skipped when no client held state before
 *     the start, and ends early once every such client (all of NFSv4.1) has sent
 *     RECLAIM_COMPLETE
 * @param maxSlots the most slots a session's fore channel gets (ca_maxrequests)
 * @param maxOperations the most operations a COMPOUND in a session may carry
 *     (ca_maxoperations)
 * @param maxRequestSize the largest request a session accepts, in bytes; normally the
 *     server's maximum RPC record size
 * @param maxResponseSize the largest reply a session sends, in bytes
 * @param maxCachedResponseSize the largest reply a slot caches for a retried request
 * @param maxDelegations the most delegations (RFC 8881 §10.4) held at once; 0 grants none.
 *     Only clients with a working callback path get them, and no more than the
 *     server allows ({@link dev.jnfs.protocol.ServerContext#maxDelegations()})
 */
public record StateConfig(
    Duration leaseTime,
    Duration gracePeriod,
    int maxSlots,
    int maxOperations,
    int maxRequestSize,
    int maxResponseSize,
    int maxCachedResponseSize,
    int maxDelegations) {

  /** The lease of RFC 7530's examples and Linux knfsd: 90 seconds. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(90);

  /**
   * @throws IllegalArgumentException when a value is out of range
   */
  public StateConfig {
    if (leaseTime.compareTo(Duration.ofSeconds(1)) < 0 || gracePeriod.isNegative()) {
      throw new IllegalArgumentException("lease must be at least 1 s and grace not negative");
    }
    if (maxSlots < 1 || maxOperations < 2 || maxRequestSize < 1024 || maxResponseSize < 1024
        || maxCachedResponseSize < 512 || maxDelegations < 0) {
      throw new IllegalArgumentException("session limits too small");
    }
  }

  /**
   * A 90 s lease, a grace period of one lease, 128 slots, 128 operations per COMPOUND,
   * at most 10,000 delegations,
   * 1 MiB + 4 KiB requests and replies and 64 KiB cached replies.
   *
   * @return the defaults
   */
  public static StateConfig defaults() {
    int record = (1 << 20) + 4096;
    return new StateConfig(DEFAULT_LEASE, DEFAULT_LEASE, 128, 128, record, record, 64 * 1024, 10_000);
  }

  /**
   * @param lease the new lease time
   * @return a copy with that lease
   */
  public StateConfig withLeaseTime(Duration lease) {
    return new StateConfig(lease, gracePeriod, maxSlots, maxOperations, maxRequestSize,
        maxResponseSize, maxCachedResponseSize, maxDelegations);
  }

  /**
   * @param grace the new grace period (zero for none)
   * @return a copy with that grace period
   */
  public StateConfig withGracePeriod(Duration grace) {
    return new StateConfig(leaseTime, grace, maxSlots, maxOperations, maxRequestSize,
        maxResponseSize, maxCachedResponseSize, maxDelegations);
  }

  /**
   * @param requestSize the largest request, in bytes
   * @param responseSize the largest response, in bytes
   * @return a copy with those session limits
   */
  public StateConfig withMaxSizes(int requestSize, int responseSize) {
    return new StateConfig(leaseTime, gracePeriod, maxSlots, maxOperations, requestSize,
        responseSize, Math.min(maxCachedResponseSize, responseSize), maxDelegations);
  }

  /**
   * @param operations the operations a session's COMPOUND may carry (at most 128, the
   *     COMPOUND processor's own limit)
   * @return a copy with that operation limit
   */
  public StateConfig withMaxOperations(int operations) {
    return new StateConfig(leaseTime, gracePeriod, maxSlots, operations, maxRequestSize,
        maxResponseSize, maxCachedResponseSize, maxDelegations);
  }

  /**
   * @param slots the most slots per session
   * @return a copy with that slot limit
   */
  public StateConfig withMaxSlots(int slots) {
    return new StateConfig(leaseTime, gracePeriod, slots, maxOperations, maxRequestSize,
        maxResponseSize, maxCachedResponseSize, maxDelegations);
  }

  /**
   * @param delegations the most delegations held at once; 0 for none
   * @return a copy with that delegation limit
   */
  public StateConfig withMaxDelegations(int delegations) {
    return new StateConfig(leaseTime, gracePeriod, maxSlots, maxOperations, maxRequestSize,
        maxResponseSize, maxCachedResponseSize, delegations);
  }
}
