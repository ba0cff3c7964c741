package dev.jnfs.rpc;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.ietf.jgss.GSSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RPCSEC_GSS part of one call whose credential and header checksum passed: a context
 * creation step, a destroy request, or a data request with its protection. The expensive
 * work (GSS_Accept_sec_context, unwrapping arguments, protecting results) happens here, on
 * the thread that runs the call, not on the network thread.
 */
final class GssCall {
  private static final Logger log = LoggerFactory.getLogger(GssCall.class);

  /** gss_major GSS_S_COMPLETE. */
  static final int GSS_S_COMPLETE = 0;
  /** gss_major GSS_S_CONTINUE_NEEDED. */
  static final int GSS_S_CONTINUE_NEEDED = 1;
  /** gss_major GSS_S_NO_CONTEXT (routine error 8, RFC 2744 §3.9.1). */
  static final int GSS_S_NO_CONTEXT = 8 << 16;
  /** gss_major GSS_S_FAILURE. */
  static final int GSS_S_FAILURE = 13 << 16;

  /** The largest context creation token accepted. */
  static final int MAX_TOKEN = 64 * 1024;

  private final RpcSecGss gss;
  private final RpcGssContext context;
  private final GssCredentialBody credential;

  GssCall(RpcSecGss gss, RpcGssContext context, GssCredentialBody credential) {
    this.gss = gss;
    this.context = context;
    this.credential = credential;
  }

  /** @return whether this is INIT or CONTINUE_INIT */
  boolean isCreation() {
    return context == null;
  }

  /** @return whether this is DESTROY */
  boolean isDestroy() {
    return credential.procedure() == GssCredentialBody.DESTROY;
  }

  /** @return whether the call must leave the network thread (crypto on its body) */
  boolean needsWorker() {
    return context == null || credential.service() != GssService.NONE;
  }

  /** @return the credential a data request carries */
  Credential.Gss credential() {
    return context.credential(credential.service());
  }

  /** @return the handle, to tell the calls of different contexts apart */
  byte[] handle() {
    return credential.handle();
  }

  /**
   * Runs a context creation step (RFC 2203 §5.2.2, §5.2.3.1): the argument is the
   * initiator's token; the reply is {@code rpc_gss_init_res}, with the checksum of the
   * seq_window as verifier once the context is complete.
   */
  ByteBuf establish(int xid, XdrDecoder args, boolean framed, ByteBufAllocator alloc) {
    ByteBuf reply = RpcMessages.begin(alloc, framed);
    byte[] token;
    try {
      token = args.readOpaque(MAX_TOKEN);
    } catch (XdrException e) {
      log.debug("xid {}: bad rpc_gss_init_arg: {}", xid, e.getMessage());
      RpcMessages.writeAccepted(reply, xid, RpcException.GARBAGE_ARGS);
      return RpcMessages.finish(reply, framed);
    }
    RpcGssContext c = null;
    byte[] handle = new byte[0];
    byte[] out = null;
    int major;
    int minor = 0;
    byte[] verifier = null;
    try {
      c = credential.procedure() == GssCredentialBody.INIT
          ? gss.newContext()
          : gss.find(credential.handle());
      if (c == null || c.isEstablished()) {
        major = GSS_S_NO_CONTEXT;
        c = null;
      } else {
        out = c.accept(token);
        handle = c.handle().toBytes();
        if (c.isComplete()) {
          String principal = c.initiator();
          Credential.Gss identity = gss.map(principal);
          c.established(identity);
          verifier = c.getMic(intBytes(GssSequenceWindow.SIZE), 0, 4);
          major = GSS_S_COMPLETE;
          log.debug(
              "xid {}: RPCSEC_GSS context for {} as uid {} gid {}", xid, principal,
              identity.uid(), identity.gid());
        } else {
          major = GSS_S_CONTINUE_NEEDED;
        }
      }
    } catch (GSSException e) {
      log.debug("xid {}: RPCSEC_GSS context creation failed: {}", xid, e.getMessage());
      if (c != null) {
        gss.remove(c);
      }
      major = wireMajor(e.getMajor());
      minor = e.getMinor();
      handle = new byte[0];
      out = null;
    }
    if (verifier != null) {
      RpcMessages.writeAccepted(
          reply, xid, Credential.RPCSEC_GSS, verifier, RpcMessages.SUCCESS);
    } else {
      RpcMessages.writeAccepted(reply, xid, RpcMessages.SUCCESS);
    }
    XdrEncoder e = new XdrEncoder(reply);
    e.writeOpaque(handle);
    e.writeInt(major);
    e.writeInt(minor);
    e.writeInt(GssSequenceWindow.SIZE);
    e.writeOpaque(out == null ? new byte[0] : out);
    return RpcMessages.finish(reply, framed);
  }

  /** JGSS major codes are the GSS-API routine errors without their shift (RFC 2744 §3.9.1). */
  private static int wireMajor(int jgssMajor) {
    return jgssMajor > 0 && jgssMajor <= 18 ? jgssMajor << 16 : GSS_S_FAILURE;
  }

  /** Forgets the context after its DESTROY was answered (RFC 2203 §5.4). */
  void destroy() {
    gss.remove(context);
  }

  /**
   * Takes the protection off a data request's arguments (RFC 2203 §5.3.2.2, §5.3.2.3). A
   * checksum that does not verify, a body that does not unwrap, or a seq_num inside that is
   * not the credential's is GARBAGE_ARGS (§5.3.3.1, §5.3.3.4.2, §5.3.3.4.3).
   *
   * @param args the bytes after the verifier; not released
   * @return the plain arguments: {@code args} itself for service none, else a new heap buffer
   */
  ByteBuf unprotect(ByteBuf args) {
    GssService service = credential.service();
    if (service == GssService.NONE) {
      return args;
    }
    byte[] data;
    try {
      XdrDecoder d = new XdrDecoder(args);
      if (service == GssService.INTEGRITY) {
        data = d.readOpaque(args.readableBytes());
        byte[] checksum = d.readOpaque(args.readableBytes());
        context.verifyMic(checksum, data, 0, data.length);
      } else {
        data = context.unwrap(d.readOpaque(args.readableBytes()));
      }
    } catch (XdrException | GSSException e) {
      throw RpcException.garbageArgs("protected arguments: " + e.getMessage());
    }
    if (data.length < 4 || ByteBuffer.wrap(data).getInt() != credential.sequence()) {
      throw RpcException.garbageArgs("seq_num in the arguments differs from the credential's");
    }
    return Unpooled.wrappedBuffer(data, 4, data.length - 4);
  }

  /**
   * Turns a plain reply (as for AUTH_NONE: verifier AUTH_NONE, results in the clear) into the
   * RPCSEC_GSS reply of this request (RFC 2203 §5.3.3.2): the verifier becomes the checksum of
   * the seq_num; the results of a SUCCESS get the request's protection. A denied reply is
   * copied as it is. If the checksum or the wrap fails, the reply is RPCSEC_GSS_CTXPROBLEM
   * (RFC 2203 §5.3.3.4.1 and §5.3.3.4.4 would send nothing; this makes the client refresh).
   *
   * @param plain a whole reply message, from its reader index; not released
   * @param framed whether to reserve the record mark
   * @return the reply, finished
   */
  ByteBuf protect(ByteBuf plain, boolean framed, ByteBufAllocator alloc) {
    int from = plain.readerIndex();
    int end = plain.writerIndex();
    int xid = plain.getInt(from);
    // the checksum or wrap token adds well under REPLY_HEADER_ALLOWANCE
    ByteBuf reply = RpcMessages.begin(alloc, framed, end - from);
    if (plain.getInt(from + 8) != RpcMessages.MSG_ACCEPTED) {
      reply.writeBytes(plain, from, end - from);
      return RpcMessages.finish(reply, framed);
    }
    int statAt = from + 20 + ((plain.getInt(from + 16) + 3) & ~3);
    int stat = plain.getInt(statAt);
    int restAt = statAt + 4;
    int restLength = end - restAt;
    int start = reply.writerIndex();
    try {
      byte[] verifier = context.getMic(intBytes(credential.sequence()), 0, 4);
      RpcMessages.writeAccepted(reply, xid, Credential.RPCSEC_GSS, verifier, stat);
      GssService service = credential.service();
      if (stat != RpcMessages.SUCCESS || service == GssService.NONE) {
        reply.writeBytes(plain, restAt, restLength);
      } else {
        byte[] data = new byte[4 + restLength];
        ByteBuffer.wrap(data).putInt(credential.sequence());
        plain.getBytes(restAt, data, 4, restLength);
        XdrEncoder e = new XdrEncoder(reply);
        if (service == GssService.INTEGRITY) {
          byte[] checksum = context.getMic(data, 0, data.length);
          e.writeOpaque(data);
          e.writeOpaque(checksum);
        } else {
          e.writeOpaque(context.wrap(data, 0, data.length));
        }
      }
    } catch (GSSException e) {
      log.debug("xid {}: cannot protect the reply: {}", xid, e.getMessage());
      reply.writerIndex(start);
      RpcMessages.writeAuthError(reply, xid, RpcSecGss.CTXPROBLEM);
    }
    return RpcMessages.finish(reply, framed);
  }

  private static byte[] intBytes(int value) {
    return ByteBuffer.allocate(4).putInt(value).array();
  }
}
