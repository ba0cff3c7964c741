package dev.jnfs.v4.state;

/**
 * One lock-owner's byte-range locks on one file, created from an open of that file. Its seqid
 * starts at 0, so the stateid the first LOCK returns has seqid 1.
 */
final class LockState extends StateObject {
  final LockOwner owner;
  final OpenState open;

  LockState(ClientRecord client, int index, OpenFile file, LockOwner owner, OpenState open) {
    super(client, index, file);
    this.owner = owner;
    this.open = open;
    this.seqid = 0;
  }
}
