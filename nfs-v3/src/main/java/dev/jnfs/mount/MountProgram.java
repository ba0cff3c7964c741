package dev.jnfs.mount;

import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.server.ClientRange;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.SecurityFlavor;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.xdr.XdrEncoder;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MOUNT protocol, program 100005 versions 1 to 3 (RFC 1813 Appendix I; version 1 from
 * RFC 1094 Appendix A, version 2 being version 1 plus a PATHCONF this server does not offer).
 *
 * <p>MNT finds the export by path or alias, admits the client by the export's rules (ACCES
 * on refusal; an insecure source port on a secure export is an AUTH_TOOWEAK rejection; the
 * call's own flavor is not checked, as clients ask MOUNT with AUTH_SYS for Kerberos mounts too)
 * and answers the export's root handle with the export's {@code sec=} flavors in its order. A path below an export
 * (as libnfs and {@code mount server:/export/sub} ask) is walked from the export's root with
 * one lookup per component as the mounting caller: symbolic links are not followed (NOTDIR),
 * "." and ".." are refused (NOENT), a missing component answers NOENT. A path in no export
 * answers NOENT. Version 1's fhandle is a fixed 32 bytes, for NFS version 2, which this server does
 * not serve; a version 1 MNT still answers the handle zero-padded to 32 bytes when it fits
 * (so tools that only check the status work) and SERVERFAULT when it does not. DUMP lists the
 * mounts recorded at MNT and not yet withdrawn by UMNT or UMNTALL, by client address. EXPORT
 * lists every export with the client ranges it admits. Thread-safe.
 */
public final class MountProgram implements RpcProgram {
  /** The MOUNT program number. */
  public static final int PROGRAM = 100005;

  static final int NULL = 0;
  static final int MNT = 1;
  static final int DUMP = 2;
  static final int UMNT = 3;
  static final int UMNTALL = 4;
  static final int EXPORT = 5;

  static final int MNT3_OK = 0;
  /** MNTPATHLEN: the longest path. */
  static final int MNTPATHLEN = 1024;
  /** FHSIZE of version 1. */
  static final int FHSIZE_V1 = 32;
  /** FHSIZE3. */
  static final int FHSIZE3 = 64;

  private static final Logger log = LoggerFactory.getLogger(MountProgram.class);

  private final ServerContext context;
  private final MountList mounts = new MountList();

  /**
   * @param context the server this program runs in
   */
  public MountProgram(ServerContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  @Override
  public int program() {
    return PROGRAM;
  }

  @Override
  public int lowVersion() {
    return 1;
  }

  /** The RFC 1813 appendix I names of MOUNTPROC3_NULL to MOUNTPROC3_EXPORT (v1 has the same). */
  @Override
  public String procedureName(int version, int procedure) {
    return switch (procedure) {
      case NULL -> "NULL";
      case MNT -> "MNT";
      case DUMP -> "DUMP";
      case UMNT -> "UMNT";
      case UMNTALL -> "UMNTALL";
      case EXPORT -> "EXPORT";
      default -> null;
    };
  }

  @Override
  public int highVersion() {
    return 3;
  }

  @Override
  public void handle(RpcCall call, XdrEncoder out) {
    switch (call.procedure()) {
      case NULL -> {}
      case MNT -> mnt(call, out);
      case DUMP -> dump(out);
      case UMNT -> mounts.remove(host(call), call.arguments().readString(MNTPATHLEN));
      case UMNTALL -> mounts.removeAll(host(call));
      case EXPORT -> export(out);
      default -> throw RpcException.procedureUnavailable(call.procedure());
    }
  }

  /**
   * No MOUNT reply needs the duplicate request cache: UMNT and UMNTALL answer nothing, and a
   * repeated MNT answers what the first did.
   */
  @Override
  public boolean isNonIdempotent(int version, int procedure) {
    return false;
  }

  /** Every MOUNT procedure works on in-memory tables except MNT, which reads the root's handle. */
  @Override
  public boolean isNonBlocking(int version, int procedure) {
    return procedure != MNT;
  }

  private void mnt(RpcCall call, XdrEncoder out) {
    String path = call.arguments().readString(MNTPATHLEN);
    if (!path.startsWith("/")) {
      out.writeInt(NfsStatus.NOENT.nfs3Code());
      return;
    }
    Optional<Export> exact = context.exports().byPath(path);
    Export export = exact.orElseGet(() -> enclosingExport(path));
    if (export == null) {
      log.debug("MNT {} from {}: no such export", path, call.remoteAddress());
      out.writeInt(NfsStatus.NOENT.nfs3Code());
      return;
    }
    FileHandle directory;
    java.util.List<SecurityFlavor> flavors;
    try {
      Caller caller = export.authorize(call);
      flavors = export.optionsFor(call.remoteAddress()).orElseThrow().sec();
      directory = exact.isPresent() ? export.fileSystem().root() : walk(export, caller, path);
    } catch (NfsException e) {
      log.debug("MNT {} from {}: {}", path, call.remoteAddress(), e.status());
      out.writeInt(mountStatus(e.status()));
      return;
    }
    byte[] handle = context.exports().toWire(export, directory);
    if (call.version() == 1 || call.version() == 2) {
      if (handle.length > FHSIZE_V1) {
        log.debug("MNT v{} {}: handle of {} bytes does not fit", call.version(), path, handle.length);
        out.writeInt(NfsStatus.SERVERFAULT.nfs3Code());
        return;
      }
      out.writeInt(MNT3_OK);
      out.writeFixedOpaque(Arrays.copyOf(handle, FHSIZE_V1));
    } else {
      out.writeInt(MNT3_OK);
      out.writeOpaque(handle);
      // auth_flavors: the export's sec= list in its order of preference; Kerberos v5 by its
      // pseudo-flavor (RFC 2623 §2.2), which is what mount.nfs picks a flavor from
      out.writeInt(flavors.size());
      for (SecurityFlavor flavor : flavors) {
        out.writeInt(flavor.mountFlavor());
      }
    }
    mounts.add(host(call), path);
  }

  /** @return the export whose path or alias is the longest proper prefix of {@code path}, or null */
  private Export enclosingExport(String requested) {
    String path = requested.replaceAll("/+", "/");
    Export best = null;
    int bestLength = -1;
    for (Export e : context.exports().all()) {
      for (String prefix : new String[] {e.path(), e.alias()}) {
        if (prefix != null && isBelow(path, prefix) && prefix.length() > bestLength) {
          best = e;
          bestLength = prefix.length();
        }
      }
    }
    return best;
  }

  private static boolean isBelow(String path, String prefix) {
    String base = prefix.equals("/") ? "/" : prefix + "/";
    return path.startsWith(base) && path.length() > base.length();
  }

  /**
   * Finds a directory below an export's root, one LOOKUP per component as the mounting
   * caller, never following symbolic links and never accepting "." or "..".
   */
  private static FileHandle walk(Export export, Caller caller, String requested) throws NfsException {
    String path = requested.replaceAll("/+", "/");
    String prefix = isBelow(path, export.path()) ? export.path() : export.alias();
    String rest = path.substring(prefix.length());
    NfsFileSystem fs = export.fileSystem();
    FileHandle current = fs.root();
    for (String component : rest.split("/")) {
      if (component.isEmpty()) {
        continue;
      }
      if (component.equals(".") || component.equals("..")) {
        throw new NfsException(NfsStatus.NOENT, "'" + component + "' in a mount path");
      }
      FileEntry entry = fs.lookup(caller, current, component);
      if (entry.attributes().type() != FileType.DIRECTORY) {
        throw new NfsException(NfsStatus.NOTDIR, component + " is not a directory");
      }
      current = entry.handle();
    }
    return current;
  }

  /** Maps a backend status to a mountstat3: the values MOUNT shares with NFS, else SERVERFAULT. */
  private static int mountStatus(NfsStatus status) {
    return switch (status) {
      case PERM, NOENT, IO, ACCES, NOTDIR, INVAL, NAMETOOLONG, NOTSUPP -> status.nfs3Code();
      default -> NfsStatus.SERVERFAULT.nfs3Code();
    };
  }

  private void dump(XdrEncoder out) {
    for (MountList.Mount m : mounts.snapshot()) {
      out.writeBoolean(true);
      out.writeString(m.host());
      out.writeString(m.path());
    }
    out.writeBoolean(false);
  }

  private void export(XdrEncoder out) {
    for (Export e : context.exports().all()) {
      out.writeBoolean(true);
      out.writeString(e.path());
      for (ExportOptions options : e.optionSets()) {
        for (ClientRange range : options.clients()) {
          out.writeBoolean(true);
          out.writeString(range.toString());
        }
      }
      out.writeBoolean(false);
    }
    out.writeBoolean(false);
  }

  private static String host(RpcCall call) {
    return call.remoteAddress().getAddress().getHostAddress();
  }
}
