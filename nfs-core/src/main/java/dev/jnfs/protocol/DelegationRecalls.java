package dev.jnfs.protocol;

import dev.jnfs.lock.FileKey;

/**
 * The NFSv4 delegations of a server as the other ways into its files see them: NFSv3, and
 * the embedding application, change files without holding a delegation, so before such a
 * change the delegations other clients hold on the file must be recalled (RFC 8881 §10.4.2).
 * Thread-safe; never blocks on a client.
 */
public interface DelegationRecalls {
  /**
   * Starts the recall of every delegation held on {@code file}, unless none is held.
   *
   * @param file the file about to change
   * @return true when no delegation stands in the way and the change may proceed; false
   *     while a recall runs (the caller answers NFS3ERR_JUKEBOX, or tries again later): it
   *     ends with the delegation returned, or revoked one lease after the recall began
   */
  boolean recallBeforeChange(FileKey file);

  /**
   * Starts the recall of the write delegations held on {@code file} before someone other than
   * an NFSv4 client reads its data or attributes (NFSv3 READ and GETATTR): the holder may have
   * written data the server has not seen (RFC 8881 §10.4). Read delegations do not stand in
   * the way of a read.
   *
   * @param file the file about to be read
   * @return true when no write delegation stands in the way; false while a recall runs, as
   *     {@link #recallBeforeChange}
   */
  default boolean recallBeforeRead(FileKey file) {
    return true;
  }

  /**
   * Whether an NFSv4 client holds a write delegation of {@code file}, without recalling it:
   * the attributes the server has may then be behind the holder's (RFC 8881 §10.4.3), so an
   * NFSv3 answer that may leave attributes out (LOOKUP, READDIRPLUS, ACCESS) leaves them out,
   * and the client's GETATTR or READ recalls.
   *
   * @param file the file
   * @return true while a write delegation of the file is held
   */
  default boolean writeDelegated(FileKey file) {
    return false;
  }

  /**
   * @return whether any delegation may be held at all: when false, a protocol may skip the
   *     lookups it would make only to call {@link #recallBeforeChange}
   */
  default boolean anyHeld() {
    return true;
  }

  /** No delegations: every change proceeds. */
  DelegationRecalls NONE = new DelegationRecalls() {
    @Override
    public boolean recallBeforeChange(FileKey file) {
      return true;
    }

    @Override
    public boolean anyHeld() {
      return false;
    }
  };
}
