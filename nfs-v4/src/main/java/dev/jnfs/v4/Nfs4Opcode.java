package dev.jnfs.v4;

/**
 * The operation numbers of NFSv4.0, 4.1 and 4.2 (RFC 5662 and RFC 7863, {@code enum nfs_opnum4},
 * with the extended attribute operations of RFC 8276) and their names for logs.
 */
public final class Nfs4Opcode {
  /** OP_ACCESS (3). */
  public static final int ACCESS = 3;
  /** OP_CLOSE (4). */
  public static final int CLOSE = 4;
  /** OP_COMMIT (5). */
  public static final int COMMIT = 5;
  /** OP_CREATE (6). */
  public static final int CREATE = 6;
  /** OP_DELEGPURGE (7). */
  public static final int DELEGPURGE = 7;
  /** OP_DELEGRETURN (8). */
  public static final int DELEGRETURN = 8;
  /** OP_GETATTR (9). */
  public static final int GETATTR = 9;
  /** OP_GETFH (10). */
  public static final int GETFH = 10;
  /** OP_LINK (11). */
  public static final int LINK = 11;
  /** OP_LOCK (12). */
  public static final int LOCK = 12;
  /** OP_LOCKT (13). */
  public static final int LOCKT = 13;
  /** OP_LOCKU (14). */
  public static final int LOCKU = 14;
  /** OP_LOOKUP (15). */
  public static final int LOOKUP = 15;
  /** OP_LOOKUPP (16). */
  public static final int LOOKUPP = 16;
  /** OP_NVERIFY (17). */
  public static final int NVERIFY = 17;
  /** OP_OPEN (18). */
  public static final int OPEN = 18;
  /** OP_OPENATTR (19). */
  public static final int OPENATTR = 19;
  /** OP_OPEN_CONFIRM (20). */
  public static final int OPEN_CONFIRM = 20;
  /** OP_OPEN_DOWNGRADE (21). */
  public static final int OPEN_DOWNGRADE = 21;
  /** OP_PUTFH (22). */
  public static final int PUTFH = 22;
  /** OP_PUTPUBFH (23). */
  public static final int PUTPUBFH = 23;
  /** OP_PUTROOTFH (24). */
  public static final int PUTROOTFH = 24;
  /** OP_READ (25). */
  public static final int READ = 25;
  /** OP_READDIR (26). */
  public static final int READDIR = 26;
  /** OP_READLINK (27). */
  public static final int READLINK = 27;
  /** OP_REMOVE (28). */
  public static final int REMOVE = 28;
  /** OP_RENAME (29). */
  public static final int RENAME = 29;
  /** OP_RENEW (30). */
  public static final int RENEW = 30;
  /** OP_RESTOREFH (31). */
  public static final int RESTOREFH = 31;
  /** OP_SAVEFH (32). */
  public static final int SAVEFH = 32;
  /** OP_SECINFO (33). */
  public static final int SECINFO = 33;
  /** OP_SETATTR (34). */
  public static final int SETATTR = 34;
  /** OP_SETCLIENTID (35). */
  public static final int SETCLIENTID = 35;
  /** OP_SETCLIENTID_CONFIRM (36). */
  public static final int SETCLIENTID_CONFIRM = 36;
  /** OP_VERIFY (37). */
  public static final int VERIFY = 37;
  /** OP_WRITE (38). */
  public static final int WRITE = 38;
  /** OP_RELEASE_LOCKOWNER (39). */
  public static final int RELEASE_LOCKOWNER = 39;
  /** OP_BACKCHANNEL_CTL (40). */
  public static final int BACKCHANNEL_CTL = 40;
  /** OP_BIND_CONN_TO_SESSION (41). */
  public static final int BIND_CONN_TO_SESSION = 41;
  /** OP_EXCHANGE_ID (42). */
  public static final int EXCHANGE_ID = 42;
  /** OP_CREATE_SESSION (43). */
  public static final int CREATE_SESSION = 43;
  /** OP_DESTROY_SESSION (44). */
  public static final int DESTROY_SESSION = 44;
  /** OP_FREE_STATEID (45). */
  public static final int FREE_STATEID = 45;
  /** OP_GET_DIR_DELEGATION (46). */
  public static final int GET_DIR_DELEGATION = 46;
  /** OP_GETDEVICEINFO (47). */
  public static final int GETDEVICEINFO = 47;
  /** OP_GETDEVICELIST (48). */
  public static final int GETDEVICELIST = 48;
  /** OP_LAYOUTCOMMIT (49). */
  public static final int LAYOUTCOMMIT = 49;
  /** OP_LAYOUTGET (50). */
  public static final int LAYOUTGET = 50;
  /** OP_LAYOUTRETURN (51). */
  public static final int LAYOUTRETURN = 51;
  /** OP_SECINFO_NO_NAME (52). */
  public static final int SECINFO_NO_NAME = 52;
  /** OP_SEQUENCE (53). */
  public static final int SEQUENCE = 53;
  /** OP_SET_SSV (54). */
  public static final int SET_SSV = 54;
  /** OP_TEST_STATEID (55). */
  public static final int TEST_STATEID = 55;
  /** OP_WANT_DELEGATION (56). */
  public static final int WANT_DELEGATION = 56;
  /** OP_DESTROY_CLIENTID (57). */
  public static final int DESTROY_CLIENTID = 57;
  /** OP_RECLAIM_COMPLETE (58). */
  public static final int RECLAIM_COMPLETE = 58;
  /** OP_ALLOCATE (59). */
  public static final int ALLOCATE = 59;
  /** OP_COPY (60). */
  public static final int COPY = 60;
  /** OP_COPY_NOTIFY (61). */
  public static final int COPY_NOTIFY = 61;
  /** OP_DEALLOCATE (62). */
  public static final int DEALLOCATE = 62;
  /** OP_IO_ADVISE (63). */
  public static final int IO_ADVISE = 63;
  /** OP_LAYOUTERROR (64). */
  public static final int LAYOUTERROR = 64;
  /** OP_LAYOUTSTATS (65). */
  public static final int LAYOUTSTATS = 65;
  /** OP_OFFLOAD_CANCEL (66). */
  public static final int OFFLOAD_CANCEL = 66;
  /** OP_OFFLOAD_STATUS (67). */
  public static final int OFFLOAD_STATUS = 67;
  /** OP_READ_PLUS (68). */
  public static final int READ_PLUS = 68;
  /** OP_SEEK (69). */
  public static final int SEEK = 69;
  /** OP_WRITE_SAME (70). */
  public static final int WRITE_SAME = 70;
  /** OP_CLONE (71). */
  public static final int CLONE = 71;
  /** OP_GETXATTR (72). */
  public static final int GETXATTR = 72;
  /** OP_SETXATTR (73). */
  public static final int SETXATTR = 73;
  /** OP_LISTXATTRS (74). */
  public static final int LISTXATTRS = 74;
  /** OP_REMOVEXATTR (75). */
  public static final int REMOVEXATTR = 75;
  /** OP_ILLEGAL (10044). */
  public static final int ILLEGAL = 10044;

  /** The highest operation number of minor version 0 (RELEASE_LOCKOWNER). */
  public static final int LAST_V40 = RELEASE_LOCKOWNER;
  /** The highest operation number of minor version 1 (RECLAIM_COMPLETE). */
  public static final int LAST_V41 = RECLAIM_COMPLETE;
  /**
   * The highest operation number of minor version 2 (REMOVEXATTR: RFC 8276 extends RFC 7862's
   * operations up to 75).
   */
  public static final int LAST_V42 = REMOVEXATTR;

  private static final String[] NAMES = new String[LAST_V42 + 1];

  static {
    NAMES[ACCESS] = "ACCESS";
    NAMES[CLOSE] = "CLOSE";
    NAMES[COMMIT] = "COMMIT";
    NAMES[CREATE] = "CREATE";
    NAMES[DELEGPURGE] = "DELEGPURGE";
    NAMES[DELEGRETURN] = "DELEGRETURN";
    NAMES[GETATTR] = "GETATTR";
    NAMES[GETFH] = "GETFH";
    NAMES[LINK] = "LINK";
    NAMES[LOCK] = "LOCK";
    NAMES[LOCKT] = "LOCKT";
    NAMES[LOCKU] = "LOCKU";
    NAMES[LOOKUP] = "LOOKUP";
    NAMES[LOOKUPP] = "LOOKUPP";
    NAMES[NVERIFY] = "NVERIFY";
    NAMES[OPEN] = "OPEN";
    NAMES[OPENATTR] = "OPENATTR";
    NAMES[OPEN_CONFIRM] = "OPEN_CONFIRM";
    NAMES[OPEN_DOWNGRADE] = "OPEN_DOWNGRADE";
    NAMES[PUTFH] = "PUTFH";
    NAMES[PUTPUBFH] = "PUTPUBFH";
    NAMES[PUTROOTFH] = "PUTROOTFH";
    NAMES[READ] = "READ";
    NAMES[READDIR] = "READDIR";
    NAMES[READLINK] = "READLINK";
    NAMES[REMOVE] = "REMOVE";
    NAMES[RENAME] = "RENAME";
    NAMES[RENEW] = "RENEW";
    NAMES[RESTOREFH] = "RESTOREFH";
    NAMES[SAVEFH] = "SAVEFH";
    NAMES[SECINFO] = "SECINFO";
    NAMES[SETATTR] = "SETATTR";
    NAMES[SETCLIENTID] = "SETCLIENTID";
    NAMES[SETCLIENTID_CONFIRM] = "SETCLIENTID_CONFIRM";
    NAMES[VERIFY] = "VERIFY";
    NAMES[WRITE] = "WRITE";
    NAMES[RELEASE_LOCKOWNER] = "RELEASE_LOCKOWNER";
    NAMES[BACKCHANNEL_CTL] = "BACKCHANNEL_CTL";
    NAMES[BIND_CONN_TO_SESSION] = "BIND_CONN_TO_SESSION";
    NAMES[EXCHANGE_ID] = "EXCHANGE_ID";
    NAMES[CREATE_SESSION] = "CREATE_SESSION";
    NAMES[DESTROY_SESSION] = "DESTROY_SESSION";
    NAMES[FREE_STATEID] = "FREE_STATEID";
    NAMES[GET_DIR_DELEGATION] = "GET_DIR_DELEGATION";
    NAMES[GETDEVICEINFO] = "GETDEVICEINFO";
    NAMES[GETDEVICELIST] = "GETDEVICELIST";
    NAMES[LAYOUTCOMMIT] = "LAYOUTCOMMIT";
    NAMES[LAYOUTGET] = "LAYOUTGET";
    NAMES[LAYOUTRETURN] = "LAYOUTRETURN";
    NAMES[SECINFO_NO_NAME] = "SECINFO_NO_NAME";
    NAMES[SEQUENCE] = "SEQUENCE";
    NAMES[SET_SSV] = "SET_SSV";
    NAMES[TEST_STATEID] = "TEST_STATEID";
    NAMES[WANT_DELEGATION] = "WANT_DELEGATION";
    NAMES[DESTROY_CLIENTID] = "DESTROY_CLIENTID";
    NAMES[RECLAIM_COMPLETE] = "RECLAIM_COMPLETE";
    NAMES[ALLOCATE] = "ALLOCATE";
    NAMES[COPY] = "COPY";
    NAMES[COPY_NOTIFY] = "COPY_NOTIFY";
    NAMES[DEALLOCATE] = "DEALLOCATE";
    NAMES[IO_ADVISE] = "IO_ADVISE";
    NAMES[LAYOUTERROR] = "LAYOUTERROR";
    NAMES[LAYOUTSTATS] = "LAYOUTSTATS";
    NAMES[OFFLOAD_CANCEL] = "OFFLOAD_CANCEL";
    NAMES[OFFLOAD_STATUS] = "OFFLOAD_STATUS";
    NAMES[READ_PLUS] = "READ_PLUS";
    NAMES[SEEK] = "SEEK";
    NAMES[WRITE_SAME] = "WRITE_SAME";
    NAMES[CLONE] = "CLONE";
    NAMES[GETXATTR] = "GETXATTR";
    NAMES[SETXATTR] = "SETXATTR";
    NAMES[LISTXATTRS] = "LISTXATTRS";
    NAMES[REMOVEXATTR] = "REMOVEXATTR";
  }

  private Nfs4Opcode() {}

  /**
   * @param opcode an operation number
   * @return its XDR name without the {@code OP_} prefix, or the number for unknown ones
   */
  public static String name(int opcode) {
    if (opcode == ILLEGAL) {
      return "ILLEGAL";
    }
    if (opcode >= 0 && opcode < NAMES.length && NAMES[opcode] != null) {
      return NAMES[opcode];
    }
    return Integer.toString(opcode);
  }
}
