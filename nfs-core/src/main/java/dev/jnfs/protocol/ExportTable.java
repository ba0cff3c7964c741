package dev.jnfs.protocol;

import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.xdr.XdrEncoder;
import java.util.List;
import java.util.Optional;

/**
 * The exports of one server, and the mapping between backend handles and the handles clients
 * hold. A client handle is {@code [version 1][export id, 4 bytes][backend handle]}, at most
 * 61 bytes, within NFSv3's 64. A server changing its exports at run time replaces its table;
 * a handle of an export the new table lacks answers STALE, and one of an export added again
 * under the same path is valid again (the id is the path's). Immutable and thread-safe.
 */
public final class ExportTable {
  /** The first byte of every handle this table makes. */
  static final byte HANDLE_VERSION = 1;
  /** The bytes a client handle adds to the backend handle. */
  public static final int HANDLE_OVERHEAD = 5;

  private final List<Export> exports;
  private final boolean nonBlocking;

  /**
   * @param exports the exports; paths, aliases and ids must be distinct
   * @throws IllegalArgumentException if two exports share an id, or a path or alias of one
   *     names the other too
   */
  public ExportTable(List<Export> exports) {
    this.exports = List.copyOf(exports);
    boolean all = true;
    for (int i = 0; i < this.exports.size(); i++) {
      Export a = this.exports.get(i);
      all &= a.isNonBlocking();
      for (int j = i + 1; j < this.exports.size(); j++) {
        Export b = this.exports.get(j);
        if (a.id() == b.id() || b.answersTo(a.path())
            || (a.alias() != null && b.answersTo(a.alias()))
            || (b.alias() != null && a.answersTo(b.alias()))) {
          throw new IllegalArgumentException("exports " + a + " and " + b + " collide");
        }
      }
    }
    this.nonBlocking = all;
  }

  /**
   * @return whether calls on every export may run on a network thread ({@link
   *     Export#isNonBlocking()})
   */
  public boolean isNonBlocking() {
    return nonBlocking;
  }

  /** @return every export, in the order configured */
  public List<Export> all() {
    return exports;
  }

  /**
   * @param path a path or alias a client asked for
   * @return the export it names
   */
  public Optional<Export> byPath(String path) {
    for (Export e : exports) {
      if (e.answersTo(path)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /**
   * @param export an export of this table
   * @param handle a backend handle of that export
   * @return the handle to give to clients
   */
  public byte[] toWire(Export export, FileHandle handle) {
    byte[] wire = new byte[HANDLE_OVERHEAD + handle.length()];
    place(export, handle, wire, 0);
    return wire;
  }

  /**
   * Writes the handle clients get for a backend handle as an XDR variable-length opaque (an
   * NFSv3 nfs_fh3, an NFSv4 nfs_fh4), with no intermediate array: the bytes are those of
   * {@link #toWire}.
   *
   * @param export an export of this table
   * @param handle a backend handle of that export
   * @param out the block to write to
   */
  public void writeWire(Export export, FileHandle handle, XdrEncoder.Block out) {
    out.writeOpaque(HANDLE_OVERHEAD + handle.length(), (dst, at) -> place(export, handle, dst, at));
  }

  private static void place(Export export, FileHandle handle, byte[] dst, int at) {
    dst[at] = HANDLE_VERSION;
    int id = export.id();
    dst[at + 1] = (byte) (id >>> 24);
    dst[at + 2] = (byte) (id >>> 16);
    dst[at + 3] = (byte) (id >>> 8);
    dst[at + 4] = (byte) id;
    handle.copyTo(dst, at + HANDLE_OVERHEAD);
  }

  /**
   * Takes a client's handle apart.
   *
   * @param wire the handle bytes a client sent
   * @return the export and backend handle
   * @throws NfsException BADHANDLE if the bytes are not a handle of this server's format,
   *     STALE if they name an export this server no longer has
   */
  public ExportHandle fromWire(byte[] wire) throws NfsException {
    if (wire.length <= HANDLE_OVERHEAD || wire.length > HANDLE_OVERHEAD + FileHandle.MAX_LENGTH
        || wire[0] != HANDLE_VERSION) {
      throw new NfsException(NfsStatus.BADHANDLE, "malformed handle of " + wire.length + " bytes");
    }
    int id = (wire[1] & 0xFF) << 24 | (wire[2] & 0xFF) << 16 | (wire[3] & 0xFF) << 8 | wire[4] & 0xFF;
    for (Export e : exports) {
      if (e.id() == id) {
        byte[] backend = new byte[wire.length - HANDLE_OVERHEAD];
        System.arraycopy(wire, HANDLE_OVERHEAD, backend, 0, backend.length);
        return new ExportHandle(e, FileHandle.of(backend));
      }
    }
    throw new NfsException(NfsStatus.STALE, "handle of unknown export " + Integer.toHexString(id));
  }
}
