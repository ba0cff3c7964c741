package dev.jnfs.v4;

import dev.jnfs.protocol.EncodedPages;
import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcConnection;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.SecurityFlavor;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.NfsException;
import dev.jnfs.xdr.XdrEncoder;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The evaluation state of one COMPOUND (RFC 7530 §15.2, RFC 8881 §16.2.3): the call, the
 * minor version, the current and saved filehandles (and, in 4.1, the current and saved
 * stateids), the caller as each export maps it, and for 4.1 the session slot. One instance per
 * COMPOUND, used by one thread.
 */
public final class CompoundContext {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CompoundContext.class);
  private final RpcCall call;
  private final ServerContext server;
  private final PseudoFs pseudoFs;
  private final Nfs4StateService state;
  private final IdMapper idMapper;
  private final int minorVersion;
  private final int operationCount;
  private final int requestSize;
  private final Nfs4Meters meters;
  private final EncodedPages encodedPages;
  private final Map<Export, Caller> callers = new HashMap<>(4);
  private boolean actsForClient;
  private long clientId;

  private Nfs4Handle current;
  private Nfs4Handle saved;
  private Stateid currentStateid;
  private Stateid savedStateid;
  private int operationIndex;
  private SequenceSlot sequence;
  private byte[] cachedReply;
  private XdrEncoder reply;
  private int replyStart;
  private int replyLimit = Integer.MAX_VALUE;

  CompoundContext(
      RpcCall call,
      ServerContext server,
      PseudoFs pseudoFs,
      Nfs4StateService state,
      IdMapper idMapper,
      int minorVersion,
      int operationCount,
      int requestSize) {
    this(
        call, server, pseudoFs, state, idMapper, minorVersion, operationCount, requestSize,
        Nfs4Meters.NONE, new EncodedPages());
  }

  CompoundContext(
      RpcCall call,
      ServerContext server,
      PseudoFs pseudoFs,
      Nfs4StateService state,
      IdMapper idMapper,
      int minorVersion,
      int operationCount,
      int requestSize,
      Nfs4Meters meters,
      EncodedPages encodedPages) {
    this.meters = meters;
    this.encodedPages = encodedPages;
    this.call = call;
    this.server = server;
    this.pseudoFs = pseudoFs;
    this.state = state;
    this.idMapper = idMapper;
    this.minorVersion = minorVersion;
    this.operationCount = operationCount;
    this.requestSize = requestSize;
  }

  /** @return the program's READDIR entries as last encoded, to copy those listed again */
  EncodedPages encodedPages() {
    return encodedPages;
  }

  /** @return where the program measures operations and bytes */
  Nfs4Meters meters() {
    return meters;
  }

  /** @return the RPC call carrying this COMPOUND */
  public RpcCall call() {
    return call;
  }

  /** @return the server's exports, verifier and limits */
  public ServerContext server() {
    return server;
  }

  /** @return the pseudo-filesystem of the server's current export table */
  public PseudoFs pseudoFs() {
    return pseudoFs;
  }

  /** @return the NFSv4 state service */
  public Nfs4StateService state() {
    return state;
  }

  /** @return the owner/group name translation */
  public IdMapper idMapper() {
    return idMapper;
  }

  /** @return the COMPOUND's minor version (0, 1 or 2) */
  public int minorVersion() {
    return minorVersion;
  }

  /** @return the number of operations the COMPOUND declares */
  public int operationCount() {
    return operationCount;
  }

  /** @return the index of the operation being evaluated (0 for the first) */
  public int operationIndex() {
    return operationIndex;
  }

  /** @return the size in bytes of the COMPOUND4args (for ca_maxrequestsize) */
  public int requestSize() {
    return requestSize;
  }

  void beginOperation(int index) {
    this.operationIndex = index;
  }

  // ---- filehandles

  /**
   * @return the current filehandle
   * @throws Nfs4Exception NOFILEHANDLE when none is set
   */
  public Nfs4Handle currentHandle() throws Nfs4Exception {
    if (current == null) {
      throw new Nfs4Exception(Nfs4Status.NOFILEHANDLE, "no current filehandle");
    }
    return current;
  }

  /**
   * The current filehandle as an exported object, for operations that need the backend.
   *
   * @param statusIfPseudo what to answer when it is a pseudo-filesystem directory (e.g. ROFS
   *     for a modification, ISDIR for READ)
   * @return the exported object
   * @throws Nfs4Exception NOFILEHANDLE, or {@code statusIfPseudo}
   */
  public Nfs4Handle.Exported currentExported(int statusIfPseudo) throws Nfs4Exception {
    if (currentHandle() instanceof Nfs4Handle.Exported e) {
      return e;
    }
    throw new Nfs4Exception(statusIfPseudo, "pseudo-filesystem directory");
  }

  /**
   * Makes {@code handle} the current filehandle, checking the export's rules for this client.
   * The current stateid is cleared (RFC 8881 §16.2.3.1.2).
   *
   * @param handle the new current filehandle
   * @throws Nfs4Exception ACCES when the export does not admit the client, WRONGSEC when it
   *     needs another flavor, a privileged port or TLS (a pseudo directory: when no export
   *     below it allows the call's flavor)
   */
  public void setCurrent(Nfs4Handle handle) throws Nfs4Exception {
    checkAccess(handle);
    current = handle;
    currentStateid = null;
  }

  /**
   * What PUTFH, PUTROOTFH and PUTPUBFH do: {@link #setCurrent}, except that WRONGSEC is
   * answered only when {@link PutFilehandleRules} says the put operation must answer it; else
   * the handle becomes current unchecked, and the operation that follows answers for it
   * (LOOKUP, LOOKUPP, OPEN by name), tells the client what it wants (SECINFO,
   * SECINFO_NO_NAME), or there is none. An exported object is never used unchecked: every
   * operation that reaches the backend asks {@link #callerFor}.
   *
   * @param handle the new current filehandle
   * @param args the decoder, positioned after the operation's arguments
   * @throws Nfs4Exception as {@link #setCurrent}
   */
  public void putCurrent(Nfs4Handle handle, dev.jnfs.xdr.XdrDecoder args) throws Nfs4Exception {
    checkPut(handle, args);
    current = handle;
    currentStateid = null;
  }

  private void checkPut(Nfs4Handle handle, dev.jnfs.xdr.XdrDecoder args) throws Nfs4Exception {
    try {
      checkAccess(handle);
    } catch (Nfs4Exception e) {
      io.netty.buffer.ByteBuf b = args.buffer();
      if (e.status() != Nfs4Status.WRONGSEC
          || PutFilehandleRules.wrongsecIsDue(
              b, b.readerIndex(), operationCount - operationIndex - 1, minorVersion)) {
        throw e;
      }
    }
  }

  /**
   * ACCES or WRONGSEC when this call may not use {@code handle}: the export's rules, or for a
   * pseudo directory the flavors of the exports it leads to.
   */
  private void checkAccess(Nfs4Handle handle) throws Nfs4Exception {
    switch (handle) {
      case Nfs4Handle.Exported e -> callerFor(e.export());
      case Nfs4Handle.Pseudo p -> {
        SecurityFlavor flavor = SecurityFlavor.of(call.credential());
        if (!p.node().flavors().contains(flavor)) {
          log.debug("{} refused for {}: flavor {} not allowed by any export below it",
              p.node().path(), call.remoteAddress(), flavor.optionName());
          throw new Nfs4Exception(Nfs4Status.WRONGSEC,
              "flavor " + flavor.optionName() + " not allowed in " + p.node().path());
        }
      }
    }
  }

  /** Leaves the COMPOUND without a current filehandle (SECINFO in 4.1 consumes it). */
  public void clearCurrent() {
    current = null;
    currentStateid = null;
  }

  /**
   * SAVEFH: the current filehandle (and stateid) become the saved ones.
   *
   * @throws Nfs4Exception NOFILEHANDLE
   */
  public void saveCurrent() throws Nfs4Exception {
    saved = currentHandle();
    savedStateid = currentStateid;
  }

  /**
   * RESTOREFH: the saved filehandle (and stateid) become the current ones. RESTOREFH is a put
   * filehandle operation: the saved handle's security policy is checked again, with the rules
   * of {@link #putCurrent} (RFC 8881 §2.6.3.1.1, RFC 7530 §16.31.5).
   *
   * @param args the decoder, positioned after RESTOREFH
   * @throws Nfs4Exception RESTOREFH when nothing was saved; ACCES or WRONGSEC as {@link
   *     #putCurrent}
   */
  public void restoreSaved(dev.jnfs.xdr.XdrDecoder args) throws Nfs4Exception {
    if (saved == null) {
      throw new Nfs4Exception(Nfs4Status.RESTOREFH, "no saved filehandle");
    }
    checkPut(saved, args);
    current = saved;
    currentStateid = savedStateid;
  }

  /**
   * @return the saved filehandle
   * @throws Nfs4Exception NOFILEHANDLE when none was saved (RFC 7530 §16.9.4, §16.27.4)
   */
  public Nfs4Handle savedHandle() throws Nfs4Exception {
    if (saved == null) {
      throw new Nfs4Exception(Nfs4Status.NOFILEHANDLE, "no saved filehandle");
    }
    return saved;
  }

  /**
   * @param export an export
   * @return the caller as that export maps this call's credential (squashing applied)
   * @throws Nfs4Exception ACCES or WRONGSEC as {@link Export#authorize} decides
   */
  public Caller callerFor(Export export) throws Nfs4Exception {
    Caller c = callers.get(export);
    if (c != null) {
      return c;
    }
    try {
      c = export.authorize(call);
    } catch (NfsException e) {
      throw new Nfs4Exception(e.status().nfs4Code(), e.getMessage());
    } catch (RpcException e) {
      throw new Nfs4Exception(Nfs4Status.WRONGSEC, e.getMessage());
    }
    if (actsForClient) {
      c = c.withNfs4ClientId(clientId);
    }
    callers.put(export, c);
    return c;
  }

  /**
   * @param export an export
   * @return the export's options for this call's client ({@link Export#optionsFor})
   * @throws Nfs4Exception ACCES when the export does not admit the client
   */
  public ExportOptions optionsFor(Export export) throws Nfs4Exception {
    return export.optionsFor(call.remoteAddress()).orElseThrow(() -> new Nfs4Exception(
        Nfs4Status.ACCESS, "client " + call.remoteAddress() + " not admitted to " + export.path()));
  }

  /**
   * @return the caller for the current filehandle's export
   * @throws Nfs4Exception NOFILEHANDLE, or INVAL when it is a pseudo directory
   */
  public Caller caller() throws Nfs4Exception {
    return callerFor(currentExported(Nfs4Status.INVAL).export());
  }

  /**
   * Checks that the current filehandle may be modified.
   *
   * @return the current object
   * @throws Nfs4Exception NOFILEHANDLE, ROFS for a pseudo directory or a read-only export
   */
  public Nfs4Handle.Exported requireWritable() throws Nfs4Exception {
    Nfs4Handle.Exported e = currentExported(Nfs4Status.ROFS);
    if (optionsFor(e.export()).readOnly()) {
      throw new Nfs4Exception(Nfs4Status.ROFS, "export " + e.export().path() + " is read-only");
    }
    return e;
  }

  // ---- stateids (RFC 8881 §16.2.3.1.2)

  /** @return the current stateid, or null when none is set */
  public Stateid currentStateid() {
    return currentStateid;
  }

  /**
   * Sets the current stateid (4.1: after OPEN, LOCK, ...).
   *
   * @param stateid the stateid the operation returned
   */
  public void setCurrentStateid(Stateid stateid) {
    this.currentStateid = stateid;
  }

  /**
   * Replaces the special "current stateid" (4.1) by the current stateid.
   *
   * @param stateid a stateid from an operation's arguments
   * @return the stateid to use
   * @throws Nfs4Exception BAD_STATEID when the current stateid is asked for but not set
   */
  public Stateid resolve(Stateid stateid) throws Nfs4Exception {
    if (minorVersion >= 1 && stateid.equals(Stateid.CURRENT)) {
      if (currentStateid == null) {
        throw new Nfs4Exception(Nfs4Status.BAD_STATEID, "no current stateid");
      }
      return currentStateid;
    }
    return stateid;
  }

  // ---- sessions and the reply (RFC 8881 §2.10.6)

  /**
   * Called by SEQUENCE when it accepted a new request: the rest of the COMPOUND runs in this
   * slot and the processor hands it the finished reply.
   *
   * @param slot the slot
   */
  public void beginSequence(SequenceSlot slot) {
    this.sequence = slot;
    actForClient(slot.clientId());
  }

  /**
   * Names the NFSv4 client the rest of this COMPOUND acts for, once an operation has found it
   * valid: the session's client after SEQUENCE, or a 4.0 client that SETCLIENTID_CONFIRM,
   * OPEN or RENEW named or whose stateid a READ, WRITE or size change carried. Backends see it in {@link Caller#nfs4ClientId()}, and the connection
   * the call came on counts it among its bound clients (RFC 8881 §2.10.3.1 binds connections
   * to a session, and so to its client).
   *
   * @param clientId the client id
   */
  public void actForClient(long clientId) {
    if (actsForClient && this.clientId == clientId) {
      return;
    }
    actsForClient = true;
    this.clientId = clientId;
    callers.replaceAll((export, caller) -> caller.withNfs4ClientId(clientId));
    RpcConnection connection = call.connection();
    if (connection != null) {
      connection.bindNfs4ClientId(clientId);
    }
  }

  /**
   * @return the client {@link #actForClient} named, if any: a 4.0 COMPOUND learns it from an
   *     operation, such as a WRITE under the client's stateid before a GETATTR
   */
  public OptionalLong actingClient() {
    return actsForClient ? OptionalLong.of(clientId) : OptionalLong.empty();
  }

  /** @return the slot set by SEQUENCE, or null (4.0, or a session-less 4.1 COMPOUND) */
  public SequenceSlot sequence() {
    return sequence;
  }

  /**
   * Called by SEQUENCE when the request is a retry of one whose reply is cached: the
   * processor sends those bytes (a whole COMPOUND4res) instead of evaluating anything else.
   *
   * @param compoundReply the cached COMPOUND4res (not copied; must not change afterwards)
   */
  public void replyFromCache(byte[] compoundReply) {
    this.cachedReply = compoundReply;
  }

  byte[] cachedReply() {
    return cachedReply;
  }

  void bindReply(XdrEncoder reply, int start, int limit) {
    this.reply = reply;
    this.replyStart = start;
    this.replyLimit = limit;
  }

  /**
   * How many more bytes the reply may grow by before it exceeds the limit (the session's
   * ca_maxresponsesize in 4.1, the server's bound in 4.0). READ and READDIR shrink what they
   * return to fit.
   *
   * @return the bytes left, at least 0
   */
  public int replyBudget() {
    if (reply == null) {
      return Integer.MAX_VALUE;
    }
    int used = reply.buffer().writerIndex() - replyStart;
    return Math.max(0, replyLimit - used);
  }

  int replyOverflow() {
    return reply == null ? 0 : reply.buffer().writerIndex() - replyStart - replyLimit;
  }

  /**
   * The status for a reply over its limit: RESOURCE in 4.0 (RFC 7530 §15.2.4); in a session
   * REP_TOO_BIG over ca_maxresponsesize, else REP_TOO_BIG_TO_CACHE for a reply to be cached
   * over ca_maxresponsesize_cached (RFC 8881 §2.10.6.4, §18.46.3).
   */
  int overflowStatus() {
    if (sequence == null) {
      return Nfs4Status.RESOURCE;
    }
    int used = reply.buffer().writerIndex() - replyStart;
    return used > sequence.maxResponseSize() ? Nfs4Status.REP_TOO_BIG : Nfs4Status.REP_TOO_BIG_TO_CACHE;
  }
}
