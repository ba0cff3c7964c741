package dev.jnfs.v4.state;

import dev.jnfs.lock.ShareReservation;
import dev.jnfs.protocol.Export;
import dev.jnfs.spi.Access;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.CreateMode;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.v4.Bitmap4;
import dev.jnfs.v4.ChangeInfo;
import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Fattr4;
import dev.jnfs.v4.Names;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Handle;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.Stateid;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;

/**
 * OPEN (RFC 7530 §16.16, RFC 8881 §18.16): opens, and optionally creates, a regular file for
 * an open-owner with a share reservation.
 *
 * <ul>
 *   <li>Claims: CLAIM_NULL (a name in the current directory), CLAIM_FH (4.1: the current
 *       file), CLAIM_PREVIOUS (a reclaim in the grace period), CLAIM_DELEGATE_CUR and
 *       CLAIM_DELEG_CUR_FH (an open the client made locally under its delegation, which must
 *       name the file); CLAIM_DELEGATE_PREV and CLAIM_DELEG_PREV_FH are not supported, like
 *       DELEGPURGE. An OPEN for writing first recalls other clients' delegations, an OPEN for
 *       reading their write delegations (DELAY).
 *   <li>Creation: UNCHECKED4, GUARDED4, EXCLUSIVE4 (verifier; the client sets attributes
 *       afterwards) and, in 4.1, EXCLUSIVE4_1 (verifier and attributes).
 *   <li>Results: the open stateid (the current stateid), change_info of the directory,
 *       OPEN4_RESULT_LOCKTYPE_POSIX plus OPEN4_RESULT_CONFIRM for a new 4.0 open-owner,
 *       OPEN4_RESULT_MAY_NOTIFY_LOCK for a 4.1 client with a usable back channel ({@link
 *       LockWaiters}),
 *       attrset, and a read or write delegation when {@link DelegationTable} grants one, else
 *       none. In 4.1 OPEN4_SHARE_ACCESS_WANT_READ_DELEG and _WRITE_DELEG ask for that kind
 *       whatever the access, _ANY_DELEG (like no wish) for the kind the access suits, _NO_DELEG
 *       and _CANCEL for none; a wish not met is answered OPEN_DELEGATE_NONE_EXT saying why.
 *   <li>A directory answers ISDIR, a symbolic link SYMLINK, another non-regular file
 *       WRONG_TYPE in 4.1 and SYMLINK in 4.0.
 * </ul>
 */
final class OpOpen implements Nfs4Operation {
  static final int OPEN4_NOCREATE = 0;
  static final int OPEN4_CREATE = 1;
  static final int UNCHECKED4 = 0;
  static final int GUARDED4 = 1;
  static final int EXCLUSIVE4 = 2;
  static final int EXCLUSIVE4_1 = 3;
  static final int CLAIM_NULL = 0;
  static final int CLAIM_PREVIOUS = 1;
  static final int CLAIM_DELEGATE_CUR = 2;
  static final int CLAIM_DELEGATE_PREV = 3;
  static final int CLAIM_FH = 4;
  static final int CLAIM_DELEG_CUR_FH = 5;
  static final int CLAIM_DELEG_PREV_FH = 6;
  static final int OPEN4_RESULT_CONFIRM = 0x2;
  static final int OPEN4_RESULT_LOCKTYPE_POSIX = 0x4;
  /** RFC 8881 §18.16.4: the server may send CB_NOTIFY_LOCK for blocking locks on the file. */
  static final int OPEN4_RESULT_MAY_NOTIFY_LOCK = 0x20;
  static final int OPEN_DELEGATE_NONE = 0;
  static final int OPEN_DELEGATE_READ = 1;
  static final int OPEN_DELEGATE_WRITE = 2;
  static final int OPEN_DELEGATE_NONE_EXT = 3;
  static final int WANT_READ_DELEG = 0x0100;
  static final int WANT_WRITE_DELEG = 0x0200;
  static final int WANT_NO_DELEG = 0x0400;
  static final int WANT_CANCEL = 0x0500;
  static final int WND4_NOT_WANTED = 0;
  static final int WND4_CONTENTION = 1;
  static final int WND4_RESOURCE = 2;
  static final int WND4_NOT_SUPP_FTYPE = 3;
  static final int WND4_WRITE_DELEG_NOT_SUPP_FTYPE = 4;
  static final int WND4_NOT_SUPP_UPGRADE = 5;
  static final int WND4_NOT_SUPP_DOWNGRADE = 6;
  static final int WND4_CANCELLED = 7;
  static final int NFS_LIMIT_SIZE = 1;

  /** The decoded createhow4, or null for OPEN4_NOCREATE. */
  private record How(int mode, Fattr4.Settable attrs, long verifier) {}

  /** The decoded open_claim4. */
  private record Claim(int type, byte[] name, Stateid delegation) {}

  private final StateEngine engine;

  OpOpen(StateEngine engine) {
    this.engine = engine;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    int seqid = args.readInt();
    int shareAccess = args.readInt();
    int shareDeny = args.readInt();
    long clientId = args.readHyper();
    byte[] ownerName = args.readOpaque(StateOps.OPAQUE_LIMIT);
    How how = decodeHow(ctx, args);
    Claim claim = decodeClaim(ctx, args);
    ShareReservation share = StateOps.share(ctx, shareAccess, shareDeny);
    int want = ctx.minorVersion() >= 1 ? shareAccess & StateOps.SHARE_ACCESS_WANT_MASK : 0;

    ClientRecord client = ctx.minorVersion() == 0 ? engine.clientIds.client40(clientId) : StateOps.sessionClient(ctx);
    ctx.actForClient(client.clientId());
    OpenOwner owner = engine.opens.openOwner(client, ownerName, seqid, claim.type() == CLAIM_PREVIOUS);
    StateOps.withSeqid(ctx, engine.stateids, owner, seqid, result,
        () -> open(ctx, client, owner, share, want, how, claim, result));
  }

  private static How decodeHow(CompoundContext ctx, XdrDecoder args) throws Nfs4Exception {
    int opentype = args.readInt();
    if (opentype == OPEN4_NOCREATE) {
      return null;
    }
    if (opentype != OPEN4_CREATE) {
      throw new XdrException("opentype4 " + opentype);
    }
    int mode = args.readInt();
    return switch (mode) {
      case UNCHECKED4, GUARDED4 -> new How(mode, Fattr4.decodeSettable(ctx, args), 0);
      case EXCLUSIVE4 -> new How(mode, null, args.readHyper());
      case EXCLUSIVE4_1 -> {
        if (ctx.minorVersion() == 0) {
          throw new XdrException("EXCLUSIVE4_1 in NFSv4.0");
        }
        long verifier = args.readHyper();
        yield new How(mode, Fattr4.decodeSettable(ctx, args), verifier);
      }
      default -> throw new XdrException("createmode4 " + mode);
    };
  }

  private static Claim decodeClaim(CompoundContext ctx, XdrDecoder args) {
    int type = args.readInt();
    int last = ctx.minorVersion() == 0 ? CLAIM_DELEGATE_PREV : CLAIM_DELEG_PREV_FH;
    if (type < CLAIM_NULL || type > last) {
      throw new XdrException("open_claim_type4 " + type);
    }
    return switch (type) {
      case CLAIM_NULL, CLAIM_DELEGATE_PREV -> new Claim(type, args.readOpaque(8192), null);
      case CLAIM_PREVIOUS -> {
        args.readInt(); // the delegation type held before: none was ever granted
        yield new Claim(type, null, null);
      }
      case CLAIM_DELEGATE_CUR -> {
        Stateid d = Stateid.decode(args);
        yield new Claim(type, args.readOpaque(8192), d);
      }
      case CLAIM_DELEG_CUR_FH -> new Claim(type, null, Stateid.decode(args));
      default -> new Claim(type, null, null); // CLAIM_FH, CLAIM_DELEG_PREV_FH
    };
  }

  private void open(CompoundContext ctx, ClientRecord client, OpenOwner owner, ShareReservation share,
      int want, How how, Claim claim, XdrEncoder result) throws Nfs4Exception, NfsException {
    switch (claim.type()) {
      case CLAIM_DELEGATE_CUR, CLAIM_DELEG_CUR_FH -> ctx.currentHandle();
      case CLAIM_DELEGATE_PREV, CLAIM_DELEG_PREV_FH ->
          throw new Nfs4Exception(Nfs4Status.NOTSUPP, "no delegations to reclaim");
      default -> { }
    }
    if (how != null && claim.type() != CLAIM_NULL) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "OPEN4_CREATE needs CLAIM_NULL");
    }
    engine.leases.checkGrace(client, claim.type() == CLAIM_PREVIOUS);

    Nfs4Handle.Exported file;
    ChangeInfo cinfo;
    Bitmap4 attrset = Bitmap4.EMPTY;
    boolean created = false;
    if (claim.type() == CLAIM_NULL) {
      Nfs4Handle.Exported dir = how != null || (share.access() & ShareReservation.WRITE) != 0
          ? ctx.requireWritable()
          : ctx.currentExported(Nfs4Status.NOENT);
      Export export = dir.export();
      NfsFileSystem fs = export.fileSystem();
      String name = Names.check(claim.name(), fs.properties().maxNameLength());
      Caller caller = ctx.callerFor(export);
      FileType dirType = fs.getattr(caller, dir.handle()).type();
      if (dirType != FileType.DIRECTORY) {
        throw new Nfs4Exception(dirType == FileType.SYMLINK ? Nfs4Status.SYMLINK : Nfs4Status.NOTDIR,
            "OPEN in a " + dirType);
      }
      long before = fs.getattr(caller, dir.handle()).change();
      FileEntry entry;
      if (how == null) {
        entry = fs.lookup(caller, dir.handle(), name);
      } else {
        created = !exists(fs, caller, dir, name);
        if (!created && how.mode() == UNCHECKED4 && how.attrs().changes().size() != null
            && engine.delegations.any()) {
          // an UNCHECKED4 create of an existing file sets its size: others' delegations go first
          FileEntry existing = fs.lookup(caller, dir.handle(), name);
          engine.delegations.recallConflicting(client,
              StateOps.file(new Nfs4Handle.Exported(export, existing.handle())));
        }
        entry = create(fs, caller, dir, name, how, created);
        if (created && how.attrs() != null) {
          attrset = how.attrs().attrsset();
        } else if (how.mode() == UNCHECKED4 && how.attrs().changes().size() != null) {
          attrset = Bitmap4.of(Fattr4.SIZE);
        }
      }
      long after = fs.getattr(caller, dir.handle()).change();
      cinfo = new ChangeInfo(false, before, after);
      file = new Nfs4Handle.Exported(export, entry.handle());
      checkType(ctx, entry.attributes().type());
    } else if (claim.type() == CLAIM_DELEGATE_CUR) {
      // a file the client opened locally under its delegation, named in the current directory
      Nfs4Handle.Exported dir = ctx.currentExported(Nfs4Status.NOENT);
      NfsFileSystem fs = dir.export().fileSystem();
      String name = Names.check(claim.name(), fs.properties().maxNameLength());
      FileEntry entry = fs.lookup(ctx.callerFor(dir.export()), dir.handle(), name);
      file = new Nfs4Handle.Exported(dir.export(), entry.handle());
      checkType(ctx, entry.attributes().type());
      cinfo = new ChangeInfo(false, 0, 0);
    } else {
      file = ctx.currentExported(Nfs4Status.ISDIR);
      if ((share.access() & ShareReservation.WRITE) != 0 && ctx.optionsFor(file.export()).readOnly()) {
        throw new Nfs4Exception(Nfs4Status.ROFS, "export is read-only");
      }
      checkType(ctx, file.export().fileSystem().getattr(ctx.callerFor(file.export()), file.handle()).type());
      cinfo = new ChangeInfo(false, 0, 0);
    }

    Caller caller = ctx.callerFor(file.export());
    NfsFileSystem fs = file.export().fileSystem();
    if (!created) {
      int needed = ((share.access() & ShareReservation.READ) != 0 ? Access.READ : 0)
          | ((share.access() & ShareReservation.WRITE) != 0 ? Access.MODIFY : 0);
      if ((fs.access(caller, file.handle(), needed) & needed) != needed) {
        throw new Nfs4Exception(Nfs4Status.ACCESS, "no permission to open");
      }
    }
    OpenFile openFile = StateOps.file(file);
    boolean underDelegation = claim.delegation() != null;
    if (underDelegation) {
      engine.stateids.checkDelegation(claim.delegation(), StateOps.callerClient(ctx), openFile);
    }
    boolean writing = (share.access() & ShareReservation.WRITE) != 0;
    OpenGrant grant = underDelegation
        ? engine.opens.grantOpen(owner, openFile, share, caller)
        : engine.delegations.open(client, openFile, writing,
            () -> engine.opens.grantOpen(owner, openFile, share, caller));
    ctx.setCurrent(file);
    ctx.setCurrentStateid(grant.stateid());
    DelegationTable.Decision delegation;
    if (want == WANT_NO_DELEG || want == WANT_CANCEL) {
      delegation = null;
    } else if (underDelegation || grant.confirmNeeded()) {
      delegation = DelegationTable.Decision.refused(engine.delegations.granting()
          ? DelegationTable.Refusal.CONTENTION : DelegationTable.Refusal.OFF);
    } else {
      // the kind asked for (RFC 8881 §18.16.3: whatever the access), else the kind the access suits
      boolean write = want == WANT_WRITE_DELEG || (want != WANT_READ_DELEG && writing);
      // a write delegation's starting change attribute, read only when one may be granted
      long change = write && engine.delegations.granting() && client.backChannel() != null
          ? fs.getattr(caller, file.handle()).change() : 0;
      delegation = engine.delegations.grant(client, openFile, file.toWire(ctx.pseudoFs().table()), write, change);
    }

    grant.stateid().encode(result);
    cinfo.encode(result);
    boolean mayNotifyLock = ctx.minorVersion() > 0 && client.backChannel() != null;
    result.writeInt(OPEN4_RESULT_LOCKTYPE_POSIX | (grant.confirmNeeded() ? OPEN4_RESULT_CONFIRM : 0)
        | (mayNotifyLock ? OPEN4_RESULT_MAY_NOTIFY_LOCK : 0));
    attrset.encode(result);
    if (delegation != null && delegation.delegation() != null) {
      encodeDelegation(delegation.delegation(), result);
    } else {
      encodeNoDelegation(want, delegation == null ? null : delegation.refusal(), result);
    }
  }

  /**
   * open_read_delegation4 or open_write_delegation4: the stateid, no immediate recall, for a
   * write delegation a space limit of size 0 (the server reserves no space, so the client
   * flushes its writes at CLOSE, as Linux knfsd's NFS4_LIMIT_SIZE of 0 asks since it stopped
   * sending all ones; RFC 8881 §10.4.1), and an ACCESS_ALLOWED ACE with no mask and an empty
   * who for the permissions (the client asks ACCESS, as with Linux knfsd).
   */
  private static void encodeDelegation(Delegation d, XdrEncoder result) {
    result.writeInt(d.write ? OPEN_DELEGATE_WRITE : OPEN_DELEGATE_READ);
    d.stateid().encode(result);
    result.writeBoolean(false);
    if (d.write) {
      result.writeInt(NFS_LIMIT_SIZE).writeHyper(0);
    }
    result.writeInt(0).writeInt(0).writeInt(0).writeString("");
  }

  private static boolean exists(NfsFileSystem fs, Caller caller, Nfs4Handle.Exported dir, String name)
      throws NfsException {
    try {
      fs.lookup(caller, dir.handle(), name);
      return true;
    } catch (NfsException e) {
      if (e.status() == NfsStatus.NOENT) {
        return false;
      }
      throw e;
    }
  }

  private static FileEntry create(NfsFileSystem fs, Caller caller, Nfs4Handle.Exported dir, String name,
      How how, boolean created) throws NfsException {
    return switch (how.mode()) {
      case UNCHECKED4 -> fs.create(caller, dir.handle(), name, CreateMode.UNCHECKED, how.attrs().changes(), 0);
      case GUARDED4 -> fs.create(caller, dir.handle(), name, CreateMode.GUARDED, how.attrs().changes(), 0);
      case EXCLUSIVE4 -> fs.create(caller, dir.handle(), name, CreateMode.EXCLUSIVE, SetAttributes.NONE, how.verifier());
      default -> {
        FileEntry e = fs.create(caller, dir.handle(), name, CreateMode.EXCLUSIVE, SetAttributes.NONE, how.verifier());
        SetAttributes changes = how.attrs().changes();
        if (created && !changes.isEmpty()) {
          yield new FileEntry(e.handle(), fs.setattr(caller, e.handle(), changes, null));
        }
        yield e;
      }
    };
  }

  /**
   * OPEN of what is not a regular file: ISDIR for a directory, SYMLINK for a symbolic link; for
   * another type, WRONG_TYPE in 4.1 (RFC 8881 §18.16.3) and SYMLINK in 4.0, which names it for
   * special files too since the client's arguments were not wrong (RFC 7530 §16.16.6).
   */
  private static void checkType(CompoundContext ctx, FileType type) throws Nfs4Exception {
    switch (type) {
      case REGULAR -> { }
      case DIRECTORY -> throw new Nfs4Exception(Nfs4Status.ISDIR, "OPEN of a directory");
      case SYMLINK -> throw new Nfs4Exception(Nfs4Status.SYMLINK, "OPEN of a symbolic link");
      default -> throw new Nfs4Exception(ctx.minorVersion() == 0 ? Nfs4Status.SYMLINK : Nfs4Status.WRONG_TYPE,
          "OPEN of a " + type);
    }
  }

  /**
   * open_delegation4: none; in 4.1, when the client expressed a wish (RFC 8881 §18.16.3),
   * NONE_EXT with the reason: not wanted, cancelled, or why the grant was refused. Contention
   * and resource refusals promise no later CB_PUSH_DELEG or CB_RECALLABLE_OBJ_AVAIL.
   */
  private static void encodeNoDelegation(int want, DelegationTable.Refusal refusal, XdrEncoder result) {
    if (want == 0) {
      result.writeInt(OPEN_DELEGATE_NONE);
      return;
    }
    result.writeInt(OPEN_DELEGATE_NONE_EXT);
    int why = switch (want) {
      case WANT_NO_DELEG -> WND4_NOT_WANTED;
      case WANT_CANCEL -> WND4_CANCELLED;
      default -> switch (refusal) {
        case OFF -> WND4_NOT_SUPP_FTYPE;
        case WRITE_OFF -> WND4_WRITE_DELEG_NOT_SUPP_FTYPE;
        case RESOURCE -> WND4_RESOURCE;
        case CONTENTION -> WND4_CONTENTION;
        case UPGRADE -> WND4_NOT_SUPP_UPGRADE;
        case DOWNGRADE -> WND4_NOT_SUPP_DOWNGRADE;
      };
    };
    result.writeInt(why);
    if (why == WND4_CONTENTION || why == WND4_RESOURCE) {
      result.writeBoolean(false); // ond_server_will_push_deleg, ond_server_will_signal_avail: no
    }
  }
}
