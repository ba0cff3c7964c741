package dev.jnfs.rpc.testing;

import dev.jnfs.rpc.Credential;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.function.Consumer;

/** Encodes RPC call messages (RFC 5531 §9) and XDR argument bytes for tests. */
public final class RpcMessageBuilder {
  private RpcMessageBuilder() {}

  /**
   * @param writer what to encode
   * @return the encoded bytes
   */
  public static byte[] xdr(Consumer<XdrEncoder> writer) {
    ByteBuf buf = Unpooled.buffer();
    try {
      writer.accept(new XdrEncoder(buf));
      return ByteBufUtil.getBytes(buf);
    } finally {
      buf.release();
    }
  }

  /**
   * @param xid the transaction id
   * @param program the program
   * @param version the version
   * @param procedure the procedure
   * @param credential AUTH_NONE or AUTH_SYS
   * @param args the encoded arguments
   * @return the call message, without record mark
   */
  public static byte[] call(
      int xid, int program, int version, int procedure, Credential credential, byte[] args) {
    return xdr(
        e -> {
          e.writeInt(xid).writeInt(0).writeInt(2);
          e.writeInt(program).writeInt(version).writeInt(procedure);
          writeCredential(e, credential);
          e.writeInt(0).writeInt(0);
          e.writeFixedOpaque(args);
        });
  }

  /**
   * Writes an opaque_auth for a credential.
   *
   * @param e the encoder
   * @param credential AUTH_NONE or AUTH_SYS
   */
  public static void writeCredential(XdrEncoder e, Credential credential) {
    switch (credential) {
      case Credential.None n -> e.writeInt(Credential.AUTH_NONE).writeInt(0);
      case Credential.Sys s -> {
        e.writeInt(Credential.AUTH_SYS);
        e.writeOpaque(authSysBody(s.stamp(), s.machineName(), s.uid(), s.gid(), s.gids()));
      }
      case Credential.Gss g ->
          throw new IllegalArgumentException("an RPCSEC_GSS credential needs a context");
    }
  }

  /**
   * @return the XDR of an authsys_parms, with as many gids as given (even more than 16)
   */
  public static byte[] authSysBody(int stamp, String machine, int uid, int gid, int[] gids) {
    return xdr(
        e -> {
          e.writeInt(stamp).writeString(machine).writeInt(uid).writeInt(gid);
          e.writeInt(gids.length);
          for (int g : gids) {
            e.writeInt(g);
          }
        });
  }

  /**
   * @param message an RPC message
   * @return it as one record of one last fragment
   */
  public static byte[] frame(byte[] message) {
    byte[] out = new byte[message.length + 4];
    int mark = 0x8000_0000 | message.length;
    out[0] = (byte) (mark >>> 24);
    out[1] = (byte) (mark >>> 16);
    out[2] = (byte) (mark >>> 8);
    out[3] = (byte) mark;
    System.arraycopy(message, 0, out, 4, message.length);
    return out;
  }
}
