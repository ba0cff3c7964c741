package dev.jnfs.spi;

/**
 * Every failure a backend may report, each mapping to exactly one NFSv3 status (RFC 1813
 * §2.6) and one NFSv4 status (RFC 7530 §13, RFC 8881 §15). Statuses that exist only in NFSv4
 * carry the nearest NFSv3 status for version 3 clients.
 */
public enum NfsStatus {
  /** Not owner: the caller is not privileged for the operation. */
  PERM(1, 1),
  /** No such file or directory. */
  NOENT(2, 2),
  /** A hard I/O error. */
  IO(5, 5),
  /** No such device or address. */
  NXIO(6, 6),
  /** Permission denied. */
  ACCES(13, 13),
  /** The file already exists. */
  EXIST(17, 17),
  /** An attempt at a cross-device hard link or rename. */
  XDEV(18, 18),
  /** No such device. */
  NODEV(19, 19),
  /** Not a directory where one was required. */
  NOTDIR(20, 20),
  /** A directory where a non-directory was required. */
  ISDIR(21, 21),
  /** An invalid argument or an unsupported operation on this object. */
  INVAL(22, 22),
  /** The file would become too large. */
  FBIG(27, 27),
  /** No space left on the device. */
  NOSPC(28, 28),
  /** A modifying operation on a read-only file system. */
  ROFS(30, 30),
  /** Too many hard links. */
  MLINK(31, 31),
  /** A name is too long. */
  NAMETOOLONG(63, 63),
  /** A directory to remove is not empty. */
  NOTEMPTY(66, 66),
  /** A quota was exceeded. */
  DQUOT(69, 69),
  /** The handle's object no longer exists. */
  STALE(70, 70),
  /** The handle is malformed: not one this backend minted. */
  BADHANDLE(10001, 10001),
  /** A guarded SETATTR's ctime did not match (NFSv3 only; NFSv4 uses NOT_SAME). */
  NOT_SYNC(10002, 10027),
  /** A directory cookie can no longer be resumed. */
  BAD_COOKIE(10003, 10003),
  /** The operation is not supported by this backend. */
  NOTSUPP(10004, 10004),
  /** A buffer or reply limit is too small for even one item. */
  TOOSMALL(10005, 10005),
  /** A server fault not covered by another status. */
  SERVERFAULT(10006, 10006),
  /** An object of a type the server does not support was asked for. */
  BADTYPE(10007, 10007),
  /** The operation would block; the client should retry later (NFS3ERR_JUKEBOX). */
  DELAY(10008, 10008),
  /** A share reservation conflicts (NFSv4). */
  SHARE_DENIED(13, 10015),
  /** An I/O conflicts with a byte-range lock (NFSv4). */
  LOCKED(13, 10012),
  /** A byte-range lock request conflicts with a held lock (NFSv4). */
  DENIED(13, 10010),
  /** A name is not valid for this file system, e.g. reserved on Windows (NFSv4 BADNAME). */
  BADNAME(22, 10041),
  /** A symbolic link where a regular file was required (NFSv4). */
  SYMLINK(22, 10029),
  /** A file is open and cannot be removed or renamed now (NFSv4 FILE_OPEN). */
  FILE_OPEN(13, 10046),
  /** The named extended attribute does not exist (NFSv4.2 NOXATTR, RFC 8276 §8.2). */
  NOXATTR(10004, 10095),
  /** An extended attribute's value is too large to store or return (RFC 8276 §8.2). */
  XATTR2BIG(10004, 10096);

  private final int nfs3Code;
  private final int nfs4Code;

  NfsStatus(int nfs3Code, int nfs4Code) {
    this.nfs3Code = nfs3Code;
    this.nfs4Code = nfs4Code;
  }

  /** @return the nfsstat3 value */
  public int nfs3Code() {
    return nfs3Code;
  }

  /** @return the nfsstat4 value */
  public int nfs4Code() {
    return nfs4Code;
  }
}
