package dev.jnfs.v4;

import dev.jnfs.protocol.EncodedPages;
import dev.jnfs.protocol.ExportTable;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * READDIR (RFC 7530 §16.24, RFC 8881 §18.23): a page of the current directory with the
 * requested attributes of each entry. The reply never exceeds maxcount (nor what the COMPOUND
 * reply may still hold); when not even one entry fits the answer is TOOSMALL. Cookies 1 and 2
 * are reserved and answer BAD_COOKIE. When an entry's attributes cannot be read, rdattr_error
 * reports it if requested; otherwise the whole READDIR fails.
 *
 * <p>Pseudo directories list the children this client may see, with cookies 3, 4, ...;
 * an export mounted there is listed with the attributes of its root.
 *
 * <p>An entry the backend gives again as the very same instance, at the same position of a
 * page asked for the same attributes, is copied as it was encoded before ({@link
 * EncodedPages}), unless its values depend on more than the entry: a mount point, an entry
 * listed without its handle or attributes (they are looked up, and a failure is its
 * rdattr_error), or attributes the backend is asked for while encoding ({@link
 * Fattr4#dependsOnObjectAlone}).
 */
final class OpReaddir implements Nfs4Operation {
  /** The largest maxcount honoured. */
  static final int MAX_REPLY = 1 << 20;
  /** cookieverf, the final "no more entries" and eof. */
  private static final int FIXED = 8 + 4 + 4;
  private static final int FIRST_COOKIE = 3;
  /**
   * Cookies of mount points listed after an export root's own entries (see {@link
   * #listMounts}); a backend's cookies are assumed to stay below.
   */
  static final long MOUNT_COOKIE_BASE = 0x7FFF_FFFF_FFFF_0000L;

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result)
      throws Nfs4Exception, NfsException {
    long cookie = args.readHyper();
    long verifier = args.readHyper();
    args.readInt(); // dircount: a hint this server does not need
    long maxcount = args.readUnsignedInt();
    Bitmap4 requested = Bitmap4.decode(args);
    Nfs4Handle dir = ctx.currentHandle();
    Fattr4.checkReadable(requested, ctx.minorVersion());
    if (cookie == 1 || cookie == 2) {
      throw new Nfs4Exception(Nfs4Status.BAD_COOKIE, "reserved cookie " + cookie);
    }
    int limit = (int) Math.min(Math.min(maxcount, MAX_REPLY), ctx.replyBudget());
    if (limit < FIXED) {
      throw new Nfs4Exception(Nfs4Status.TOOSMALL, "maxcount " + maxcount);
    }
    Listing listing = new Listing(ctx, result, requested, limit);
    if (dir instanceof Nfs4Handle.Pseudo p) {
      listPseudo(ctx, p.node(), cookie, listing);
    } else {
      listExported(ctx, (Nfs4Handle.Exported) dir, cookie, verifier, requested, listing);
    }
  }

  private static void listPseudo(CompoundContext ctx, PseudoFs.Node node, long cookie, Listing listing)
      throws Nfs4Exception, NfsException {
    long verifier = ctx.pseudoFs().bootTime().toEpochMilli();
    listing.begin(verifier);
    long next = FIRST_COOKIE;
    boolean eof = true;
    for (Map.Entry<String, PseudoFs.Node> e : node.children().entrySet()) {
      long entryCookie = next++;
      PseudoFs.Node child = e.getValue();
      if (entryCookie <= cookie || !child.visibleTo(ctx.call().remoteAddress())) {
        continue;
      }
      if (!listing.add(entryCookie, e.getKey(), () -> pseudoChildSubject(ctx, child))) {
        eof = false;
        break;
      }
    }
    listing.end(eof);
  }

  private static AttrSubject pseudoChildSubject(CompoundContext ctx, PseudoFs.Node child)
      throws NfsException, Nfs4Exception {
    if (child.export() != null) {
      try {
        return AttrSubject.of(ctx,
            new Nfs4Handle.Exported(child.export(), child.export().fileSystem().root()));
      } catch (Nfs4Exception e) {
        // the export wants another flavor or port (WRONGSEC): list the mount point itself,
        // as LOOKUP will tell the client what it needs (RFC 8881 §2.6.3.1.1)
        return AttrSubject.of(ctx, new Nfs4Handle.Pseudo(child));
      }
    }
    return AttrSubject.of(ctx, new Nfs4Handle.Pseudo(child));
  }

  private static void listExported(CompoundContext ctx, Nfs4Handle.Exported dir, long cookie,
      long verifier, Bitmap4 requested, Listing listing) throws Nfs4Exception, NfsException {
    NfsFileSystem fs = dir.export().fileSystem();
    Caller caller = ctx.callerFor(dir.export());
    List<PseudoFs.Node> mounts = mountsBelow(ctx, dir);
    if (cookie >= MOUNT_COOKIE_BASE && !mounts.isEmpty()) {
      listing.begin(verifier);
      listMounts(ctx, dir, caller, mounts, (int) (cookie - MOUNT_COOKIE_BASE) + 1, listing);
      return;
    }
    boolean withAttributes = !requested.isEmpty();
    EntryForm form = Fattr4.dependsOnObjectAlone(requested)
        ? new EntryForm(requested, ctx.minorVersion(), ctx.idMapper().names(), ctx.pseudoFs().table())
        : null;
    long position = cookie;
    long pageVerifier = verifier;
    boolean started = false;
    while (true) {
      int want = Math.max(1, Math.min(512, listing.remaining() / 16));
      DirectoryPage page = fs.readdir(caller, dir.handle(), position, pageVerifier, want, withAttributes);
      if (!started) {
        listing.begin(page.verifier());
        started = true;
      }
      pageVerifier = page.verifier();
      EncodedPages.Key key =
          form == null ? null : new EncodedPages.Key(dir.export().id(), dir.handle(), position, form);
      if (!listPage(ctx, dir, caller, mounts, page, key, listing)) {
        listing.end(false);
        return;
      }
      if (!page.entries().isEmpty()) {
        position = page.entries().getLast().cookie();
      }
      if (page.eof() && !mounts.isEmpty()) {
        listMounts(ctx, dir, caller, mounts, 0, listing);
        return;
      }
      if (page.eof() || page.entries().isEmpty()) {
        listing.end(page.eof());
        return;
      }
    }
  }

  /**
   * What an NFSv4 entry's bytes depend on beside the entry and its export.
   *
   * @param requested the attributes asked for
   * @param minorVersion the minor version (which attributes are supported)
   * @param idNames the id mapper's {@link IdMapper#names}: owner strings
   * @param exports the export table (wire handles)
   */
  private record EntryForm(Bitmap4 requested, int minorVersion, Object idNames, ExportTable exports) {}

  /**
   * Adds a backend page's entries while they fit, copying those its previous listing (for
   * {@code key}, when not null) wrote for the very same instances.
   *
   * @return whether every entry was added
   */
  private static boolean listPage(CompoundContext ctx, Nfs4Handle.Exported dir, Caller caller,
      List<PseudoFs.Node> mounts, DirectoryPage page, EncodedPages.Key key, Listing listing)
      throws Nfs4Exception, NfsException {
    EncodedPages.Page before = key == null ? null : ctx.encodedPages().find(key);
    List<DirectoryEntry> entries = page.entries();
    EncodedPages.Recorder recorder =
        key == null ? null : new EncodedPages.Recorder(listing.out.buffer(), entries.size());
    boolean complete = true;
    for (int k = 0; k < entries.size(); k++) {
      DirectoryEntry entry = entries.get(k);
      PseudoFs.Node mount = mounts.isEmpty() ? null : find(mounts, entry.name());
      boolean listedAgain = mount == null && before != null && before.listed(k, entry);
      boolean copied = listedAgain && before.keepsBytes();
      int mark = listing.out.buffer().writerIndex();
      boolean added = copied ? listing.copy(before.bytes(), before.start(k), before.size(k))
          : listing.add(entry.cookie(), entry.name(), mount == null
              ? () -> entrySubject(ctx, dir, caller, entry)
              : () -> pseudoChildSubject(ctx, mount).mountedOn(entry.fileid()));
      if (!added) {
        complete = false;
        break;
      }
      if (recorder != null) {
        // an entry without its handle or attributes was encoded from what a lookup gave now
        // (or its failure, as rdattr_error)
        boolean reusable = mount == null && entry.handle() != null && entry.attributes() != null;
        recorder.written(reusable ? entry : null, listing.out.buffer().writerIndex() - mark, 0, listedAgain,
            copied);
      }
    }
    if (key != null) {
      ctx.encodedPages().keep(key, before, recorder);
    }
    return complete;
  }

  /**
   * Exports (and pseudo directories leading to exports) mounted directly below an export's
   * root, e.g. {@code /srv} below the export {@code /}: LOOKUP reaches them by name, so the
   * listing shows them too.
   */
  private static List<PseudoFs.Node> mountsBelow(CompoundContext ctx, Nfs4Handle.Exported dir) {
    if (!dir.isExportRoot()) {
      return List.of();
    }
    PseudoFs.Node node = ctx.pseudoFs().nodeOf(dir.export());
    if (node == null) {
      node = ctx.pseudoFs().root();
    }
    List<PseudoFs.Node> visible = new ArrayList<>();
    for (PseudoFs.Node child : node.children().values()) {
      if (child.visibleTo(ctx.call().remoteAddress())) {
        visible.add(child);
      }
    }
    return visible;
  }

  private static PseudoFs.Node find(List<PseudoFs.Node> mounts, String name) {
    for (PseudoFs.Node n : mounts) {
      if (n.name().equals(name)) {
        return n;
      }
    }
    return null;
  }

  /**
   * After the backend's entries: the mount points the backend has no entry for, with cookies
   * {@link #MOUNT_COOKIE_BASE} + their index (names the backend holds were listed with its
   * entries).
   */
  private static void listMounts(CompoundContext ctx, Nfs4Handle.Exported dir, Caller caller,
      List<PseudoFs.Node> mounts, int from, Listing listing) throws Nfs4Exception, NfsException {
    NfsFileSystem fs = dir.export().fileSystem();
    for (int i = Math.max(0, from); i < mounts.size(); i++) {
      PseudoFs.Node mount = mounts.get(i);
      if (existsInBackend(fs, caller, dir, mount.name())) {
        continue;
      }
      if (!listing.add(MOUNT_COOKIE_BASE + i, mount.name(), () -> pseudoChildSubject(ctx, mount))) {
        listing.end(false);
        return;
      }
    }
    listing.end(true);
  }

  private static boolean existsInBackend(NfsFileSystem fs, Caller caller, Nfs4Handle.Exported dir,
      String name) throws NfsException {
    try {
      fs.lookup(caller, dir.handle(), name);
      return true;
    } catch (NfsException e) {
      if (e.status() == dev.jnfs.spi.NfsStatus.NOENT) {
        return false;
      }
      throw e;
    }
  }

  private static AttrSubject entrySubject(CompoundContext ctx, Nfs4Handle.Exported dir, Caller caller,
      DirectoryEntry entry) throws NfsException {
    NfsFileSystem fs = dir.export().fileSystem();
    FileHandle handle = entry.handle();
    FileAttributes attrs = entry.attributes();
    if (handle == null) {
      var found = fs.lookup(caller, dir.handle(), entry.name());
      handle = found.handle();
      attrs = found.attributes();
    } else if (attrs == null) {
      attrs = fs.getattr(caller, handle);
    }
    return AttrSubject.exported(ctx, new Nfs4Handle.Exported(dir.export(), handle), attrs, caller);
  }

  /** Produces an entry's attributes, or fails. */
  @FunctionalInterface
  private interface SubjectSource {
    AttrSubject get() throws NfsException, Nfs4Exception;
  }

  /** Encodes entries while they fit within the limit. */
  private static final class Listing {
    private final CompoundContext ctx;
    final XdrEncoder out;
    private final Bitmap4 requested;
    private final int limit;
    private int start;
    private int count;

    Listing(CompoundContext ctx, XdrEncoder out, Bitmap4 requested, int limit) {
      this.ctx = ctx;
      this.out = out;
      this.requested = requested;
      this.limit = limit;
    }

    void begin(long verifier) {
      start = out.buffer().writerIndex();
      out.writeHyper(verifier);
    }

    int remaining() {
      return limit - (out.buffer().writerIndex() - start) - 8;
    }

    /** @return false when the entry did not fit (nothing of it is left in the reply) */
    boolean add(long cookie, String name, SubjectSource subject) throws Nfs4Exception, NfsException {
      ByteBuf buf = out.buffer();
      int mark = buf.writerIndex();
      out.writeBoolean(true);
      out.writeHyper(cookie);
      out.writeOpaque(name.getBytes(StandardCharsets.UTF_8));
      try {
        Fattr4.encode(ctx, subject.get(), requested, Nfs4Status.OK, out);
      } catch (NfsException | Nfs4Exception e) {
        int status = e instanceof NfsException n ? n.status().nfs4Code() : ((Nfs4Exception) e).status();
        if (!requested.contains(Fattr4.RDATTR_ERROR)) {
          throw e;
        }
        buf.writerIndex(mark);
        out.writeBoolean(true);
        out.writeHyper(cookie);
        out.writeOpaque(name.getBytes(StandardCharsets.UTF_8));
        Bitmap4.of(Fattr4.RDATTR_ERROR).encode(out);
        out.writeInt(4);
        out.writeInt(status);
      }
      // room for the final "no more entries" and eof
      if (buf.writerIndex() - start + 8 > limit) {
        buf.writerIndex(mark);
        if (count == 0) {
          throw new Nfs4Exception(Nfs4Status.TOOSMALL, "no entry fits in " + limit + " bytes");
        }
        return false;
      }
      count++;
      return true;
    }

    /**
     * Adds an entry as encoded before: {@code size} bytes of {@code bytes} from {@code from}.
     *
     * @return false when it did not fit
     */
    boolean copy(byte[] bytes, int from, int size) throws Nfs4Exception {
      ByteBuf buf = out.buffer();
      if (buf.writerIndex() + size - start + 8 > limit) {
        if (count == 0) {
          throw new Nfs4Exception(Nfs4Status.TOOSMALL, "no entry fits in " + limit + " bytes");
        }
        return false;
      }
      buf.writeBytes(bytes, from, size);
      count++;
      return true;
    }

    void end(boolean eof) {
      out.writeBoolean(false);
      out.writeBoolean(eof);
    }
  }

}
