package dev.jnfs.v4;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.NfsException;

/**
 * Takes a directory's change attribute before and after a modification, for the change_info4
 * of CREATE, LINK, REMOVE, RENAME and OPEN. The pair is not atomic: another client may change
 * the directory in between.
 */
public final class DirectoryChange {
  private final Nfs4Handle.Exported directory;
  private final Caller caller;
  private final long before;

  private DirectoryChange(Nfs4Handle.Exported directory, Caller caller, long before) {
    this.directory = directory;
    this.caller = caller;
    this.before = before;
  }

  /**
   * Reads the change attribute before the modification.
   *
   * @param directory the directory about to change
   * @param caller who changes it
   * @return the started record
   * @throws NfsException from the backend
   */
  public static DirectoryChange begin(Nfs4Handle.Exported directory, Caller caller) throws NfsException {
    long before = directory.export().fileSystem().getattr(caller, directory.handle()).change();
    return new DirectoryChange(directory, caller, before);
  }

  /**
   * Reads the change attribute after the modification.
   *
   * @return the change_info4
   * @throws NfsException from the backend
   */
  public ChangeInfo end() throws NfsException {
    long after = directory.export().fileSystem().getattr(caller, directory.handle()).change();
    return new ChangeInfo(false, before, after);
  }
}
