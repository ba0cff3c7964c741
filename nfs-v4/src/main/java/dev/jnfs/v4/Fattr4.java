package dev.jnfs.v4;

import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.FsStat;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.spi.TimeUpdate;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import dev.jnfs.xdr.XdrException;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.time.Instant;

/**
 * The NFSv4 attributes this server supports (RFC 7530 §5, RFC 8881 §5): their numbers, the
 * encoding of a fattr4 for GETATTR, READDIR and VERIFY, and the decoding of the settable ones
 * for SETATTR, CREATE and OPEN.
 *
 * <p>Supported: the REQUIRED attributes and the RECOMMENDED ones a POSIX-like backend can
 * answer; not {@code acl} (aclsupport answers 0), {@code archive}, {@code hidden}, {@code
 * system}, {@code fs_locations}, {@code mimetype}, quotas, {@code time_backup}, {@code
 * time_create}, the pNFS and retention attributes or (4.2) {@code sec_label}. In 4.2
 * {@code mode_umask} is accepted where an object is created (CREATE, OPEN; SETATTR answers
 * INVAL). GETATTR omits unsupported attributes it
 * is asked for; SETATTR answers ATTRNOTSUPP for them and INVAL for read-only ones.
 */
public final class Fattr4 {
  /** supported_attrs. */ public static final int SUPPORTED_ATTRS = 0;
  /** type. */ public static final int TYPE = 1;
  /** fh_expire_type. */ public static final int FH_EXPIRE_TYPE = 2;
  /** change. */ public static final int CHANGE = 3;
  /** size. */ public static final int SIZE = 4;
  /** link_support. */ public static final int LINK_SUPPORT = 5;
  /** symlink_support. */ public static final int SYMLINK_SUPPORT = 6;
  /** named_attr. */ public static final int NAMED_ATTR = 7;
  /** fsid. */ public static final int FSID = 8;
  /** unique_handles. */ public static final int UNIQUE_HANDLES = 9;
  /** lease_time. */ public static final int LEASE_TIME = 10;
  /** rdattr_error. */ public static final int RDATTR_ERROR = 11;
  /** acl. */ public static final int ACL = 12;
  /** aclsupport. */ public static final int ACLSUPPORT = 13;
  /** cansettime. */ public static final int CANSETTIME = 15;
  /** case_insensitive. */ public static final int CASE_INSENSITIVE = 16;
  /** case_preserving. */ public static final int CASE_PRESERVING = 17;
  /** chown_restricted. */ public static final int CHOWN_RESTRICTED = 18;
  /** filehandle. */ public static final int FILEHANDLE = 19;
  /** fileid. */ public static final int FILEID = 20;
  /** files_avail. */ public static final int FILES_AVAIL = 21;
  /** files_free. */ public static final int FILES_FREE = 22;
  /** files_total. */ public static final int FILES_TOTAL = 23;
  /** homogeneous. */ public static final int HOMOGENEOUS = 26;
  /** maxfilesize. */ public static final int MAXFILESIZE = 27;
  /** maxlink. */ public static final int MAXLINK = 28;
  /** maxname. */ public static final int MAXNAME = 29;
  /** maxread. */ public static final int MAXREAD = 30;
  /** maxwrite. */ public static final int MAXWRITE = 31;
  /** mode. */ public static final int MODE = 33;
  /** no_trunc. */ public static final int NO_TRUNC = 34;
  /** numlinks. */ public static final int NUMLINKS = 35;
  /** owner. */ public static final int OWNER = 36;
  /** owner_group. */ public static final int OWNER_GROUP = 37;
  /** rawdev. */ public static final int RAWDEV = 41;
  /** space_avail. */ public static final int SPACE_AVAIL = 42;
  /** space_free. */ public static final int SPACE_FREE = 43;
  /** space_total. */ public static final int SPACE_TOTAL = 44;
  /** space_used. */ public static final int SPACE_USED = 45;
  /** time_access. */ public static final int TIME_ACCESS = 47;
  /** time_access_set. */ public static final int TIME_ACCESS_SET = 48;
  /** time_delta. */ public static final int TIME_DELTA = 51;
  /** time_metadata. */ public static final int TIME_METADATA = 52;
  /** time_modify. */ public static final int TIME_MODIFY = 53;
  /** time_modify_set. */ public static final int TIME_MODIFY_SET = 54;
  /** mounted_on_fileid. */ public static final int MOUNTED_ON_FILEID = 55;
  /** suppattr_exclcreat (4.1). */ public static final int SUPPATTR_EXCLCREAT = 75;
  /** clone_blksize (4.2, RFC 7862 §12.2.1). */ public static final int CLONE_BLKSIZE = 77;
  /** space_freed (4.2, RFC 7862 §12.2.2). */ public static final int SPACE_FREED = 78;
  /** change_attr_type (4.2, RFC 7862 §12.2.3). */ public static final int CHANGE_ATTR_TYPE = 79;
  /** mode_umask (4.2, RFC 8275 §3). */ public static final int MODE_UMASK = 81;
  /** xattr_support (4.2, RFC 8276 §8.2.1). */ public static final int XATTR_SUPPORT = 82;

  /** fh_expire_type FH4_PERSISTENT. */
  static final int FH4_PERSISTENT = 0;
  /** time_how4 SET_TO_SERVER_TIME4. */
  static final int SET_TO_SERVER_TIME4 = 0;
  /** time_how4 SET_TO_CLIENT_TIME4. */
  static final int SET_TO_CLIENT_TIME4 = 1;
  /** The longest owner or owner_group string accepted. */
  static final int MAX_OWNER_LENGTH = 1024;
  /** The largest attrlist4 accepted in SETATTR, CREATE, OPEN, VERIFY. */
  static final int MAX_ATTRLIST = 64 * 1024;

  /** The attributes of minor version 0 this server supports. */
  public static final Bitmap4 SUPPORTED_V40 = Bitmap4.of(
      SUPPORTED_ATTRS, TYPE, FH_EXPIRE_TYPE, CHANGE, SIZE, LINK_SUPPORT, SYMLINK_SUPPORT,
      NAMED_ATTR, FSID, UNIQUE_HANDLES, LEASE_TIME, RDATTR_ERROR, ACLSUPPORT, CANSETTIME,
      CASE_INSENSITIVE, CASE_PRESERVING, CHOWN_RESTRICTED, FILEHANDLE, FILEID, FILES_AVAIL,
      FILES_FREE, FILES_TOTAL, HOMOGENEOUS, MAXFILESIZE, MAXLINK, MAXNAME, MAXREAD, MAXWRITE,
      MODE, NO_TRUNC, NUMLINKS, OWNER, OWNER_GROUP, RAWDEV, SPACE_AVAIL, SPACE_FREE,
      SPACE_TOTAL, SPACE_USED, TIME_ACCESS, TIME_ACCESS_SET, TIME_DELTA, TIME_METADATA,
      TIME_MODIFY, TIME_MODIFY_SET, MOUNTED_ON_FILEID);
  /** The attributes of minor version 1 this server supports. */
  public static final Bitmap4 SUPPORTED_V41 = SUPPORTED_V40.or(Bitmap4.of(SUPPATTR_EXCLCREAT));
  /**
   * The attributes of minor version 2 this server supports: 4.1's, clone_blksize, space_freed,
   * change_attr_type, mode_umask and xattr_support. Not sec_label (Labeled NFS, RFC 7862 §9).
   */
  public static final Bitmap4 SUPPORTED_V42 = SUPPORTED_V41.or(
      Bitmap4.of(CLONE_BLKSIZE, SPACE_FREED, CHANGE_ATTR_TYPE, MODE_UMASK, XATTR_SUPPORT));
  /** The attributes a client may set (mode_umask only where an object is created). */
  public static final Bitmap4 WRITABLE =
      Bitmap4.of(SIZE, MODE, OWNER, OWNER_GROUP, TIME_ACCESS_SET, TIME_MODIFY_SET, MODE_UMASK);
  /** The attributes that may only be set, never read. */
  static final Bitmap4 WRITE_ONLY = Bitmap4.of(TIME_ACCESS_SET, TIME_MODIFY_SET, MODE_UMASK);
  /** change_attr_type NFS4_CHANGE_TYPE_IS_UNDEFINED. */
  static final int CHANGE_TYPE_IS_UNDEFINED = 4;
  /** The attributes an EXCLUSIVE4_1 create may set (RFC 8881 §5.8.1.14). */
  public static final Bitmap4 EXCLCREAT = Bitmap4.of(SIZE, MODE, OWNER, OWNER_GROUP);
  /** The attributes that need the backend's fsstat. */
  private static final Bitmap4 NEEDS_FSSTAT =
      Bitmap4.of(FILES_AVAIL, FILES_FREE, FILES_TOTAL, SPACE_AVAIL, SPACE_FREE, SPACE_TOTAL);

  private Fattr4() {}

  /**
   * @param minorVersion 0, 1 or 2
   * @return the attributes supported in that minor version
   */
  public static Bitmap4 supported(int minorVersion) {
    return switch (minorVersion) {
      case 0 -> SUPPORTED_V40;
      case 1 -> SUPPORTED_V41;
      default -> SUPPORTED_V42;
    };
  }

  /**
   * @param type an object's kind
   * @return its nfs_ftype4
   */
  public static int ftype(FileType type) {
    return switch (type) {
      case REGULAR -> 1;
      case DIRECTORY -> 2;
      case BLOCK_DEVICE -> 3;
      case CHAR_DEVICE -> 4;
      case SYMLINK -> 5;
      case SOCKET -> 6;
      case FIFO -> 7;
    };
  }

  /**
   * Encodes a fattr4 holding the requested attributes this server supports (RFC 7530 §5:
   * others are left out, and the bitmap says which were returned).
   *
   * @param ctx the COMPOUND
   * @param subject the object
   * @param requested the attributes asked for
   * @param rdattrError the value of rdattr_error (READDIR), NFS4_OK elsewhere
   * @param out where to write the fattr4
   * @throws NfsException when fsstat figures were asked for and the backend fails
   */
  static void encode(CompoundContext ctx, AttrSubject subject, Bitmap4 requested, int rdattrError,
      XdrEncoder out) throws NfsException {
    Bitmap4 returned = requested.and(supported(ctx.minorVersion())).andNot(WRITE_ONLY);
    if (!returned.and(NEEDS_FSSTAT).isEmpty()) {
      subject.fsStat();
    }
    returned.encode(out);
    // the values are staged, so their length (attrlist4's) is known before they are appended
    XdrEncoder.Block values = out.block();
    try {
      for (int a = returned.next(0); a >= 0; a = returned.next(a + 1)) {
        encodeOne(ctx, subject, a, rdattrError, values);
      }
    } catch (NfsException | RuntimeException e) {
      values.discard();
      throw e;
    }
    out.writeInt(values.size());
    values.end();
  }

  /**
   * @return whether the values of the requested attributes depend on the object alone (its
   *     handle, attributes and file system), with nothing asked of the backend while encoding
   *     (the {@code space_*} and {@code files_*} figures are)
   */
  static boolean dependsOnObjectAlone(Bitmap4 requested) {
    return requested.and(NEEDS_FSSTAT).isEmpty();
  }

  private static void encodeOne(CompoundContext ctx, AttrSubject s, int attribute, int rdattrError,
      XdrEncoder.Block out) throws NfsException {
    FileAttributes a = s.attrs;
    switch (attribute) {
      case SUPPORTED_ATTRS -> supported(ctx.minorVersion()).encode(out);
      case TYPE -> out.writeInt(ftype(a.type()));
      case FH_EXPIRE_TYPE -> out.writeInt(FH4_PERSISTENT);
      case CHANGE -> out.writeHyper(a.change());
      case SIZE -> out.writeHyper(a.size());
      case LINK_SUPPORT -> out.writeBoolean(s.hardLinks);
      case SYMLINK_SUPPORT -> out.writeBoolean(s.symlinks);
      case NAMED_ATTR -> out.writeBoolean(false);
      case FSID -> out.writeHyper(s.fsidMajor).writeHyper(s.fsidMinor);
      case UNIQUE_HANDLES -> out.writeBoolean(true);
      case LEASE_TIME -> out.writeInt(ctx.state().leaseTimeSeconds());
      case RDATTR_ERROR -> out.writeInt(rdattrError);
      case ACLSUPPORT -> out.writeInt(0);
      case CANSETTIME -> out.writeBoolean(true);
      case CASE_INSENSITIVE -> out.writeBoolean(s.properties.caseInsensitive());
      case CASE_PRESERVING -> out.writeBoolean(s.properties.casePreserving());
      case CHOWN_RESTRICTED -> out.writeBoolean(s.properties.chownRestricted());
      case FILEHANDLE -> out.writeOpaque(s.handle.toWire(ctx.pseudoFs().table()));
      case FILEID -> out.writeHyper(a.fileid());
      case FILES_AVAIL -> out.writeHyper(s.fsStat().availableFiles());
      case FILES_FREE -> out.writeHyper(s.fsStat().freeFiles());
      case FILES_TOTAL -> out.writeHyper(s.fsStat().totalFiles());
      case HOMOGENEOUS -> out.writeBoolean(true);
      case MAXFILESIZE -> out.writeHyper(s.properties.maxFileSize());
      case MAXLINK -> out.writeInt(s.properties.maxLinkCount());
      case MAXNAME -> out.writeInt(s.properties.maxNameLength());
      case MAXREAD -> out.writeHyper(ctx.server().maxReadSize());
      case MAXWRITE -> out.writeHyper(ctx.server().maxWriteSize());
      case MODE -> out.writeInt(a.mode() & 07777);
      case NO_TRUNC -> out.writeBoolean(true);
      case NUMLINKS -> out.writeInt(a.nlink());
      case OWNER -> out.writeString(ctx.idMapper().ownerOf(a.uid()));
      case OWNER_GROUP -> out.writeString(ctx.idMapper().groupOf(a.gid()));
      case RAWDEV -> out.writeInt(a.rdev().major()).writeInt(a.rdev().minor());
      case SPACE_AVAIL -> out.writeHyper(s.fsStat().availableBytes());
      case SPACE_FREE -> out.writeHyper(s.fsStat().freeBytes());
      case SPACE_TOTAL -> out.writeHyper(s.fsStat().totalBytes());
      case SPACE_USED -> out.writeHyper(a.used());
      case TIME_ACCESS -> time(out, a.atime());
      case TIME_DELTA -> delta(out, s.properties.timeDelta());
      case TIME_METADATA -> time(out, a.ctime());
      case TIME_MODIFY -> time(out, a.mtime());
      case MOUNTED_ON_FILEID -> out.writeHyper(s.mountedOnFileid);
      case SUPPATTR_EXCLCREAT -> EXCLCREAT.encode(out);
      // the SPI has no clone granularity: 0 leaves alignment to CLONE, which answers INVAL
      case CLONE_BLKSIZE -> out.writeInt(0);
      // what removing the object gives back: its space, shared blocks counted as its own
      case SPACE_FREED -> out.writeHyper(a.used());
      // the SPI promises a change attribute that differs after a change, not how it grows
      case CHANGE_ATTR_TYPE -> out.writeInt(CHANGE_TYPE_IS_UNDEFINED);
      case XATTR_SUPPORT -> out.writeBoolean(s.xattrs);
      default -> throw new IllegalStateException("attribute " + attribute + " has no encoder");
    }
  }

  private static void time(XdrEncoder.Block out, Instant t) {
    out.writeHyper(t.getEpochSecond()).writeInt(t.getNano());
  }

  private static void delta(XdrEncoder.Block out, Duration d) {
    out.writeHyper(d.getSeconds()).writeInt(d.getNano());
  }

  /**
   * Checks a bitmap a client asks to read (GETATTR, READDIR): write-only attributes of the
   * minor version cannot be read (RFC 7530 §5.5); one the minor version does not have (mode_umask
   * before 4.2) is unsupported there, and left out like any other.
   *
   * @param requested the bitmap
   * @param minorVersion the COMPOUND's minor version
   * @throws Nfs4Exception INVAL when it names a write-only attribute
   */
  static void checkReadable(Bitmap4 requested, int minorVersion) throws Nfs4Exception {
    if (!requested.and(WRITE_ONLY).and(supported(minorVersion)).isEmpty()) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "write-only attribute requested");
    }
  }

  /**
   * What a client asked to set: the changes for the backend and the attributes named, which
   * SETATTR, CREATE and OPEN answer as {@code attrsset}.
   *
   * @param changes the changes
   * @param attrsset the attributes set
   */
  public record Settable(SetAttributes changes, Bitmap4 attrsset) {}

  /**
   * Decodes a fattr4 of attributes to set (RFC 7530 §16.32, RFC 8881 §18.30).
   *
   * @param ctx the COMPOUND (minor version, id mapping)
   * @param in a decoder at the fattr4
   * @return the changes
   * @throws Nfs4Exception ATTRNOTSUPP for an attribute this server does not support, INVAL for
   *     a read-only attribute or a bad value (an empty owner among them), BADOWNER for an
   *     unknown owner, BADXDR for an
   *     attrlist4 that does not match its bitmap
   */
  public static Settable decodeSettable(CompoundContext ctx, XdrDecoder in) throws Nfs4Exception {
    Bitmap4 bitmap = Bitmap4.decode(in);
    ByteBuf vals = in.readOpaqueSlice(MAX_ATTRLIST);
    if (bitmap.hasUnknownBits() || !bitmap.andNot(supported(ctx.minorVersion())).isEmpty()) {
      throw new Nfs4Exception(Nfs4Status.ATTRNOTSUPP, "unsupported attribute in " + bitmap);
    }
    if (!bitmap.andNot(WRITABLE).isEmpty()) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "read-only attribute in " + bitmap);
    }
    XdrDecoder v = new XdrDecoder(vals);
    Integer mode = null;
    Integer uid = null;
    Integer gid = null;
    Long size = null;
    TimeUpdate atime = TimeUpdate.UNCHANGED;
    TimeUpdate mtime = TimeUpdate.UNCHANGED;
    if (bitmap.contains(SIZE)) {
      size = v.readHyper();
      if (size < 0) {
        throw new Nfs4Exception(Nfs4Status.FBIG, "size beyond 2^63");
      }
    }
    if (bitmap.contains(MODE)) {
      int m = v.readInt();
      if ((m & ~07777) != 0) {
        throw new Nfs4Exception(Nfs4Status.INVAL, "mode " + Integer.toOctalString(m));
      }
      mode = m;
    }
    if (bitmap.contains(OWNER)) {
      uid = ctx.idMapper().uidOf(ownerName(v));
    }
    if (bitmap.contains(OWNER_GROUP)) {
      gid = ctx.idMapper().gidOf(ownerName(v));
    }
    if (bitmap.contains(TIME_ACCESS_SET)) {
      atime = settime(v);
    }
    if (bitmap.contains(TIME_MODIFY_SET)) {
      mtime = settime(v);
    }
    if (bitmap.contains(MODE_UMASK)) {
      mode = modeUmask(v, mode);
    }
    if (v.remaining() != 0) {
      throw new XdrException(v.remaining() + " bytes after the attributes of " + bitmap);
    }
    return new Settable(new SetAttributes(mode, uid, gid, size, atime, mtime), bitmap);
  }

  /**
   * mode_umask (RFC 8275 §3): the mode a create asks for, less the client's umask, for a file
   * system without default ACLs (which is every backend of this SPI).
   *
   * @throws Nfs4Exception INVAL when mode is set too, or for bits beyond 07777
   */
  private static int modeUmask(XdrDecoder v, Integer mode) throws Nfs4Exception {
    int m = v.readInt();
    int umask = v.readInt();
    if (mode != null) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "mode and mode_umask both set");
    }
    if ((m & ~07777) != 0 || (umask & ~0777) != 0) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "mode_umask " + Integer.toOctalString(m) + "/"
          + Integer.toOctalString(umask));
    }
    return m & ~umask;
  }

  /**
   * An owner or owner_group to set. An empty one is neither {@code user@domain} nor a numeric
   * id: INVAL, a bad value (RFC 7530 §16.32), as other servers answer, not BADOWNER, which
   * names a well-formed owner this server does not know (§5.9).
   */
  private static String ownerName(XdrDecoder v) throws Nfs4Exception {
    byte[] name = v.readOpaque(MAX_OWNER_LENGTH);
    if (name.length == 0) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "empty owner");
    }
    return Names.utf8(name);
  }

  private static TimeUpdate settime(XdrDecoder v) throws Nfs4Exception {
    int how = v.readInt();
    if (how == SET_TO_SERVER_TIME4) {
      return TimeUpdate.SERVER_TIME;
    }
    if (how != SET_TO_CLIENT_TIME4) {
      throw new XdrException("time_how4 " + how);
    }
    return TimeUpdate.to(nfstime(v));
  }

  /**
   * @param v a decoder at an nfstime4
   * @return the time
   * @throws Nfs4Exception INVAL when nseconds is 10^9 or more (RFC 7530 §2.2.5)
   */
  static Instant nfstime(XdrDecoder v) throws Nfs4Exception {
    long seconds = v.readHyper();
    long nanos = v.readUnsignedInt();
    if (nanos >= 1_000_000_000L) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "nseconds " + nanos);
    }
    try {
      return Instant.ofEpochSecond(seconds, nanos);
    } catch (java.time.DateTimeException e) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "time out of range");
    }
  }
}
