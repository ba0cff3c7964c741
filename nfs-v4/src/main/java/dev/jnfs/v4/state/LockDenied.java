package dev.jnfs.v4.state;

import dev.jnfs.lock.ByteRange;
import dev.jnfs.lock.LockType;
import dev.jnfs.xdr.XdrEncoder;

/**
 * The holder of a conflicting lock, LOCK4denied (RFC 7530 §16.10): its range, type and
 * owner.
 *
 * @param range the conflicting lock's bytes
 * @param type its type
 * @param clientId the owning client's clientid4
 * @param owner the lock-owner's name
 */
record LockDenied(ByteRange range, LockType type, long clientId, byte[] owner) {

  /** NFSv4 nfs_lock_type4 values. */
  static final int READ_LT = 1;
  static final int WRITE_LT = 2;

  void encode(XdrEncoder out) {
    out.writeHyper(range.offset());
    out.writeHyper(range.length());
    out.writeInt(type == LockType.READ ? READ_LT : WRITE_LT);
    out.writeHyper(clientId);
    out.writeOpaque(owner);
  }
}
