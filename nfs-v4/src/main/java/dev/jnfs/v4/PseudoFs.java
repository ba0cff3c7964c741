package dev.jnfs.v4;

import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ExportTable;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.SecurityFlavor;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * The NFSv4 pseudo-filesystem (RFC 7530 §7.3, RFC 8881 §7.3): the read-only directories that
 * lead from the server's root {@code /} to each export. For exports {@code /data/a} and
 * {@code /srv}, the root holds {@code data} and {@code srv}; {@code data} holds {@code a},
 * which is the root of the export. An export at {@code /} makes the root the export itself.
 * An export with an alias appears at its alias too, so that a client mounting {@code
 * server:/alias} over NFSv4 reaches the export as MOUNT gives it to an NFSv3 client; going up
 * (LOOKUPP) from the export's root leads to the parent of its path. A namespace is built per
 * export table, so exports added or removed at run time appear and disappear with the table.
 *
 * <p>A pseudo directory's handle is {@code [0x80][node id, 4 bytes]}, which can never be
 * mistaken for an {@link ExportTable} handle (first byte 1). Pseudo directories have their own
 * fsid, distinct from every export's. A client sees only the directories leading to exports
 * its address is admitted to. Immutable and thread-safe.
 */
public final class PseudoFs {
  /** The first byte of a pseudo-filesystem handle. */
  static final byte HANDLE_TYPE = (byte) 0x80;
  private static final int HANDLE_LENGTH = 5;

  private final ExportTable table;
  private final java.time.Instant bootTime = java.time.Instant.now();
  private final Node root;
  private final Export rootExport;
  private final Map<Integer, Node> byId = new TreeMap<>();

  /** A pseudo directory, or the place where an export is mounted in the namespace. */
  public static final class Node {
    private final String path;
    private final String name;
    private final Node parent;
    private final int id;
    private final long fileid;
    private final Map<String, Node> children = new TreeMap<>();
    private final List<SecurityFlavor> flavors = new ArrayList<>(4);
    private Export export;

    private Node(String path, String name, Node parent, long fileid) {
      this.path = path;
      this.name = name;
      this.parent = parent;
      this.id = idOf(path);
      this.fileid = fileid;
    }

    /** @return the absolute path, e.g. {@code /data} */
    public String path() {
      return path;
    }

    /** @return the last path component ("" for the root) */
    public String name() {
      return name;
    }

    /** @return the parent directory, or null for the root */
    public Node parent() {
      return parent;
    }

    /** @return the file id of this directory within the pseudo-filesystem */
    public long fileid() {
      return fileid;
    }

    /** @return the export mounted here, or null for a plain pseudo directory */
    public Export export() {
      return export;
    }

    /**
     * The security flavors this pseudo directory may be used with: every flavor of the exports
     * it leads to (RFC 8881 §2.6: the pseudo-filesystem is not a policy boundary of its own),
     * in the order of those exports' paths and of each export's preference.
     *
     * @return the flavors, never empty
     */
    public List<SecurityFlavor> flavors() {
      return Collections.unmodifiableList(flavors);
    }

    /** @return the children by name, in name order */
    public Map<String, Node> children() {
      return Collections.unmodifiableMap(children);
    }

    byte[] wireHandle() {
      return new byte[] {HANDLE_TYPE, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
    }

    /**
     * @param remote a client's address
     * @return whether the node leads to an export that admits the client
     */
    public boolean visibleTo(InetSocketAddress remote) {
      if (export != null) {
        return export.admits(remote);
      }
      for (Node child : children.values()) {
        if (child.visibleTo(remote)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String toString() {
      return "PseudoNode[" + path + "]";
    }
  }

  /**
   * Builds the pseudo-filesystem of an export table.
   *
   * @param table the exports
   */
  public PseudoFs(ExportTable table) {
    this.table = table;
    List<Export> exports = new ArrayList<>(table.all());
    exports.sort((a, b) -> a.path().compareTo(b.path()));
    this.root = new Node("/", "", null, 1);
    byId.put(root.id, root);
    Export atRoot = null;
    List<Mount> mounts = new ArrayList<>();
    for (Export e : exports) {
      mounts.add(new Mount(e.path(), e));
    }
    for (Export e : exports) {
      if (e.alias() != null) {
        mounts.add(new Mount(e.alias(), e));
      }
    }
    for (Mount m : mounts) {
      if (m.at().equals("/")) {
        atRoot = atRoot == null ? m.export() : atRoot;
        continue;
      }
      Node node = root;
      StringBuilder path = new StringBuilder();
      for (String part : m.at().substring(1).split("/")) {
        path.append('/').append(part);
        Node child = node.children.get(part);
        if (child == null) {
          child = new Node(path.toString(), part, node, fileidOf(path.toString()));
          node.children.put(part, child);
          byId.put(child.id, child);
        }
        node = child;
      }
      if (node.export == null) {
        node.export = m.export();
      }
      for (Node n = node; n != null; n = n.parent) {
        for (ExportOptions options : m.export().optionSets()) {
          for (SecurityFlavor f : options.sec()) {
            if (!n.flavors.contains(f)) {
              n.flavors.add(f);
            }
          }
        }
      }
    }
    if (root.flavors.isEmpty()) {
      // no exports (or only one at the root, which stands for the root): an empty namespace
      // is browsable with the default flavor
      root.flavors.addAll(ExportOptions.DEFAULT_SEC);
    }
    this.rootExport = atRoot;
  }

  /** Where an export appears in the namespace: at its path, and at its alias if it has one. */
  private record Mount(String at, Export export) {}

  /**
   * A pseudo directory's file id, derived from its path like its handle, so that it stays the
   * same when exports change at run time (a Linux client takes a changed file id behind a
   * known handle for a server error). The root is 1; the others are above it.
   */
  private static long fileidOf(String path) {
    return Integer.toUnsignedLong(idOf(path)) + 2;
  }

  private static int idOf(String path) {
    CRC32 crc = new CRC32();
    crc.update(path.getBytes(StandardCharsets.UTF_8));
    return (int) crc.getValue();
  }

  /**
   * @param handle a handle of this namespace
   * @param remote the client's address
   * @return the security flavors it may be used with: the {@code sec=} list of the export's
   *     option set for the client (the first set's for a client the export does not admit), or
   *     the pseudo directory's {@link Node#flavors()}
   */
  public static List<SecurityFlavor> flavorsOf(Nfs4Handle handle, InetSocketAddress remote) {
    return switch (handle) {
      case Nfs4Handle.Exported e -> e.export().optionsFor(remote)
          .orElse(e.export().optionSets().get(0)).sec();
      case Nfs4Handle.Pseudo p -> p.node().flavors();
    };
  }

  /** @return the export table this namespace was built from */
  public ExportTable table() {
    return table;
  }

  /** @return when this namespace was built: the times and change of its directories */
  public java.time.Instant bootTime() {
    return bootTime;
  }

  /** @return the pseudo root directory */
  public Node root() {
    return root;
  }

  /** @return the export at {@code /}, or null when the root is a pseudo directory */
  public Export rootExport() {
    return rootExport;
  }

  /**
   * What a client reaches at a node: the root of the export mounted there (the export at
   * {@code /} for the root node), else the pseudo directory itself.
   *
   * @param node a node of this namespace
   * @return the handle it stands for
   */
  public Nfs4Handle handleOf(Node node) {
    Export e = node.export != null ? node.export : node.parent == null ? rootExport : null;
    if (e != null) {
      return new Nfs4Handle.Exported(e, e.fileSystem().root());
    }
    return new Nfs4Handle.Pseudo(node);
  }

  /**
   * @param export an export of the table
   * @return the node of its path, or null for the export at {@code /}
   */
  public Node nodeOf(Export export) {
    if (export.path().equals("/")) {
      return null;
    }
    Node node = root;
    for (String part : export.path().substring(1).split("/")) {
      node = node.children.get(part);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  /**
   * @param wire handle bytes whose first byte is {@link #HANDLE_TYPE}
   * @return the directory named
   * @throws NfsException BADHANDLE for a malformed handle, STALE for an unknown directory
   */
  Node fromWire(byte[] wire) throws NfsException {
    if (wire.length != HANDLE_LENGTH || wire[0] != HANDLE_TYPE) {
      throw new NfsException(NfsStatus.BADHANDLE, "malformed pseudo handle");
    }
    int id = (wire[1] & 0xFF) << 24 | (wire[2] & 0xFF) << 16 | (wire[3] & 0xFF) << 8 | wire[4] & 0xFF;
    Node node = byId.get(id);
    if (node == null) {
      throw new NfsException(NfsStatus.STALE, "unknown pseudo directory");
    }
    return node;
  }

  /**
   * @param wire a handle's bytes
   * @return whether they are in the pseudo-filesystem's format
   */
  static boolean isPseudoHandle(byte[] wire) {
    return wire.length > 0 && wire[0] == HANDLE_TYPE;
  }
}
