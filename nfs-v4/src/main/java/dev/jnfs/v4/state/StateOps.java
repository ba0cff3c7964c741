package dev.jnfs.v4.state;

import dev.jnfs.lock.ByteRange;
import dev.jnfs.lock.FileKey;
import dev.jnfs.lock.LockType;
import dev.jnfs.lock.ShareReservation;
import dev.jnfs.rpc.Credential;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Handle;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** What the state operations share: argument decoding, the caller's identity and client, 4.0 seqid replay. */
final class StateOps {
  /** NFS4_OPAQUE_LIMIT: the longest owner name or client id. */
  static final int OPAQUE_LIMIT = 1024;
  /** OPEN4_SHARE_ACCESS_* bits beyond READ/WRITE that 4.1 allows (wants and signals). */
  static final int SHARE_ACCESS_WANT_MASK = 0xFF00;
  static final int SHARE_ACCESS_SIGNAL_MASK = 0x30000;

  private StateOps() {}

  /**
   * The identity that establishes a client, compared by SETCLIENTID, SETCLIENTID_CONFIRM,
   * EXCHANGE_ID and CREATE_SESSION (RFC 7530 §16.33.5, RFC 8881 §2.4 and §18.35.4: the
   * principal that created the client ID): the Kerberos principal of an RPCSEC_GSS call
   * (whatever its service: a client may move between krb5, krb5i and krb5p), else the AUTH_SYS
   * uid, as Linux knfsd compares it. Other operations, SEQUENCE included, run under any
   * principal with SP4_NONE (RFC 8881 §2.10.8.3): a Linux client sends EXCHANGE_ID and
   * CREATE_SESSION with its machine principal and file operations with each user's.
   */
  static String principal(CompoundContext ctx) {
    return switch (ctx.call().credential()) {
      case Credential.Gss g -> "gss:" + g.principal();
      case Credential.Sys s -> "sys:" + s.uid();
      case Credential.None n -> "none";
    };
  }

  /**
   * The client of the COMPOUND's session (4.1).
   *
   * @throws Nfs4Exception OP_NOT_IN_SESSION when no SEQUENCE began the COMPOUND
   */
  static ClientRecord sessionClient(CompoundContext ctx) throws Nfs4Exception {
    if (ctx.sequence() instanceof SessionSlot s) {
      return s.session.client;
    }
    throw new Nfs4Exception(Nfs4Status.OP_NOT_IN_SESSION, "no session");
  }

  /** @return the session's client in 4.1, null in 4.0 (where stateids carry their client) */
  static ClientRecord callerClient(CompoundContext ctx) throws Nfs4Exception {
    return ctx.minorVersion() == 0 ? null : sessionClient(ctx);
  }

  static OpenFile file(Nfs4Handle.Exported e) {
    return new OpenFile(e.export().fileSystem(), new FileKey(e.export().id(), e.handle()));
  }

  /** Decodes share_access and share_deny (RFC 8881 §18.16.3), dropping 4.1's want and signal bits. */
  static ShareReservation share(CompoundContext ctx, int access, int deny) throws Nfs4Exception {
    int extra = ctx.minorVersion() >= 1 ? SHARE_ACCESS_WANT_MASK | SHARE_ACCESS_SIGNAL_MASK : 0;
    int rw = access & ~extra;
    if (rw < ShareReservation.READ || rw > ShareReservation.BOTH || (deny & ~ShareReservation.BOTH) != 0) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "share_access " + access + " share_deny " + deny);
    }
    return new ShareReservation(rw, deny);
  }

  /** @return whether an nfs_lock_type4 is a blocking one, READW_LT or WRITEW_LT (RFC 8881 §9.6) */
  static boolean blocking(int wire) {
    return wire == 3 || wire == 4;
  }

  /** Decodes nfs_lock_type4: READ_LT/READW_LT and WRITE_LT/WRITEW_LT. */

  static LockType lockType(int wire) {
    return switch (wire) {
      case 1, 3 -> LockType.READ;
      case 2, 4 -> LockType.WRITE;
      default -> throw new XdrException("nfs_lock_type4 " + wire);
    };
  }

  /**
   * @return the range of a LOCK, LOCKT or LOCKU
   * @throws Nfs4Exception INVAL for a zero length or a range past 2^64 - 1
   */
  static ByteRange range(long offset, long length) throws Nfs4Exception {
    if (!ByteRange.isValid(offset, length)) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "lock range offset " + Long.toUnsignedString(offset)
          + " length " + Long.toUnsignedString(length));
    }
    return new ByteRange(offset, length);
  }

  /**
   * Checks that a LOCK or LOCKT names a regular file (RFC 8881 §18.10.3, §18.11.3): a
   * directory answers ISDIR; in 4.1 a symbolic link SYMLINK and any other type WRONG_TYPE; in
   * 4.0, which has no WRONG_TYPE and does not list SYMLINK for LOCK or LOCKT (RFC 7530
   * §16.10, §16.11), both answer INVAL.
   *
   * @throws Nfs4Exception ISDIR, SYMLINK, WRONG_TYPE or INVAL
   */
  static void requireLockable(CompoundContext ctx, Nfs4Handle.Exported file) throws Nfs4Exception, NfsException {
    FileType type = file.export().fileSystem().getattr(ctx.callerFor(file.export()), file.handle()).type();
    switch (type) {
      case REGULAR -> { }
      case DIRECTORY -> throw new Nfs4Exception(Nfs4Status.ISDIR, "lock on a directory");
      case SYMLINK -> throw new Nfs4Exception(ctx.minorVersion() == 0 ? Nfs4Status.INVAL : Nfs4Status.SYMLINK,
          "lock on a symbolic link");
      default -> throw new Nfs4Exception(ctx.minorVersion() == 0 ? Nfs4Status.INVAL : Nfs4Status.WRONG_TYPE,
          "lock on a " + type);
    }
  }

  /** An operation's work, run under {@link #withSeqid}. */
  @FunctionalInterface
  interface Work {
    void run() throws Nfs4Exception, NfsException;
  }

  /**
   * Runs an operation that advances a 4.0 owner's seqid (OPEN, OPEN_CONFIRM, OPEN_DOWNGRADE,
   * CLOSE, LOCK, LOCKU; RFC 7530 §9.1.7): the next seqid runs {@code work} and its result is
   * remembered; the last seqid replays the remembered result without running anything; any
   * other is BAD_SEQID. In 4.1 the seqid is ignored (sessions order requests).
   */
  static void withSeqid(CompoundContext ctx, StateidTable stateids, StateOwner owner, int seqid,
      XdrEncoder result, Work work) throws Nfs4Exception, NfsException {
    if (ctx.minorVersion() > 0) {
      work.run();
      return;
    }
    if (stateids.checkOwnerSeqid(owner, seqid) == StateOwner.SeqidCheck.REPLAY) {
      replay(owner.lastReply(), result);
      return;
    }
    int start = result.buffer().writerIndex();
    try {
      work.run();
    } catch (Nfs4Exception e) {
      if (StateOwner.advancesSeqid(e.status())) {
        stateids.recordReply(owner, new ReplyRecord(seqid, e.status(), errorBody(e)));
      }
      throw e;
    } catch (NfsException e) {
      int status = e.status().nfs4Code();
      if (StateOwner.advancesSeqid(status)) {
        stateids.recordReply(owner, new ReplyRecord(seqid, status, new byte[0]));
      }
      throw e;
    }
    ByteBuf buf = result.buffer();
    byte[] body = ByteBufUtil.getBytes(buf, start, buf.writerIndex() - start);
    stateids.recordReply(owner, new ReplyRecord(seqid, Nfs4Status.OK, body));
  }

  private static byte[] errorBody(Nfs4Exception e) {
    ByteBuf tmp = Unpooled.buffer();
    try {
      e.errorBody().accept(new XdrEncoder(tmp));
      return ByteBufUtil.getBytes(tmp);
    } finally {
      tmp.release();
    }
  }

  private static void replay(ReplyRecord r, XdrEncoder result) throws Nfs4Exception {
    if (r.status() == Nfs4Status.OK) {
      result.buffer().writeBytes(r.body());
      return;
    }
    byte[] body = r.body();
    throw new Nfs4Exception(r.status(), "replay of seqid " + Integer.toUnsignedString(r.seqid()),
        out -> out.buffer().writeBytes(body));
  }

  /** Reads a stateid4 after checking that its 16 bytes are there. */
  static dev.jnfs.v4.Stateid stateid(XdrDecoder in) {
    return dev.jnfs.v4.Stateid.decode(in);
  }
}
