package dev.jnfs.v4;

import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ExportTable;
import dev.jnfs.spi.FileHandle;

/**
 * What an NFSv4 filehandle names: an object of an export, or a directory of the
 * pseudo-filesystem that joins the exports under one root (RFC 7530 §7, RFC 8881 §7).
 * Equality is by content, so a handle can key state tables.
 */
public sealed interface Nfs4Handle permits Nfs4Handle.Exported, Nfs4Handle.Pseudo {

  /**
   * @param table the server's export table
   * @return the bytes clients hold (nfs_fh4)
   */
  byte[] toWire(ExportTable table);

  /**
   * An object of an export.
   *
   * @param export the export
   * @param handle the backend's handle
   */
  record Exported(Export export, FileHandle handle) implements Nfs4Handle {
    @Override
    public byte[] toWire(ExportTable table) {
      return table.toWire(export, handle);
    }

    /** @return whether this is the export's root directory */
    public boolean isExportRoot() {
      return handle.equals(export.fileSystem().root());
    }
  }

  /**
   * A directory of the pseudo-filesystem.
   *
   * @param node the directory
   */
  record Pseudo(PseudoFs.Node node) implements Nfs4Handle {
    @Override
    public byte[] toWire(ExportTable table) {
      return node.wireHandle();
    }
  }
}
