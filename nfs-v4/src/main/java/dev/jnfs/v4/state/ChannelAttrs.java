package dev.jnfs.v4.state;

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

  /** The back channel the server grants: the server makes no callbacks, so one slot suffices. */
  ChannelAttrs negotiateBack() {
    return new ChannelAttrs(0, maxRequestSize, maxResponseSize, maxResponseSizeCached,
        maxOperations, Math.max(1, min(maxRequests, 1)), null);
  }
}
