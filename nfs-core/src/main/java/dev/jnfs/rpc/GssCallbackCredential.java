package dev.jnfs.rpc;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.ietf.jgss.GSSException;

/**
 * RPCSEC_GSS on the calls the server makes to a client (NFSv4.1 callbacks, RFC 8881
 * §2.10.8.2), with a context the client established with the server on the fore channel. The
 * client names that context by the handle the server gave it ({@code gcbp_handle_from_server})
 * and tells the handle the callbacks carry in their credential ({@code
 * gcbp_handle_from_client}). Each call has the next sequence number of this credential, the
 * checksum of its header as verifier and its arguments protected as the service says (RFC 2203
 * §5.3.1, §5.3.2); the reply's verifier must be the checksum of that sequence number and its
 * results are unprotected likewise (§5.3.3.2), else the call fails. Obtained from {@link
 * RpcCall#gssCallbackCredential}; used with {@link RpcConnection#call(int, int, int,
 * GssCallbackCredential, byte[])}. Thread-safe.
 */
public final class GssCallbackCredential {
  private final RpcSecGss gss;
  private final RpcGssContext context;
  private final byte[] clientHandle;
  private final GssService service;
  private final AtomicInteger sequence = new AtomicInteger();

  GssCallbackCredential(RpcSecGss gss, RpcGssContext context, byte[] clientHandle, GssService service) {
    this.gss = gss;
    this.context = context;
    this.clientHandle = clientHandle.clone();
    this.service = service;
  }

  /**
   * @return whether calls can still be made: the context is still in the server's table, has
   *     not expired, and the sequence numbers are not exhausted
   */
  public boolean usable() {
    return gss.holds(context) && !context.isExpired(System.nanoTime())
        && sequence.get() < RpcSecGss.MAXSEQ - 1;
  }

  /** @return the protection the calls get */
  public GssService service() {
    return service;
  }

  /** @return the next sequence number, starting at 1 */
  int nextSequence() {
    return sequence.incrementAndGet();
  }

  /** Writes the credential, rpc_gss_cred_t version 1 with RPCSEC_GSS_DATA, flavor included. */
  void writeCredential(ByteBuf buf, int seq) {
    ByteBuf body = Unpooled.buffer(20 + clientHandle.length);
    try {
      new XdrEncoder(body).writeInt(1).writeInt(0).writeInt(seq).writeInt(service.wireValue())
          .writeOpaque(clientHandle);
      new XdrEncoder(buf).writeInt(Credential.RPCSEC_GSS).writeOpaque(body);
    } finally {
      body.release();
    }
  }

  /**
   * Writes the verifier: the checksum of the header from the xid through the credential.
   *
   * @throws GSSException the context cannot make a checksum
   */
  void writeVerifier(ByteBuf buf, int headerStart) throws GSSException {
    byte[] header = ByteBufUtil.getBytes(buf, headerStart, buf.writerIndex() - headerStart);
    context.touch(System.nanoTime());
    new XdrEncoder(buf).writeInt(Credential.RPCSEC_GSS).writeOpaque(context.getMic(header, 0, header.length));
  }

  /** Writes the arguments: plain, rpc_gss_integ_data or rpc_gss_priv_data. */
  void writeArguments(ByteBuf buf, int seq, byte[] arguments) throws GSSException {
    if (service == GssService.NONE) {
      buf.writeBytes(arguments);
      return;
    }
    byte[] data = ByteBuffer.allocate(4 + arguments.length).putInt(seq).put(arguments).array();
    XdrEncoder e = new XdrEncoder(buf);
    if (service == GssService.INTEGRITY) {
      e.writeOpaque(data).writeOpaque(context.getMic(data, 0, data.length));
    } else {
      e.writeOpaque(context.wrap(data, 0, data.length));
    }
  }

  /**
   * Checks a reply's verifier and takes the protection off its results.
   *
   * @param seq the call's sequence number
   * @param verifierFlavor the reply verifier's flavor
   * @param verifier its body
   * @param results the bytes after accept_stat SUCCESS
   * @return the plain results
   * @throws IOException the verifier is not the checksum of {@code seq}, or the results do not
   *     verify or unwrap to that sequence number
   */
  byte[] checkReply(int seq, int verifierFlavor, byte[] verifier, byte[] results) throws IOException {
    byte[] seqBytes = ByteBuffer.allocate(4).putInt(seq).array();
    try {
      if (verifierFlavor != Credential.RPCSEC_GSS) {
        throw new IOException("reply verifier of flavor " + verifierFlavor);
      }
      context.verifyMic(verifier, seqBytes, 0, 4);
      if (service == GssService.NONE) {
        return results;
      }
      XdrDecoder d = new XdrDecoder(Unpooled.wrappedBuffer(results));
      byte[] data;
      if (service == GssService.INTEGRITY) {
        data = d.readOpaque(results.length);
        context.verifyMic(d.readOpaque(results.length), data, 0, data.length);
      } else {
        data = context.unwrap(d.readOpaque(results.length));
      }
      if (data.length < 4 || !Arrays.equals(data, 0, 4, seqBytes, 0, 4)) {
        throw new IOException("seq_num in the results is not the call's");
      }
      return Arrays.copyOfRange(data, 4, data.length);
    } catch (GSSException | XdrException e) {
      throw new IOException("reply does not verify: " + e.getMessage(), e);
    }
  }
}
