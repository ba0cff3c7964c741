package dev.jnfs.nfs3;

import dev.jnfs.spi.Capability;
import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.SetAttributes;
import dev.jnfs.xdr.XdrEncoder;

/**
 * MKNOD (RFC 1813 §3.3.11): makes a device, socket or FIFO. Other types answer BADTYPE;
 * backends without special files answer NOTSUPP.
 */
final class Nfs3Mknod extends Nfs3Procedure {
  Nfs3Mknod() {
    super("MKNOD", FailureBody.WCC);
  }

  @Override
  void run(Nfs3Request r, XdrEncoder out) throws NfsException {
    byte[] dir = r.readHandle();
    byte[] rawName = r.readName();
    int ftype = r.args().readInt();
    FileType type = null;
    SetAttributes attributes = SetAttributes.NONE;
    DeviceNumber device = DeviceNumber.NONE;
    switch (ftype) {
      case Nfs3Xdr.NF3CHR, Nfs3Xdr.NF3BLK -> {
        type = ftype == Nfs3Xdr.NF3CHR ? FileType.CHAR_DEVICE : FileType.BLOCK_DEVICE;
        attributes = Nfs3Xdr.readSattr(r.args());
        device = new DeviceNumber(r.args().readInt(), r.args().readInt());
      }
      case Nfs3Xdr.NF3SOCK, Nfs3Xdr.NF3FIFO -> {
        type = ftype == Nfs3Xdr.NF3SOCK ? FileType.SOCKET : FileType.FIFO;
        attributes = Nfs3Xdr.readSattr(r.args());
      }
      default -> {} // the union's default arm is void
    }
    String name = r.modifyingDirectoryCall(dir, rawName);
    if (type == null) {
      throw new NfsException(NfsStatus.BADTYPE, "MKNOD of ftype3 " + ftype);
    }
    if (!r.fs().capabilities().contains(Capability.SPECIAL_FILES)) {
      throw new NfsException(NfsStatus.NOTSUPP, "backend has no special files");
    }
    FileEntry entry =
        r.fs().mknod(r.caller(), r.object(Nfs3Request.FIRST), name, type, attributes, device);
    out.writeInt(NFS3_OK);
    r.writeCreated(out, entry);
  }
}
