package dev.jnfs.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link Access#grantedByMode} and {@link SetAttributes#checkPermission}. */
class PermissionHelpersTest {
  static final Caller OWNER = Caller.of(1000, 1000);
  static final Caller GROUPMATE = Caller.of(2000, 2000, 100);
  static final Caller OTHER = Caller.of(3000, 3000);
  static final Caller ROOT = Caller.of(0, 0);

  static FileAttributes file(int mode) {
    return FileAttributes.builder(FileType.REGULAR, 1).mode(mode).owner(1000, 100).build();
  }

  static FileAttributes dir(int mode) {
    return FileAttributes.builder(FileType.DIRECTORY, 1).mode(mode).owner(1000, 100).build();
  }

  @Test
  void theFirstMatchingClassDecides() {
    int fileBits = Access.READ | Access.MODIFY | Access.EXTEND | Access.EXECUTE;
    assertEquals(Access.READ | Access.MODIFY | Access.EXTEND,
        Access.grantedByMode(OWNER, file(0640), Access.ALL));
    assertEquals(Access.READ, Access.grantedByMode(GROUPMATE, file(0640), Access.ALL));
    assertEquals(0, Access.grantedByMode(OTHER, file(0640), Access.ALL));
    assertEquals(0, Access.grantedByMode(OWNER, file(0077), Access.ALL), "owner bits count alone");
    assertEquals(fileBits, Access.grantedByMode(OWNER, file(0700), Access.ALL));
    assertEquals(Access.READ, Access.grantedByMode(OWNER, file(0700), Access.READ), "a subset");
  }

  @Test
  void directoriesGrantLookupAndDeleteFilesExecute() {
    int dirBits = Access.READ | Access.LOOKUP | Access.MODIFY | Access.EXTEND | Access.DELETE;
    assertEquals(dirBits, Access.grantedByMode(OWNER, dir(0700), Access.ALL));
    assertEquals(Access.READ | Access.LOOKUP, Access.grantedByMode(OTHER, dir(0755), Access.ALL));
  }

  @Test
  void theSuperuserHoldsAllButExecuteOfAFileNoOneMayExecute() {
    assertEquals(Access.READ | Access.MODIFY | Access.EXTEND,
        Access.grantedByMode(ROOT, file(0000), Access.ALL));
    assertEquals(Access.READ | Access.MODIFY | Access.EXTEND | Access.EXECUTE,
        Access.grantedByMode(ROOT, file(0001), Access.ALL));
    assertEquals(Access.ALL & ~Access.EXECUTE, Access.grantedByMode(ROOT, dir(0000), Access.ALL));
  }

  static void assertRefused(NfsStatus status, Caller caller, SetAttributes changes, FileAttributes a) {
    NfsException e = assertThrows(NfsException.class, () -> changes.checkPermission(caller, a));
    assertEquals(status, e.status());
  }

  static SetAttributes times(TimeUpdate t) {
    return new SetAttributes(null, null, null, null, t, TimeUpdate.UNCHANGED);
  }

  @Test
  void setattrRulesFollowTheContract() throws NfsException {
    FileAttributes shared = file(0666);
    SetAttributes.mode(0600).checkPermission(OWNER, shared);
    assertRefused(NfsStatus.PERM, OTHER, SetAttributes.mode(0600), shared);
    SetAttributes chown = new SetAttributes(null, 3000, null, null, TimeUpdate.UNCHANGED, TimeUpdate.UNCHANGED);
    assertRefused(NfsStatus.PERM, OWNER, chown, shared);
    chown.checkPermission(ROOT, shared);
    SetAttributes chgrp = new SetAttributes(null, null, 100, null, TimeUpdate.UNCHANGED, TimeUpdate.UNCHANGED);
    assertRefused(NfsStatus.PERM, OWNER, chgrp, shared);
    chgrp.checkPermission(Caller.of(1000, 1000, 100), shared);
    assertRefused(NfsStatus.PERM, GROUPMATE, chgrp, shared);
    times(TimeUpdate.SERVER_TIME).checkPermission(OTHER, shared);
    assertRefused(NfsStatus.ACCES, OTHER, times(TimeUpdate.SERVER_TIME), file(0644));
    assertRefused(NfsStatus.PERM, OTHER, times(TimeUpdate.to(Instant.EPOCH)), shared);
    times(TimeUpdate.to(Instant.EPOCH)).checkPermission(OWNER, file(0000));
    SetAttributes.size(0).checkPermission(OTHER, shared);
    SetAttributes.size(0).checkPermission(OWNER, file(0400));
    assertRefused(NfsStatus.ACCES, OTHER, SetAttributes.size(0), file(0644));
    new SetAttributes(0, 3000, 3000, 0L, TimeUpdate.to(Instant.EPOCH), TimeUpdate.SERVER_TIME)
        .checkPermission(ROOT, file(0000));
  }
}
