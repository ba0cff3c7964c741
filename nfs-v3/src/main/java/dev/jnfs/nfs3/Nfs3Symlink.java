package dev.jnfs.nfs3;

import dev.jnfs.spi.Capability;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.xdr.XdrEncoder;
import java.nio.charset.StandardCharsets;

/**
 * SYMLINK (RFC 1813 §3.3.10): makes a symbolic link whose target is stored verbatim. Targets
 * longer than {@link #MAX_TARGET} bytes (PATH_MAX) answer NAMETOOLONG; backends without
 * symlinks answer NOTSUPP.
 */
final class Nfs3Symlink extends Nfs3Procedure {
  /** The longest target accepted, in bytes. */
  static final int MAX_TARGET = 4096;

  Nfs3Symlink() {
    super("SYMLINK", FailureBody.WCC);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] dir = r.readHandle();
    byte[] rawName = r.readName();
    SetAttributes attributes = Nfs3Xdr.readSattr(r.args());
    byte[] target = r.args().readOpaque(r.args().remaining());
    String name = r.modifyingDirectoryCall(dir, rawName);
    if (!r.fs().capabilities().contains(Capability.SYMLINKS)) {
      throw new NfsException(NfsStatus.NOTSUPP, "backend has no symbolic links");
    }
    if (target.length > MAX_TARGET) {
      throw new NfsException(NfsStatus.NAMETOOLONG, "symlink target of " + target.length + " bytes");
    }
    FileEntry entry =
        r.fs().symlink(r.caller(), r.object(Nfs3Request.FIRST), name,
            new String(target, StandardCharsets.UTF_8), attributes);
    out.writeInt(NFS3_OK);
    r.writeCreated(out, entry);
  }
}
