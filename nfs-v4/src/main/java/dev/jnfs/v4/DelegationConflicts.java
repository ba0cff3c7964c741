package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;

/**
 * Recalls the delegations of a file named in a directory before an operation changes it
 * (REMOVE, RENAME of it or over it): the name is looked up only while some delegation is held.
 */
final class DelegationConflicts {
  private DelegationConflicts() {}

  /**
   * @param ctx the COMPOUND
   * @param dir the directory
   * @param caller who calls
   * @param name the entry about to change; nothing happens if it does not exist
   * @throws Nfs4Exception DELAY while a delegation of the file is recalled
   * @throws NfsException the lookup's failure, other than NOENT
   */
  static void recallNamed(CompoundContext ctx, Nfs4Handle.Exported dir, Caller caller, String name)
      throws Nfs4Exception, NfsException {
    if (!ctx.state().holdsDelegations()) {
      return;
    }
    FileEntry entry;
    try {
      entry = dir.export().fileSystem().lookup(caller, dir.handle(), name);
    } catch (NfsException e) {
      if (e.status() == NfsStatus.NOENT) {
        return;
      }
      throw e;
    }
    ctx.state().recallBeforeChange(ctx, new Nfs4Handle.Exported(dir.export(), entry.handle()));
  }
}
