package dev.jnfs.v4.state;

import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * A session channel's attributes, channel_attrs4 (RFC 8881 §18.36): the sizes and counts a
 * client asks for in CREATE_SESSION and the server grants.
 *
 * @param headerPadSize ca_headerpadsize
 * @param maxRequestSize ca_maxrequestsize
 * @param maxResponseSize ca_maxresponsesize
 * @param maxResponseSizeCached ca_maxresponsesize_cached
 * @param maxOperations ca_maxoperations
 * @param maxRequests ca_maxrequests (the slot count)
 * @param rdmaIrd ca_rdma_ird, when present
 */
record ChannelAttrs(
    int headerPadSize,
    int maxRequestSize,
    int maxResponseSize,
    int maxResponseSizeCached,
    int maxOperations,
    int maxRequests,
    Integer rdmaIrd) {

  /**
   * The smallest request a session must carry: an RPC call header with AUTH_NONE (40 bytes),
   * the COMPOUND4args header (12) and a SEQUENCE (36).
   */
  static final int MIN_REQUEST_SIZE = 88;
  /**
   * The smallest reply a session must carry: an accepted RPC reply header with AUTH_NONE (24
   * bytes), the COMPOUND4res header (12) and a SEQUENCE result (44).
   */
  static final int MIN_RESPONSE_SIZE = 80;

  static ChannelAttrs decode(XdrDecoder in) {
    int pad = in.readInt();
    int req = in.readInt();
    int resp = in.readInt();
    int cached = in.readInt();
    int ops = in.readInt();
    int requests = in.readInt();
    int irdCount = in.readArrayLength(1, 4);
    Integer ird = irdCount == 1 ? in.readInt() : null;
    return new ChannelAttrs(pad, req, resp, cached, ops, requests, ird);
  }

  void encode(XdrEncoder out) {
    out.writeInt(headerPadSize).writeInt(maxRequestSize).writeInt(maxResponseSize)
        .writeInt(maxResponseSizeCached).writeInt(maxOperations).writeInt(maxRequests);
    if (rdmaIrd == null) {
      out.writeInt(0);
    } else {
      out.writeInt(1).writeInt(rdmaIrd);
    }
  }

  /**
   * Checks that a fore channel the client asks for can carry at least a COMPOUND of a lone
   * SEQUENCE and its reply (RFC 8881 §18.36.3: sizes below what the server needs answer
   * TOOSMALL).
   *
   * @throws Nfs4Exception TOOSMALL
   */
  void requireRoomForSequence() throws Nfs4Exception {
    if (Integer.compareUnsigned(maxRequestSize, MIN_REQUEST_SIZE) < 0
        || Integer.compareUnsigned(maxResponseSize, MIN_RESPONSE_SIZE) < 0) {
      throw new Nfs4Exception(Nfs4Status.TOOSMALL, "fore channel ca_maxrequestsize " + maxRequestSize
          + ", ca_maxresponsesize " + maxResponseSize);
    }
  }

  private static int min(int client, int server) {
    return Integer.compareUnsigned(client, server) < 0 ? client : server;
  }

  /**
   * The fore channel the server grants (RFC 8881 §18.36.3): sizes and slots the smaller of the
   * client's wish and the server's limit (a client rejects sizes above what it asked for), at
   * least one slot, no header padding, no RDMA. ca_maxoperations is always the server's limit:
   * the server may raise it, and clients that send longer COMPOUNDs than they negotiated
   * (Windows) would otherwise fail with TOO_MANY_OPS, while Linux rejects a value below its
   * request.
   */
  ChannelAttrs negotiateFore(StateConfig config) {
    return new ChannelAttrs(
        0,
        min(maxRequestSize, config.maxRequestSize()),
        min(maxResponseSize, config.maxResponseSize()),
        min(maxResponseSizeCached, config.maxCachedResponseSize()),
        config.maxOperations(),
        Math.max(1, min(maxRequests, config.maxSlots())),
        null);
  }

  /**
   * The back channel the server grants: the client's sizes, and as many slots as it offers up
   * to {@link BackChannel#MAX_SLOTS}.
   */
  ChannelAttrs negotiateBack() {
    return new ChannelAttrs(0, maxRequestSize, maxResponseSize, maxResponseSizeCached,
        maxOperations, Math.max(1, min(maxRequests, BackChannel.MAX_SLOTS)), null);
  }
}
