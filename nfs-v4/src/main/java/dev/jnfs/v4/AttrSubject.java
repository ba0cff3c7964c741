package dev.jnfs.v4;

import dev.jnfs.protocol.Export;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.FsProperties;
import dev.jnfs.spi.FsStat;
import dev.jnfs.spi.NfsException;
import java.time.Instant;

/**
 * Everything the fattr4 encoder needs about one object: its handle, its attributes, its file
 * system's identity and properties, and where the figures of the {@code space_*} and
 * {@code files_*} attributes come from.
 */
final class AttrSubject {
  /** The fixed fsid of the pseudo-filesystem (major 0, minor 0 is never an export's). */
  static final long PSEUDO_FSID_MAJOR = 0;

  final Nfs4Handle handle;
  final FileAttributes attrs;
  final long fsidMajor;
  final long fsidMinor;
  final long mountedOnFileid;
  final FsProperties properties;
  final boolean hardLinks;
  final boolean symlinks;
  /** Whether the backend has extended attributes (xattr_support). */
  final boolean xattrs;
  private final Export export;
  private final Caller caller;
  private FsStat fsStat;

  private AttrSubject(Nfs4Handle handle, FileAttributes attrs, long fsidMajor, long fsidMinor,
      long mountedOnFileid, FsProperties properties, boolean hardLinks, boolean symlinks,
      boolean xattrs, Export export, Caller caller) {
    this.handle = handle;
    this.attrs = attrs;
    this.fsidMajor = fsidMajor;
    this.fsidMinor = fsidMinor;
    this.mountedOnFileid = mountedOnFileid;
    this.properties = properties;
    this.hardLinks = hardLinks;
    this.symlinks = symlinks;
    this.xattrs = xattrs;
    this.export = export;
    this.caller = caller;
  }

  /**
   * The subject of an object whose attributes are already known (a READDIR entry, the result
   * of a modifying call).
   */
  static AttrSubject exported(CompoundContext ctx, Nfs4Handle.Exported h, FileAttributes attrs, Caller caller) {
    Export export = h.export();
    long mountedOn = attrs.fileid();
    if (h.isExportRoot()) {
      PseudoFs.Node node = ctx.pseudoFs().nodeOf(export);
      if (node != null) {
        mountedOn = node.fileid();
      }
    }
    var caps = export.fileSystem().capabilities();
    return new AttrSubject(h, attrs, Integer.toUnsignedLong(export.id()), attrs.fsid(), mountedOn,
        export.fileSystem().properties(),
        caps.contains(dev.jnfs.spi.Capability.HARD_LINKS),
        caps.contains(dev.jnfs.spi.Capability.SYMLINKS),
        caps.contains(dev.jnfs.spi.Capability.XATTRS), export, caller);
  }

  /**
   * The subject of the current (or any) handle, reading its attributes.
   *
   * @throws NfsException from the backend's getattr
   * @throws Nfs4Exception ACCES / WRONGSEC from the export's rules
   */
  static AttrSubject of(CompoundContext ctx, Nfs4Handle handle) throws NfsException, Nfs4Exception {
    if (handle instanceof Nfs4Handle.Exported e) {
      Caller caller = ctx.callerFor(e.export());
      return exported(ctx, e, e.export().fileSystem().getattr(caller, e.handle()), caller);
    }
    PseudoFs.Node node = ((Nfs4Handle.Pseudo) handle).node();
    return pseudo(handle, node, ctx.pseudoFs().bootTime());
  }

  private static AttrSubject pseudo(Nfs4Handle handle, PseudoFs.Node node, Instant boot) {
    FileAttributes attrs = new FileAttributes(FileType.DIRECTORY, 0555, 2 + node.children().size(),
        0, 0, 4096, 4096, DeviceNumber.NONE, 0, node.fileid(), boot, boot, boot,
        boot.getEpochSecond() * 1_000_000_000L + boot.getNano());
    return new AttrSubject(handle, attrs, PSEUDO_FSID_MAJOR, 0, node.fileid(), FsProperties.POSIX,
        false, false, false, null, null);
  }

  /**
   * @param fileid the fileid of the directory an export is mounted on
   * @return this subject reporting that as its mounted_on_fileid
   */
  AttrSubject mountedOn(long fileid) {
    AttrSubject s = new AttrSubject(handle, attrs, fsidMajor, fsidMinor, fileid, properties,
        hardLinks, symlinks, xattrs, export, caller);
    s.fsStat = fsStat;
    return s;
  }

  /** @return the file system's space and file counts (asked once, then kept) */
  FsStat fsStat() throws NfsException {
    if (fsStat == null) {
      fsStat = export == null
          ? new FsStat(0, 0, 0, 0, 0, 0)
          : export.fileSystem().fsstat(caller, ((Nfs4Handle.Exported) handle).handle());
    }
    return fsStat;
  }
}
