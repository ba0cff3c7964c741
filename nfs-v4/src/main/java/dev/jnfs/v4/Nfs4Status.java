package dev.jnfs.v4;

/**
 * The nfsstat4 values of NFSv4.0, 4.1 and 4.2 (RFC 7531, RFC 5662, RFC 7863 and RFC 8276,
 * {@code enum nfsstat4}), as
 * {@code int} constants named after the XDR without the {@code NFS4ERR_} prefix.
 */
public final class Nfs4Status {
  /** NFS4_OK (0). */
  public static final int OK = 0;
  /** NFS4ERR_PERM (1). */
  public static final int PERM = 1;
  /** NFS4ERR_NOENT (2). */
  public static final int NOENT = 2;
  /** NFS4ERR_IO (5). */
  public static final int IO = 5;
  /** NFS4ERR_NXIO (6). */
  public static final int NXIO = 6;
  /** NFS4ERR_ACCESS (13). */
  public static final int ACCESS = 13;
  /** NFS4ERR_EXIST (17). */
  public static final int EXIST = 17;
  /** NFS4ERR_XDEV (18). */
  public static final int XDEV = 18;
  /** NFS4ERR_NOTDIR (20). */
  public static final int NOTDIR = 20;
  /** NFS4ERR_ISDIR (21). */
  public static final int ISDIR = 21;
  /** NFS4ERR_INVAL (22). */
  public static final int INVAL = 22;
  /** NFS4ERR_FBIG (27). */
  public static final int FBIG = 27;
  /** NFS4ERR_NOSPC (28). */
  public static final int NOSPC = 28;
  /** NFS4ERR_ROFS (30). */
  public static final int ROFS = 30;
  /** NFS4ERR_MLINK (31). */
  public static final int MLINK = 31;
  /** NFS4ERR_NAMETOOLONG (63). */
  public static final int NAMETOOLONG = 63;
  /** NFS4ERR_NOTEMPTY (66). */
  public static final int NOTEMPTY = 66;
  /** NFS4ERR_DQUOT (69). */
  public static final int DQUOT = 69;
  /** NFS4ERR_STALE (70). */
  public static final int STALE = 70;
  /** NFS4ERR_BADHANDLE (10001). */
  public static final int BADHANDLE = 10001;
  /** NFS4ERR_BAD_COOKIE (10003). */
  public static final int BAD_COOKIE = 10003;
  /** NFS4ERR_NOTSUPP (10004). */
  public static final int NOTSUPP = 10004;
  /** NFS4ERR_TOOSMALL (10005). */
  public static final int TOOSMALL = 10005;
  /** NFS4ERR_SERVERFAULT (10006). */
  public static final int SERVERFAULT = 10006;
  /** NFS4ERR_BADTYPE (10007). */
  public static final int BADTYPE = 10007;
  /** NFS4ERR_DELAY (10008). */
  public static final int DELAY = 10008;
  /** NFS4ERR_SAME (10009). */
  public static final int SAME = 10009;
  /** NFS4ERR_DENIED (10010). */
  public static final int DENIED = 10010;
  /** NFS4ERR_EXPIRED (10011). */
  public static final int EXPIRED = 10011;
  /** NFS4ERR_LOCKED (10012). */
  public static final int LOCKED = 10012;
  /** NFS4ERR_GRACE (10013). */
  public static final int GRACE = 10013;
  /** NFS4ERR_FHEXPIRED (10014). */
  public static final int FHEXPIRED = 10014;
  /** NFS4ERR_SHARE_DENIED (10015). */
  public static final int SHARE_DENIED = 10015;
  /** NFS4ERR_WRONGSEC (10016). */
  public static final int WRONGSEC = 10016;
  /** NFS4ERR_CLID_INUSE (10017). */
  public static final int CLID_INUSE = 10017;
  /** NFS4ERR_RESOURCE (10018). */
  public static final int RESOURCE = 10018;
  /** NFS4ERR_MOVED (10019). */
  public static final int MOVED = 10019;
  /** NFS4ERR_NOFILEHANDLE (10020). */
  public static final int NOFILEHANDLE = 10020;
  /** NFS4ERR_MINOR_VERS_MISMATCH (10021). */
  public static final int MINOR_VERS_MISMATCH = 10021;
  /** NFS4ERR_STALE_CLIENTID (10022). */
  public static final int STALE_CLIENTID = 10022;
  /** NFS4ERR_STALE_STATEID (10023). */
  public static final int STALE_STATEID = 10023;
  /** NFS4ERR_OLD_STATEID (10024). */
  public static final int OLD_STATEID = 10024;
  /** NFS4ERR_BAD_STATEID (10025). */
  public static final int BAD_STATEID = 10025;
  /** NFS4ERR_BAD_SEQID (10026). */
  public static final int BAD_SEQID = 10026;
  /** NFS4ERR_NOT_SAME (10027). */
  public static final int NOT_SAME = 10027;
  /** NFS4ERR_LOCK_RANGE (10028). */
  public static final int LOCK_RANGE = 10028;
  /** NFS4ERR_SYMLINK (10029). */
  public static final int SYMLINK = 10029;
  /** NFS4ERR_RESTOREFH (10030). */
  public static final int RESTOREFH = 10030;
  /** NFS4ERR_LEASE_MOVED (10031). */
  public static final int LEASE_MOVED = 10031;
  /** NFS4ERR_ATTRNOTSUPP (10032). */
  public static final int ATTRNOTSUPP = 10032;
  /** NFS4ERR_NO_GRACE (10033). */
  public static final int NO_GRACE = 10033;
  /** NFS4ERR_RECLAIM_BAD (10034). */
  public static final int RECLAIM_BAD = 10034;
  /** NFS4ERR_RECLAIM_CONFLICT (10035). */
  public static final int RECLAIM_CONFLICT = 10035;
  /** NFS4ERR_BADXDR (10036). */
  public static final int BADXDR = 10036;
  /** NFS4ERR_LOCKS_HELD (10037). */
  public static final int LOCKS_HELD = 10037;
  /** NFS4ERR_OPENMODE (10038). */
  public static final int OPENMODE = 10038;
  /** NFS4ERR_BADOWNER (10039). */
  public static final int BADOWNER = 10039;
  /** NFS4ERR_BADCHAR (10040). */
  public static final int BADCHAR = 10040;
  /** NFS4ERR_BADNAME (10041). */
  public static final int BADNAME = 10041;
  /** NFS4ERR_BAD_RANGE (10042). */
  public static final int BAD_RANGE = 10042;
  /** NFS4ERR_LOCK_NOTSUPP (10043). */
  public static final int LOCK_NOTSUPP = 10043;
  /** NFS4ERR_OP_ILLEGAL (10044). */
  public static final int OP_ILLEGAL = 10044;
  /** NFS4ERR_DEADLOCK (10045). */
  public static final int DEADLOCK = 10045;
  /** NFS4ERR_FILE_OPEN (10046). */
  public static final int FILE_OPEN = 10046;
  /** NFS4ERR_ADMIN_REVOKED (10047). */
  public static final int ADMIN_REVOKED = 10047;
  /** NFS4ERR_CB_PATH_DOWN (10048). */
  public static final int CB_PATH_DOWN = 10048;
  /** NFS4ERR_BADIOMODE (10049). */
  public static final int BADIOMODE = 10049;
  /** NFS4ERR_BADLAYOUT (10050). */
  public static final int BADLAYOUT = 10050;
  /** NFS4ERR_BAD_SESSION_DIGEST (10051). */
  public static final int BAD_SESSION_DIGEST = 10051;
  /** NFS4ERR_BADSESSION (10052). */
  public static final int BADSESSION = 10052;
  /** NFS4ERR_BADSLOT (10053). */
  public static final int BADSLOT = 10053;
  /** NFS4ERR_COMPLETE_ALREADY (10054). */
  public static final int COMPLETE_ALREADY = 10054;
  /** NFS4ERR_CONN_NOT_BOUND_TO_SESSION (10055). */
  public static final int CONN_NOT_BOUND_TO_SESSION = 10055;
  /** NFS4ERR_DELEG_ALREADY_WANTED (10056). */
  public static final int DELEG_ALREADY_WANTED = 10056;
  /** NFS4ERR_BACK_CHAN_BUSY (10057). */
  public static final int BACK_CHAN_BUSY = 10057;
  /** NFS4ERR_LAYOUTTRYLATER (10058). */
  public static final int LAYOUTTRYLATER = 10058;
  /** NFS4ERR_LAYOUTUNAVAILABLE (10059). */
  public static final int LAYOUTUNAVAILABLE = 10059;
  /** NFS4ERR_NOMATCHING_LAYOUT (10060). */
  public static final int NOMATCHING_LAYOUT = 10060;
  /** NFS4ERR_RECALLCONFLICT (10061). */
  public static final int RECALLCONFLICT = 10061;
  /** NFS4ERR_UNKNOWN_LAYOUTTYPE (10062). */
  public static final int UNKNOWN_LAYOUTTYPE = 10062;
  /** NFS4ERR_SEQ_MISORDERED (10063). */
  public static final int SEQ_MISORDERED = 10063;
  /** NFS4ERR_SEQUENCE_POS (10064). */
  public static final int SEQUENCE_POS = 10064;
  /** NFS4ERR_REQ_TOO_BIG (10065). */
  public static final int REQ_TOO_BIG = 10065;
  /** NFS4ERR_REP_TOO_BIG (10066). */
  public static final int REP_TOO_BIG = 10066;
  /** NFS4ERR_REP_TOO_BIG_TO_CACHE (10067). */
  public static final int REP_TOO_BIG_TO_CACHE = 10067;
  /** NFS4ERR_RETRY_UNCACHED_REP (10068). */
  public static final int RETRY_UNCACHED_REP = 10068;
  /** NFS4ERR_UNSAFE_COMPOUND (10069). */
  public static final int UNSAFE_COMPOUND = 10069;
  /** NFS4ERR_TOO_MANY_OPS (10070). */
  public static final int TOO_MANY_OPS = 10070;
  /** NFS4ERR_OP_NOT_IN_SESSION (10071). */
  public static final int OP_NOT_IN_SESSION = 10071;
  /** NFS4ERR_HASH_ALG_UNSUPP (10072). */
  public static final int HASH_ALG_UNSUPP = 10072;
  /** NFS4ERR_CLIENTID_BUSY (10074). */
  public static final int CLIENTID_BUSY = 10074;
  /** NFS4ERR_PNFS_IO_HOLE (10075). */
  public static final int PNFS_IO_HOLE = 10075;
  /** NFS4ERR_SEQ_FALSE_RETRY (10076). */
  public static final int SEQ_FALSE_RETRY = 10076;
  /** NFS4ERR_BAD_HIGH_SLOT (10077). */
  public static final int BAD_HIGH_SLOT = 10077;
  /** NFS4ERR_DEADSESSION (10078). */
  public static final int DEADSESSION = 10078;
  /** NFS4ERR_ENCR_ALG_UNSUPP (10079). */
  public static final int ENCR_ALG_UNSUPP = 10079;
  /** NFS4ERR_PNFS_NO_LAYOUT (10080). */
  public static final int PNFS_NO_LAYOUT = 10080;
  /** NFS4ERR_NOT_ONLY_OP (10081). */
  public static final int NOT_ONLY_OP = 10081;
  /** NFS4ERR_WRONG_CRED (10082). */
  public static final int WRONG_CRED = 10082;
  /** NFS4ERR_WRONG_TYPE (10083). */
  public static final int WRONG_TYPE = 10083;
  /** NFS4ERR_DIRDELEG_UNAVAIL (10084). */
  public static final int DIRDELEG_UNAVAIL = 10084;
  /** NFS4ERR_REJECT_DELEG (10085). */
  public static final int REJECT_DELEG = 10085;
  /** NFS4ERR_RETURNCONFLICT (10086). */
  public static final int RETURNCONFLICT = 10086;
  /** NFS4ERR_DELEG_REVOKED (10087). */
  public static final int DELEG_REVOKED = 10087;
  /** NFS4ERR_PARTNER_NOTSUPP (10088). */
  public static final int PARTNER_NOTSUPP = 10088;
  /** NFS4ERR_PARTNER_NO_AUTH (10089). */
  public static final int PARTNER_NO_AUTH = 10089;
  /** NFS4ERR_UNION_NOTSUPP (10090). */
  public static final int UNION_NOTSUPP = 10090;
  /** NFS4ERR_OFFLOAD_DENIED (10091). */
  public static final int OFFLOAD_DENIED = 10091;
  /** NFS4ERR_WRONG_LFS (10092). */
  public static final int WRONG_LFS = 10092;
  /** NFS4ERR_BADLABEL (10093). */
  public static final int BADLABEL = 10093;
  /** NFS4ERR_OFFLOAD_NO_REQS (10094). */
  public static final int OFFLOAD_NO_REQS = 10094;
  /** NFS4ERR_NOXATTR (10095). */
  public static final int NOXATTR = 10095;
  /** NFS4ERR_XATTR2BIG (10096). */
  public static final int XATTR2BIG = 10096;

  private Nfs4Status() {}
}
