package dev.jnfs.rpc.testing;

import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.GssService;
import dev.jnfs.xdr.XdrDecoder;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.Subject;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.MessageProp;

/**
 * An RPCSEC_GSS (RFC 2203) client for tests over an {@link RpcTestClient}: creates a context
 * with RPCSEC_GSS_INIT / CONTINUE_INIT, makes data calls with service none, integrity or
 * privacy, checks the reply verifiers and takes the protection off the results; and builds
 * raw requests for tests of replays and corruption. Not thread-safe.
 */
public final class GssRpcTestClient implements AutoCloseable {
  /** rpc_gss_proc_t values. */
  public static final int DATA = 0, INIT = 1, CONTINUE_INIT = 2, DESTROY = 3;
  /** auth_stat RPCSEC_GSS_CREDPROBLEM. */
  public static final int CREDPROBLEM = 13;
  /** auth_stat RPCSEC_GSS_CTXPROBLEM. */
  public static final int CTXPROBLEM = 14;

  private final RpcTestClient rpc;
  private final GSSContext context;
  private final AtomicInteger sequence;
  private byte[] handle = new byte[0];
  private int window;

  private GssRpcTestClient(
      RpcTestClient rpc, GSSContext context, AtomicInteger sequence, byte[] handle, int window) {
    this.rpc = rpc;
    this.context = context;
    this.sequence = sequence;
    this.handle = handle;
    this.window = window;
  }

  /**
   * @param rpc the connection to use (closed with this client)
   * @param context an initiator context, not yet established
   * @return a client without a context handle yet; call {@link #establish}
   */
  public static GssRpcTestClient over(RpcTestClient rpc, GSSContext context) {
    return new GssRpcTestClient(rpc, context, new AtomicInteger(1), new byte[0], 0);
  }

  /**
   * @param other a connection
   * @return a client using this client's context and handle (and sequence numbers) over
   *     another connection
   */
  public GssRpcTestClient sharedOver(RpcTestClient other) {
    return new GssRpcTestClient(other, context, sequence, handle, window);
  }

  /** @return the connection */
  public RpcTestClient rpc() {
    return rpc;
  }

  /** @return the context handle the server gave */
  public byte[] handle() {
    return handle.clone();
  }

  /** @return the seq_window the server announced */
  public int window() {
    return window;
  }

  /** @return the initiator context */
  public GSSContext context() {
    return context;
  }

  /** @return a fresh sequence number */
  public int nextSequence() {
    return sequence.getAndIncrement();
  }

  /**
   * Establishes the context: INIT, then CONTINUE_INIT while the server asks for more, each a
   * NULL call of the given program; checks the final verifier (the MIC of seq_window).
   *
   * @param subject the initiator's subject (its TGT), for GSS_Init_sec_context
   * @param program a program the server serves
   * @param version its version
   */
  public void establish(Subject subject, int program, int version)
      throws IOException, GSSException {
    byte[] token = initSecContext(subject, new byte[0]);
    int proc = INIT;
    for (int round = 0; round < 8; round++) {
      byte[] sent = token;
      byte[] args = RpcMessageBuilder.xdr(e -> e.writeOpaque(sent));
      int xid = RpcTestClient.nextXid();
      rpc.sendMessage(
          call(xid, program, version, 0, credential(proc, 0, GssService.NONE, handle),
              Credential.AUTH_NONE, new byte[0], args));
      Reply reply = Reply.parse(rpc.receiveMessage());
      if (!reply.isSuccess()) {
        throw new IOException("context creation answered " + reply);
      }
      XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(reply.body()));
      byte[] newHandle = d.readOpaque(1024);
      int major = d.readInt();
      int minor = d.readInt();
      int seqWindow = d.readInt();
      byte[] out = d.readOpaque(1 << 16);
      if (major != 0 && major != 1) {
        throw new GssFailure(major, minor);
      }
      handle = newHandle;
      token = out.length > 0 && !context.isEstablished() ? initSecContext(subject, out) : null;
      if (major == 0) {
        if (!context.isEstablished()) {
          throw new IOException("server completed, the initiator did not");
        }
        if (reply.verifierFlavor() != Credential.RPCSEC_GSS) {
          throw new IOException("context complete without an RPCSEC_GSS verifier");
        }
        context.verifyMIC(reply.verifier(), 0, reply.verifier().length, intBytes(seqWindow), 0,
            4, new MessageProp(0, false));
        window = seqWindow;
        return;
      }
      if (token == null) {
        throw new IOException("server wants another token; the initiator has none");
      }
      proc = CONTINUE_INIT;
    }
    throw new IOException("context creation did not finish");
  }

  /** A context creation the server answered with a GSS error. */
  public static final class GssFailure extends IOException {
    private static final long serialVersionUID = 1L;

    /** The gss_major the server answered. */
    public final int major;

    GssFailure(int major, int minor) {
      super("gss_major 0x" + Integer.toHexString(major) + " minor " + minor);
      this.major = major;
    }
  }

  private byte[] initSecContext(Subject subject, byte[] in) throws GSSException {
    try {
      return Subject.callAs(subject, () -> context.initSecContext(in, 0, in.length));
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof GSSException g) {
        throw g;
      }
      throw e;
    }
  }

  /**
   * Makes a data call and returns its plain results; fails unless the reply is SUCCESS with a
   * verifier and protection that check.
   */
  public byte[] call(int program, int version, int procedure, GssService service, byte[] args)
      throws IOException, GSSException {
    int seq = nextSequence();
    int xid = RpcTestClient.nextXid();
    rpc.sendMessage(dataCall(xid, seq, program, version, procedure, service, args));
    Reply reply = Reply.parse(rpc.receiveMessage());
    if (reply.xid() != xid) {
      throw new IOException("reply to xid " + reply.xid() + ", expected " + xid);
    }
    return unprotect(reply, seq, service);
  }

  /**
   * Checks a reply's verifier against a sequence number and takes the protection off its
   * results.
   *
   * @return the plain results
   * @throws IOException if the reply is not SUCCESS or does not verify
   */
  public byte[] unprotect(Reply reply, int seq, GssService service)
      throws IOException, GSSException {
    if (!reply.isSuccess()) {
      throw new IOException("call answered " + reply);
    }
    verifyReplyVerifier(reply, seq);
    byte[] body = reply.body();
    switch (service) {
      case NONE -> {
        return body;
      }
      case INTEGRITY -> {
        XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(body));
        byte[] data = d.readOpaque(body.length);
        byte[] checksum = d.readOpaque(body.length);
        context.verifyMIC(checksum, 0, checksum.length, data, 0, data.length,
            new MessageProp(0, false));
        return stripSequence(data, seq);
      }
      default -> {
        XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(body));
        byte[] token = d.readOpaque(body.length);
        MessageProp prop = new MessageProp(0, true);
        byte[] data = context.unwrap(token, 0, token.length, prop);
        if (!prop.getPrivacy()) {
          throw new IOException("privacy reply was not encrypted");
        }
        return stripSequence(data, seq);
      }
    }
  }

  /** Checks that a reply's verifier is the MIC of {@code seq} (RFC 2203 §5.3.3.2). */
  public void verifyReplyVerifier(Reply reply, int seq) throws IOException, GSSException {
    if (reply.verifierFlavor() != Credential.RPCSEC_GSS) {
      throw new IOException("reply verifier of flavor " + reply.verifierFlavor());
    }
    context.verifyMIC(reply.verifier(), 0, reply.verifier().length, intBytes(seq), 0, 4,
        new MessageProp(0, false));
  }

  private static byte[] stripSequence(byte[] data, int seq) throws IOException {
    if (data.length < 4 || ByteBuffer.wrap(data).getInt() != seq) {
      throw new IOException("seq_num in the results is not " + seq);
    }
    return Arrays.copyOfRange(data, 4, data.length);
  }

  /**
   * Builds a data request (RFC 2203 §5.3.1, §5.3.2) with this client's handle.
   *
   * @return the RPC message, without record mark
   */
  public byte[] dataCall(
      int xid, int seq, int program, int version, int procedure, GssService service, byte[] args)
      throws GSSException {
    return controlCall(xid, seq, DATA, program, version, procedure, service, protect(seq, service, args));
  }

  /**
   * Builds a request with a header MIC for any gss_proc (DATA or DESTROY) and already
   * protected arguments.
   */
  public byte[] controlCall(
      int xid, int seq, int gssProc, int program, int version, int procedure,
      GssService service, byte[] protectedArgs) throws GSSException {
    byte[] cred = credential(gssProc, seq, service, handle);
    byte[] header = header(xid, program, version, procedure, cred);
    byte[] mic = context.getMIC(header, 0, header.length, new MessageProp(0, false));
    return RpcMessageBuilder.xdr(
        e -> {
          e.writeFixedOpaque(header);
          e.writeInt(Credential.RPCSEC_GSS).writeOpaque(mic);
          e.writeFixedOpaque(protectedArgs);
        });
  }

  /** @return the arguments as the service sends them: plain, rpc_gss_integ_data, rpc_gss_priv_data */
  public byte[] protect(int seq, GssService service, byte[] args) throws GSSException {
    if (service == GssService.NONE) {
      return args;
    }
    byte[] data = ByteBuffer.allocate(4 + args.length).putInt(seq).put(args).array();
    if (service == GssService.INTEGRITY) {
      byte[] checksum = context.getMIC(data, 0, data.length, new MessageProp(0, false));
      return RpcMessageBuilder.xdr(e -> e.writeOpaque(data).writeOpaque(checksum));
    }
    byte[] wrapped = context.wrap(data, 0, data.length, new MessageProp(0, true));
    return RpcMessageBuilder.xdr(e -> e.writeOpaque(wrapped));
  }

  /**
   * Sends RPCSEC_GSS_DESTROY (RFC 2203 §5.4) as a NULL call of the given program.
   *
   * @return the reply
   */
  public Reply destroy(int program, int version) throws IOException, GSSException {
    int seq = nextSequence();
    int xid = RpcTestClient.nextXid();
    rpc.sendMessage(controlCall(xid, seq, DESTROY, program, version, 0, GssService.NONE, new byte[0]));
    Reply reply = Reply.parse(rpc.receiveMessage());
    if (reply.isSuccess()) {
      verifyReplyVerifier(reply, seq);
    }
    return reply;
  }

  /** @return the XDR of an rpc_gss_cred_t version 1 */
  public static byte[] credential(int gssProc, int seq, GssService service, byte[] handle) {
    return RpcMessageBuilder.xdr(
        e -> e.writeInt(1).writeInt(gssProc).writeInt(seq).writeInt(service.wireValue())
            .writeOpaque(handle));
  }

  /** @return the call header from xid through the RPCSEC_GSS credential */
  public static byte[] header(int xid, int program, int version, int procedure, byte[] cred) {
    return RpcMessageBuilder.xdr(
        e -> {
          e.writeInt(xid).writeInt(0).writeInt(2);
          e.writeInt(program).writeInt(version).writeInt(procedure);
          e.writeInt(Credential.RPCSEC_GSS).writeOpaque(cred);
        });
  }

  /** @return a call message with an RPCSEC_GSS credential body and any verifier */
  public static byte[] call(
      int xid, int program, int version, int procedure, byte[] cred, int verifierFlavor,
      byte[] verifier, byte[] args) {
    byte[] header = header(xid, program, version, procedure, cred);
    return RpcMessageBuilder.xdr(
        e -> {
          e.writeFixedOpaque(header);
          e.writeInt(verifierFlavor).writeOpaque(verifier);
          e.writeFixedOpaque(args);
        });
  }

  private static byte[] intBytes(int v) {
    return ByteBuffer.allocate(4).putInt(v).array();
  }

  @Override
  public void close() throws IOException {
    rpc.close();
  }

  /**
   * A reply with its verifier (which {@link RpcReply} skips).
   *
   * @param xid the transaction id
   * @param replyStat MSG_ACCEPTED or MSG_DENIED
   * @param acceptStat the accept_stat, or -1
   * @param authStat the auth_stat of an AUTH_ERROR, or -1
   * @param verifierFlavor the verifier's flavor (accepted replies), or -1
   * @param verifier the verifier's body
   * @param body the bytes after accept_stat
   */
  public record Reply(
      int xid, int replyStat, int acceptStat, int authStat, int verifierFlavor, byte[] verifier,
      byte[] body) {

    /** @return whether this is MSG_ACCEPTED / SUCCESS */
    public boolean isSuccess() {
      return replyStat == 0 && acceptStat == 0;
    }

    /** Parses a reply message. */
    public static Reply parse(byte[] message) {
      ByteBuffer b = ByteBuffer.wrap(message);
      int xid = b.getInt();
      if (b.getInt() != 1) {
        throw new IllegalArgumentException("not a reply");
      }
      int replyStat = b.getInt();
      if (replyStat == 0) {
        int flavor = b.getInt();
        byte[] verifier = new byte[b.getInt()];
        b.get(verifier);
        b.position(b.position() + (-verifier.length & 3));
        int acceptStat = b.getInt();
        byte[] body = Arrays.copyOfRange(message, b.position(), message.length);
        return new Reply(xid, replyStat, acceptStat, -1, flavor, verifier, body);
      }
      int rejectStat = b.getInt();
      int authStat = rejectStat == 1 ? b.getInt() : -1;
      return new Reply(xid, replyStat, -1, authStat, -1, new byte[0], new byte[0]);
    }

    @Override
    public String toString() {
      return "Reply[xid=" + xid + ", reply_stat=" + replyStat + ", accept_stat=" + acceptStat
          + ", auth_stat=" + authStat + ", verifier flavor=" + verifierFlavor + "]";
    }
  }
}
