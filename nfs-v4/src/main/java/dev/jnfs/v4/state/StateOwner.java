package dev.jnfs.v4.state;

import dev.jnfs.spi.Owner;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Status;
import java.util.Arrays;

/**
 * An open-owner or lock-owner: an opaque name a client gives to a group of opens or locks
 * (RFC 7530 §9.1.5, RFC 8881 §8.2.1). In NFSv4.0 an owner also orders its requests by seqid
 * and remembers its last reply (§9.1.7); in 4.1 sessions do that and the seqid is ignored.
 * Guarded by the state lock ({@link StateEngine}).
 */
abstract sealed class StateOwner permits OpenOwner, LockOwner {
  final ClientRecord client;
  final byte[] name;
  /** The owner as the lock manager and the backend know it. */
  final Owner id;
  /** Whether a seqid has been accepted yet (the first request sets the sequence). */
  private boolean sequenced;
  private int lastSeqid;
  private ReplyRecord lastReply;

  StateOwner(ClientRecord client, byte[] name) {
    this.client = client;
    this.name = name.clone();
    this.id = new Owner(client.clientId(), name);
  }

  /** What a 4.0 seqid check decided. */
  enum SeqidCheck {
    /** The next request in order: run it. */
    NEW,
    /** A retransmission of the last request: answer {@link #lastReply()}. */
    REPLAY
  }

  /**
   * Checks a 4.0 request's seqid against the owner's (RFC 7530 §9.1.7): the next value runs,
   * the last one replays, anything else is BAD_SEQID. Seqids wrap from 0xFFFFFFFF to 0.
   *
   * @param seqid the request's seqid
   * @return NEW or REPLAY
   * @throws Nfs4Exception BAD_SEQID
   */
  SeqidCheck checkSeqid(int seqid) throws Nfs4Exception {
    if (!sequenced || seqid == lastSeqid + 1) {
      return SeqidCheck.NEW;
    }
    if (seqid == lastSeqid && lastReply != null && lastReply.seqid() == seqid) {
      return SeqidCheck.REPLAY;
    }
    throw new Nfs4Exception(Nfs4Status.BAD_SEQID,
        "seqid " + Integer.toUnsignedString(seqid) + ", expected " + Integer.toUnsignedString(lastSeqid + 1));
  }

  /**
   * @param seqid a 4.0 request's seqid
   * @return whether the owner has a sequence and {@code seqid} is its next value
   */
  boolean isNextSeqid(int seqid) {
    return sequenced && seqid == lastSeqid + 1;
  }

  /**
   * Records the result of a request that advanced the sequence.
   *
   * @param reply the request's seqid and result
   */
  void recordReply(ReplyRecord reply) {
    sequenced = true;
    lastSeqid = reply.seqid();
    lastReply = reply;
  }

  /** @return the last reply, for a replay */
  ReplyRecord lastReply() {
    return lastReply;
  }

  /**
   * @param status an operation's result status
   * @return whether the seqid advances with this result: it does except for errors that show
   *     the request was never matched to state (RFC 7530 §9.1.7)
   */
  static boolean advancesSeqid(int status) {
    return switch (status) {
      case Nfs4Status.STALE_CLIENTID, Nfs4Status.STALE_STATEID, Nfs4Status.BAD_STATEID,
          Nfs4Status.BAD_SEQID, Nfs4Status.BADXDR, Nfs4Status.RESOURCE,
          Nfs4Status.NOFILEHANDLE, Nfs4Status.MOVED -> false;
      default -> true;
    };
  }

  boolean hasName(byte[] other) {
    return Arrays.equals(name, other);
  }
}
