package dev.jnfs.nfs3;

import dev.jnfs.lock.FileKey;
import dev.jnfs.protocol.DelegationRecalls;
import dev.jnfs.protocol.EncodedPages;
import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ExportHandle;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileEntry;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * One NFSv3 call while it runs: the RPC call, the export and caller its handles resolved to,
 * and the objects (with their pre-operation attributes) whose attributes the reply reports,
 * on success and on failure alike. Not thread-safe; lives for one call.
 *
 * <p>Handles are resolved by {@link #resolve}: the export table takes the client's handle
 * apart (BADHANDLE, STALE), then the export's rules are checked for this call (ACCES, or an
 * AUTH_TOOWEAK rejection that propagates to the RPC layer). Attributes are only ever reported
 * for objects of an export the call was admitted to.
 *
 * <p>Names ({@link #name}): RFC 1813 leaves the treatment of unusable names open. A name
 * longer than the backend's limit answers NAMETOOLONG; an empty name, one containing '/' or
 * NUL, or one that is not valid UTF-8 answers NFS3ERR_ACCES, the one status every
 * name-taking procedure lists in RFC 1813 §3.3, and what the Linux server answers.
 */
final class Nfs3Request {
  /** Slots for the objects a reply reports: the first and the second handle of the call. */
  static final int FIRST = 0;
  static final int SECOND = 1;

  private final RpcCall call;
  private final ServerContext context;
  private final Nfs3Meters meters;
  private final EncodedPages encodedPages;
  private Export export;
  private ExportOptions options;
  private Caller caller;
  private final FileHandle[] objects = new FileHandle[2];
  private final FileAttributes[] before = new FileAttributes[2];

  Nfs3Request(RpcCall call, ServerContext context, Nfs3Meters meters, EncodedPages encodedPages) {
    this.call = call;
    this.context = context;
    this.meters = meters;
    this.encodedPages = encodedPages;
  }

  /** @return the id of the export the call's handles were resolved in */
  int exportId() {
    return export.id();
  }

  /** @return the directory pages the program keeps encoded, shared by its calls */
  EncodedPages encodedPages() {
    return encodedPages;
  }

  /** @return where the program measures bytes and failures */
  Nfs3Meters meters() {
    return meters;
  }

  RpcCall call() {
    return call;
  }

  ServerContext context() {
    return context;
  }

  XdrDecoder args() {
    return call.arguments();
  }

  /** Decodes an nfs_fh3; more than 64 bytes is malformed XDR. */
  byte[] readHandle() {
    return args().readOpaque(Nfs3Xdr.FHSIZE);
  }

  /** Decodes a filename3 as raw bytes; it is checked by {@link #name} once the call is admitted. */
  byte[] readName() {
    // bounded by the bytes present: the decoder checks the length against them first
    return args().readOpaque(args().remaining());
  }

  /**
   * Resolves a client handle and, for the call's first handle, admits the call to the export.
   *
   * @param slot {@link #FIRST} or {@link #SECOND}
   * @param wire the handle as the client sent it
   * @return the backend handle
   * @throws NfsException BADHANDLE, STALE, ACCES, or XDEV for a second handle of another export
   */
  FileHandle resolve(int slot, byte[] wire) throws NfsException {
    ExportHandle eh = context.exports().fromWire(wire);
    if (export == null) {
      Caller c = eh.export().authorize(call);
      OptionalLong received = call.receivedNanos();
      export = eh.export();
      caller = received.isPresent() && Nfs3Program.onlyReads(call.procedure())
          ? c.withReceivedAt(received.getAsLong())
          : c;
      // authorize admitted the client, so some option set applies to it
      options = export.optionsFor(call.remoteAddress()).orElseThrow();
    } else if (eh.export() != export) {
      throw new NfsException(NfsStatus.XDEV, "handles of two exports in one call");
    }
    objects[slot] = eh.handle();
    return eh.handle();
  }

  /**
   * Before a change of a file: recalls the NFSv4 delegations held on it (RFC 8881 §10.4.2).
   *
   * @param file the file, in the call's export
   * @throws NfsException JUKEBOX while a recall runs: the client retries
   */
  void recallDelegations(FileHandle file) throws NfsException {
    DelegationRecalls recalls = context.delegationRecalls();
    if (recalls.anyHeld() && !recalls.recallBeforeChange(new FileKey(export.id(), file))) {
      throw new NfsException(NfsStatus.DELAY, "an NFSv4 delegation of the file is being recalled");
    }
  }

  /**
   * Before a read of a file's data or attributes: recalls the NFSv4 write delegations held on
   * it, whose holder may have written what the server has not seen (RFC 8881 §10.4).
   *
   * @param file the file, in the call's export
   * @throws NfsException JUKEBOX while a recall runs: the client retries
   */
  void recallWriteDelegations(FileHandle file) throws NfsException {
    DelegationRecalls recalls = context.delegationRecalls();
    if (recalls.anyHeld() && !recalls.recallBeforeRead(new FileKey(export.id(), file))) {
      throw new NfsException(NfsStatus.DELAY, "an NFSv4 write delegation of the file is being recalled");
    }
  }

  /**
   * @param file a file of the call's export
   * @return whether an NFSv4 client holds a write delegation of it: the server's attributes
   *     may be behind the holder's, so optional attributes are left out of the answer
   */
  boolean writeDelegated(FileHandle file) {
    DelegationRecalls recalls = context.delegationRecalls();
    return recalls.anyHeld() && recalls.writeDelegated(new FileKey(export.id(), file));
  }

  /**
   * {@link #recallDelegations(FileHandle)} for the file a directory entry names, if it exists;
   * looked up only while some delegation is held.
   *
   * @param dir the directory
   * @param name the entry
   * @throws NfsException JUKEBOX while a recall runs; the lookup's failure other than NOENT
   */
  void recallDelegations(FileHandle dir, String name) throws NfsException {
    if (!context.delegationRecalls().anyHeld()) {
      return;
    }
    FileHandle file;
    try {
      file = fs().lookup(caller, dir, name).handle();
    } catch (NfsException e) {
      if (e.status() == NfsStatus.NOENT) {
        return;
      }
      throw e;
    }
    recallDelegations(file);
  }

  /** @return the export the call was admitted to */
  Export export() {
    return export;
  }

  /** @return the export's options for this call's client */
  ExportOptions options() {
    return options;
  }

  /** @return the caller after the export's squash rules */
  Caller caller() {
    return caller;
  }

  /** @return the export's backend */
  NfsFileSystem fs() {
    return export.fileSystem();
  }

  /** @throws NfsException ROFS when the export is read-only */
  void requireWritable() throws NfsException {
    if (options.readOnly()) {
      throw new NfsException(NfsStatus.ROFS, "export " + export.path() + " is read-only");
    }
  }

  /**
   * Checks and decodes a name (see the class comment for the rules).
   *
   * @param raw the bytes the client sent
   * @return the name
   * @throws NfsException NAMETOOLONG or ACCES
   */
  String name(byte[] raw) throws NfsException {
    if (raw.length > fs().properties().maxNameLength()) {
      throw new NfsException(NfsStatus.NAMETOOLONG, "name of " + raw.length + " bytes");
    }
    if (raw.length == 0) {
      throw new NfsException(NfsStatus.ACCES, "empty name");
    }
    for (byte b : raw) {
      if (b == '/' || b == 0) {
        throw new NfsException(NfsStatus.ACCES, "name contains '/' or NUL");
      }
    }
    boolean ascii = true;
    for (byte b : raw) {
      ascii &= b >= 0;
    }
    if (ascii) {
      return new String(raw, StandardCharsets.US_ASCII);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      throw new NfsException(NfsStatus.ACCES, "name is not UTF-8");
    }
  }

  /**
   * Records an object's attributes before a modifying operation (the pre_op_attr of its
   * wcc_data).
   *
   * @param slot the object's slot
   * @return the attributes
   * @throws NfsException STALE when the object is gone
   */
  FileAttributes preOp(int slot) throws NfsException {
    before[slot] = fs().getattr(caller, objects[slot]);
    return before[slot];
  }

  /**
   * Records attributes the backend reported from just before a modifying operation, as the
   * pre_op_attr of the object's wcc_data.
   *
   * @param slot the object's slot
   * @param attributes the attributes, or null for none
   */
  void recordPreOp(int slot, FileAttributes attributes) {
    before[slot] = attributes;
  }

  /**
   * Reads an object's current attributes for a post_op_attr: null when they cannot be had
   * (the object is gone, or the call was never admitted).
   */
  FileAttributes current(int slot) {
    if (caller == null || objects[slot] == null) {
      return null;
    }
    try {
      return fs().getattr(caller, objects[slot]);
    } catch (NfsException | RuntimeException e) {
      return null;
    }
  }

  /** @return the handle a client gets for a backend handle of this call's export */
  byte[] wire(FileHandle handle) {
    return context.exports().toWire(export, handle);
  }

  /** Writes the post_op_fh3 of a backend handle of this call's export (null: none) into a block. */
  void writePostOpFh(XdrEncoder.Block out, FileHandle handle) {
    if (handle == null) {
      out.writeBoolean(false);
    } else {
      context.exports().writeWire(export, handle, out.writeBoolean(true));
    }
  }

  /** Writes fattr3 for an object of this call's export. */
  void writeAttributes(XdrEncoder out, FileAttributes attributes) {
    Nfs3Xdr.writeFattr(out, attributes, export.id());
  }

  /** Writes a post_op_attr with the given attributes (null: none). */
  void writePostOp(XdrEncoder out, FileAttributes attributes) {
    Nfs3Xdr.writePostOpAttr(out, attributes, export == null ? 0 : export.id());
  }

  /** Writes a post_op_attr with the given attributes (null: none) into a block. */
  void writePostOp(XdrEncoder.Block out, FileAttributes attributes) {
    Nfs3Xdr.writePostOpAttr(out, attributes, export == null ? 0 : export.id());
  }

  /** Writes a post_op_attr with an object's current attributes. */
  void writePostOp(XdrEncoder out, int slot) {
    writePostOp(out, current(slot));
  }

  /**
   * Writes wcc_data for an object: the attributes recorded by {@link #preOp} and the ones
   * after the operation.
   *
   * @param after the attributes after the operation, or null to read them now
   */
  void writeWcc(XdrEncoder out, int slot, FileAttributes after) {
    Nfs3Xdr.writePreOpAttr(out, before[slot]);
    writePostOp(out, after != null ? after : current(slot));
  }

  /**
   * Writes the success body of CREATE, MKDIR, SYMLINK and MKNOD: the new object's handle and
   * attributes, then the directory's wcc_data.
   */
  void writeCreated(XdrEncoder out, FileEntry entry) {
    Nfs3Xdr.writePostOpFh(out, wire(entry.handle()));
    writePostOp(out, entry.attributes());
    writeWcc(out, FIRST, null);
  }

  /**
   * Resolves the directory of a diropargs3, checks the export is writable, checks the name
   * and records the directory's pre-operation attributes: the common start of every procedure
   * that makes or removes a name.
   *
   * @return the checked name
   */
  String modifyingDirectoryCall(byte[] dirHandle, byte[] rawName) throws NfsException {
    resolve(FIRST, dirHandle);
    requireWritable();
    String name = name(rawName);
    preOp(FIRST);
    return name;
  }

  /** @return the backend handle in a slot, once resolved */
  FileHandle object(int slot) {
    return objects[slot];
  }
}
