package dev.jnfs.v4.testing;

import dev.jnfs.v4.Nfs4Opcode;
import dev.jnfs.v4.Stateid;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The NFSv4 state operations as {@link Compound} steps (RFC 7530 §16, RFC 8881 §18): the
 * arguments each sends and the resok body each reads. Error bodies (LOCK4denied) are read
 * from the decoder {@link Compound#decode} leaves after the failing result, with
 * {@link #readDenied}.
 */
public final class StateCompound {
  /** OPEN4_SHARE_ACCESS_READ. */ public static final int ACCESS_READ = 1;
  /** OPEN4_SHARE_ACCESS_WRITE. */ public static final int ACCESS_WRITE = 2;
  /** OPEN4_SHARE_ACCESS_BOTH. */ public static final int ACCESS_BOTH = 3;
  /** OPEN4_SHARE_DENY_NONE. */ public static final int DENY_NONE = 0;
  /** OPEN4_SHARE_DENY_READ. */ public static final int DENY_READ = 1;
  /** OPEN4_SHARE_DENY_WRITE. */ public static final int DENY_WRITE = 2;
  /** OPEN4_SHARE_DENY_BOTH. */ public static final int DENY_BOTH = 3;
  /** READ_LT. */ public static final int READ_LT = 1;
  /** WRITE_LT. */ public static final int WRITE_LT = 2;
  /** UNCHECKED4. */ public static final int UNCHECKED4 = 0;
  /** GUARDED4. */ public static final int GUARDED4 = 1;
  /** EXCLUSIVE4. */ public static final int EXCLUSIVE4 = 2;
  /** EXCLUSIVE4_1. */ public static final int EXCLUSIVE4_1 = 3;
  /** CLAIM_NULL. */ public static final int CLAIM_NULL = 0;
  /** CLAIM_PREVIOUS. */ public static final int CLAIM_PREVIOUS = 1;
  /** CLAIM_DELEGATE_CUR. */ public static final int CLAIM_DELEGATE_CUR = 2;
  /** CLAIM_DELEGATE_PREV. */ public static final int CLAIM_DELEGATE_PREV = 3;
  /** CLAIM_FH. */ public static final int CLAIM_FH = 4;
  /** OPEN4_RESULT_CONFIRM. */ public static final int RESULT_CONFIRM = 2;
  /** OPEN4_RESULT_LOCKTYPE_POSIX. */ public static final int RESULT_LOCKTYPE_POSIX = 4;

  private StateCompound() {}

  /**
   * @param clientId the clientid
   * @param confirm the setclientid_confirm verifier
   */
  public record SetClientIdReply(long clientId, long confirm) {}

  /**
   * @param clientId eir_clientid
   * @param sequence eir_sequenceid
   * @param flags eir_flags
   */
  public record ExchangeIdReply(long clientId, int sequence, int flags) {}

  /**
   * @param sessionId the session
   * @param sequence csr_sequence
   * @param flags csr_flags
   * @param fore the fore channel: headerpad, maxreq, maxresp, maxresp_cached, maxops, maxreqs
   */
  public record CreateSessionReply(byte[] sessionId, int sequence, int flags, int[] fore) {}

  /**
   * @param seqid sr_sequenceid
   * @param slot sr_slotid
   * @param highestSlot sr_highest_slotid
   * @param targetHighestSlot sr_target_highest_slotid
   * @param statusFlags sr_status_flags
   */
  public record SequenceReply(int seqid, int slot, int highestSlot, int targetHighestSlot, int statusFlags) {}

  /**
   * @param stateid the open stateid
   * @param atomic cinfo.atomic
   * @param before cinfo.before
   * @param after cinfo.after
   * @param rflags the result flags
   * @param attrset the attributes set
   * @param delegationType the open_delegation_type4
   * @param whyNone for OPEN_DELEGATE_NONE_EXT, the reason, else -1
   * @param delegation the read or write delegation's stateid, or null
   */
  public record OpenReply(Stateid stateid, boolean atomic, long before, long after, int rflags,
      int[] attrset, int delegationType, int whyNone, Stateid delegation) {}

  /**
   * LOCK4denied.
   *
   * @param offset the holder's offset
   * @param length the holder's length
   * @param type the holder's lock type
   * @param clientId the holder's clientid
   * @param owner the holder's owner name
   */
  public record Denied(long offset, long length, int type, long clientId, byte[] owner) {}

  /**
   * @param in the decoder after a DENIED status
   * @return the LOCK4denied body
   */
  public static Denied readDenied(XdrDecoder in) {
    return new Denied(in.readHyper(), in.readHyper(), in.readInt(), in.readHyper(), in.readOpaque(1024));
  }

  private static Stateid stateid(XdrDecoder in) {
    return Stateid.decode(in);
  }

  /** @return this with SETCLIENTID of a client name and verifier (callback address unused) */
  public static Compound setclientid(Compound c, byte[] id, long verifier) {
    return setclientid(c, id, verifier, "127.0.0.1.3.232");
  }

  /** @return this with SETCLIENTID naming a callback service at a universal address (netid tcp) */
  public static Compound setclientid(Compound c, byte[] id, long verifier, String callbackAddress) {
    return c.op(Nfs4Opcode.SETCLIENTID, a -> {
      a.writeHyper(verifier).writeOpaque(id).writeInt(0x40000000).writeString("tcp")
          .writeString(callbackAddress).writeInt(1);
    }, in -> new SetClientIdReply(in.readHyper(), in.readHyper()));
  }

  /** @return this with SETCLIENTID_CONFIRM */
  public static Compound setclientidConfirm(Compound c, long clientId, long confirm) {
    return c.op(Nfs4Opcode.SETCLIENTID_CONFIRM, a -> a.writeHyper(clientId).writeHyper(confirm), in -> null);
  }

  /** @return this with RENEW */
  public static Compound renew(Compound c, long clientId) {
    return c.op(Nfs4Opcode.RENEW, a -> a.writeHyper(clientId), in -> null);
  }

  /** @return this with RELEASE_LOCKOWNER */
  public static Compound releaseLockowner(Compound c, long clientId, byte[] owner) {
    return c.op(Nfs4Opcode.RELEASE_LOCKOWNER, a -> a.writeHyper(clientId).writeOpaque(owner), in -> null);
  }

  /** @return this with EXCHANGE_ID (SP4_NONE, one implementation id) */
  public static Compound exchangeId(Compound c, byte[] ownerId, long verifier, int flags) {
    return c.op(Nfs4Opcode.EXCHANGE_ID, a -> {
      a.writeHyper(verifier).writeOpaque(ownerId).writeInt(flags).writeInt(0);
      a.writeInt(1).writeString("example.org").writeString("test client").writeHyper(0).writeInt(0);
    }, in -> {
      ExchangeIdReply r = new ExchangeIdReply(in.readHyper(), in.readInt(), in.readInt());
      int how = in.readInt();
      if (how != 0) {
        throw new IllegalStateException("state protection " + how);
      }
      in.readHyper();
      in.readOpaque(1024);
      in.readOpaque(1024);
      int impls = in.readInt();
      for (int i = 0; i < impls; i++) {
        in.readOpaque(1024);
        in.readOpaque(1024);
        in.readHyper();
        in.readInt();
      }
      return r;
    });
  }

  /** @return this with CREATE_SESSION asking for {@code slots} slots and {@code maxOps} operations */
  public static Compound createSession(Compound c, long clientId, int sequence, int slots, int maxOps) {
    return createSession(c, clientId, sequence, slots, maxOps, 0, 1);
  }

  /**
   * @return this with CREATE_SESSION with csa_flags (CONN_BACK_CHAN = 2 makes the connection
   *     the back channel) and {@code backSlots} back-channel slots
   */
  public static Compound createSession(Compound c, long clientId, int sequence, int slots, int maxOps,
      int csaFlags, int backSlots) {
    // one AUTH_NONE sec parm
    return createSession(c, clientId, sequence, slots, maxOps, csaFlags, backSlots, a -> a.writeInt(1).writeInt(0));
  }

  /**
   * @return this with CREATE_SESSION as above, with the callback_sec_parms4 list {@code
   *     secParms} writes (its length included)
   */
  public static Compound createSession(Compound c, long clientId, int sequence, int slots, int maxOps,
      int csaFlags, int backSlots, Consumer<XdrEncoder> secParms) {
    return c.op(Nfs4Opcode.CREATE_SESSION, a -> {
      a.writeHyper(clientId).writeInt(sequence).writeInt(csaFlags);
      channel(a, slots, maxOps);
      channel(a, backSlots, 2);
      a.writeInt(0x40000000); // cb_program
      secParms.accept(a);
    }, in -> {
      byte[] sid = in.readFixedOpaque(16);
      int seq = in.readInt();
      int flags = in.readInt();
      int[] fore = readChannel(in);
      readChannel(in);
      return new CreateSessionReply(sid, seq, flags, fore);
    });
  }

  private static void channel(XdrEncoder a, int slots, int maxOps) {
    a.writeInt(0).writeInt(1 << 20).writeInt(1 << 20).writeInt(16384).writeInt(maxOps).writeInt(slots).writeInt(0);
  }

  private static int[] readChannel(XdrDecoder in) {
    int[] v = new int[6];
    for (int i = 0; i < 6; i++) {
      v[i] = in.readInt();
    }
    int ird = in.readInt();
    for (int i = 0; i < ird; i++) {
      in.readInt();
    }
    return v;
  }

  /** @return this with SEQUENCE */
  public static Compound sequence(Compound c, byte[] sessionId, int seqid, int slot, boolean cacheThis) {
    return c.op(Nfs4Opcode.SEQUENCE, a -> {
      a.writeFixedOpaque(sessionId).writeInt(seqid).writeInt(slot).writeInt(slot).writeBoolean(cacheThis);
    }, in -> {
      in.readFixedOpaque(16);
      return new SequenceReply(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt());
    });
  }

  /** @return this with DESTROY_SESSION */
  public static Compound destroySession(Compound c, byte[] sessionId) {
    return c.op(Nfs4Opcode.DESTROY_SESSION, a -> a.writeFixedOpaque(sessionId), in -> null);
  }

  /** @return this with DESTROY_CLIENTID */
  public static Compound destroyClientid(Compound c, long clientId) {
    return c.op(Nfs4Opcode.DESTROY_CLIENTID, a -> a.writeHyper(clientId), in -> null);
  }

  /** @return this with BIND_CONN_TO_SESSION; reads the granted direction */
  public static Compound bindConnToSession(Compound c, byte[] sessionId, int dir) {
    return c.op(Nfs4Opcode.BIND_CONN_TO_SESSION, a -> a.writeFixedOpaque(sessionId).writeInt(dir).writeBoolean(false),
        in -> {
          in.readFixedOpaque(16);
          int granted = in.readInt();
          in.readBoolean();
          return granted;
        });
  }

  /** @return this with RECLAIM_COMPLETE (not one_fs) */
  public static Compound reclaimComplete(Compound c) {
    return c.op(Nfs4Opcode.RECLAIM_COMPLETE, a -> a.writeBoolean(false), in -> null);
  }

  /** @return this with TEST_STATEID; reads the status codes */
  public static Compound testStateid(Compound c, Stateid... ids) {
    return c.op(Nfs4Opcode.TEST_STATEID, a -> {
      a.writeInt(ids.length);
      for (Stateid s : ids) {
        s.encode(a);
      }
    }, in -> {
      int n = in.readInt();
      List<Integer> codes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        codes.add(in.readInt());
      }
      return codes;
    });
  }

  /** @return this with FREE_STATEID */
  public static Compound freeStateid(Compound c, Stateid id) {
    return c.op(Nfs4Opcode.FREE_STATEID, id::encode, in -> null);
  }

  /**
   * @return this with OPEN: any createhow (null for OPEN4_NOCREATE) and claim
   */
  public static Compound open(Compound c, int seqid, int access, int deny, long clientId, byte[] owner,
      Consumer<XdrEncoder> createHow, int claim, Consumer<XdrEncoder> claimBody) {
    return c.op(Nfs4Opcode.OPEN, a -> {
      a.writeInt(seqid).writeInt(access).writeInt(deny).writeHyper(clientId).writeOpaque(owner);
      if (createHow == null) {
        a.writeInt(0);
      } else {
        a.writeInt(1);
        createHow.accept(a);
      }
      a.writeInt(claim);
      claimBody.accept(a);
    }, StateCompound::readOpen);
  }

  /** @return this with OPEN of an existing name (CLAIM_NULL) */
  public static Compound openName(Compound c, int seqid, int access, int deny, long clientId, byte[] owner,
      String name) {
    return open(c, seqid, access, deny, clientId, owner, null, CLAIM_NULL, a -> a.writeString(name));
  }

  /** @return this with OPEN creating a name UNCHECKED4 or GUARDED4 with mode 0644 */
  public static Compound openCreate(Compound c, int seqid, int access, int deny, long clientId, byte[] owner,
      String name, int mode) {
    return open(c, seqid, access, deny, clientId, owner,
        a -> {
          a.writeInt(mode);
          Attrs.set().mode(0644).encode(a);
        }, CLAIM_NULL, a -> a.writeString(name));
  }

  private static OpenReply readOpen(XdrDecoder in) {
    Stateid sid = stateid(in);
    boolean atomic = in.readBoolean();
    long before = in.readHyper();
    long after = in.readHyper();
    int rflags = in.readInt();
    int words = in.readInt();
    int[] attrset = new int[words];
    for (int i = 0; i < words; i++) {
      attrset[i] = in.readInt();
    }
    int deleg = in.readInt();
    int why = -1;
    Stateid delegation = null;
    if (deleg == 1 || deleg == 2) {
      delegation = stateid(in);
      in.readBoolean(); // recall
      if (deleg == 2) { // nfs_space_limit4
        if (in.readInt() == 1) {
          in.readHyper();
        } else {
          in.readInt();
          in.readInt();
        }
      }
      in.readInt(); // nfsace4
      in.readInt();
      in.readInt();
      in.readString(1024);
    } else if (deleg == 3) {
      why = in.readInt();
      if (why == 1 || why == 2) {
        in.readBoolean();
      }
    } else if (deleg != 0) {
      throw new IllegalStateException("unexpected delegation " + deleg);
    }
    return new OpenReply(sid, atomic, before, after, rflags, attrset, deleg, why, delegation);
  }

  /** @return this with OPEN_CONFIRM; reads the new stateid */
  public static Compound openConfirm(Compound c, Stateid stateid, int seqid) {
    return c.op(Nfs4Opcode.OPEN_CONFIRM, a -> {
      stateid.encode(a);
      a.writeInt(seqid);
    }, StateCompound::stateid);
  }

  /** @return this with OPEN_DOWNGRADE; reads the new stateid */
  public static Compound openDowngrade(Compound c, Stateid stateid, int seqid, int access, int deny) {
    return c.op(Nfs4Opcode.OPEN_DOWNGRADE, a -> {
      stateid.encode(a);
      a.writeInt(seqid).writeInt(access).writeInt(deny);
    }, StateCompound::stateid);
  }

  /** @return this with CLOSE; reads the returned stateid */
  public static Compound close(Compound c, int seqid, Stateid stateid) {
    return c.op(Nfs4Opcode.CLOSE, a -> {
      a.writeInt(seqid);
      stateid.encode(a);
    }, StateCompound::stateid);
  }

  /** @return this with LOCK for a new lock-owner (open_to_lock_owner4); reads the lock stateid */
  public static Compound lockNew(Compound c, int type, boolean reclaim, long offset, long length, int openSeqid,
      Stateid open, int lockSeqid, long clientId, byte[] owner) {
    return c.op(Nfs4Opcode.LOCK, a -> {
      a.writeInt(type).writeBoolean(reclaim).writeHyper(offset).writeHyper(length).writeBoolean(true);
      a.writeInt(openSeqid);
      open.encode(a);
      a.writeInt(lockSeqid).writeHyper(clientId).writeOpaque(owner);
    }, StateCompound::stateid);
  }

  /** @return this with LOCK for a known lock-owner (exist_lock_owner4); reads the lock stateid */
  public static Compound lockExisting(Compound c, int type, long offset, long length, Stateid lock, int lockSeqid) {
    return c.op(Nfs4Opcode.LOCK, a -> {
      a.writeInt(type).writeBoolean(false).writeHyper(offset).writeHyper(length).writeBoolean(false);
      lock.encode(a);
      a.writeInt(lockSeqid);
    }, StateCompound::stateid);
  }

  /** @return this with LOCKT */
  public static Compound lockt(Compound c, int type, long offset, long length, long clientId, byte[] owner) {
    return c.op(Nfs4Opcode.LOCKT, a -> {
      a.writeInt(type).writeHyper(offset).writeHyper(length).writeHyper(clientId).writeOpaque(owner);
    }, in -> null);
  }

  /** @return this with LOCKU; reads the new lock stateid */
  public static Compound locku(Compound c, int type, int seqid, Stateid lock, long offset, long length) {
    return c.op(Nfs4Opcode.LOCKU, a -> {
      a.writeInt(type).writeInt(seqid);
      lock.encode(a);
      a.writeHyper(offset).writeHyper(length);
    }, StateCompound::stateid);
  }

  /** @return this with DELEGRETURN */
  public static Compound delegreturn(Compound c, Stateid stateid) {
    return c.op(Nfs4Opcode.DELEGRETURN, stateid::encode, in -> null);
  }

  /** @return this with DELEGPURGE */
  public static Compound delegpurge(Compound c, long clientId) {
    return c.op(Nfs4Opcode.DELEGPURGE, a -> a.writeHyper(clientId), in -> null);
  }
}
