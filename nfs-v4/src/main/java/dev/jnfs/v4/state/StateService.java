package dev.jnfs.v4.state;

import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.OpenContext;
import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Handle;
import dev.jnfs.v4.Nfs4Opcode;
import dev.jnfs.v4.Nfs4StateService;
import dev.jnfs.v4.OperationRegistry;
import dev.jnfs.v4.Stateid;

/**
 * The {@link Nfs4StateService} backed by a {@link StateEngine}: validates the stateids of
 * READ, WRITE and size changes, runs asynchronous copies ({@link CopyTable}), reports the
 * lease, and registers the stateful operations.
 */
final class StateService implements Nfs4StateService {
  private final StateEngine engine;

  StateService(StateEngine engine) {
    this.engine = engine;
  }

  StateEngine engine() {
    return engine;
  }

  @Override
  public OpenContext checkIo(CompoundContext ctx, Stateid stateid, Nfs4Handle.Exported file, Io io,
      long offset, long length) throws Nfs4Exception {
    ClientRecord caller = StateOps.callerClient(ctx);
    OpenContext open = engine.stateids.checkIo(caller, stateid, StateOps.file(file), io != Io.READ);
    if (engine.delegations.any()) {
      // a change by anyone but a delegation's holder recalls it, a read only a write
      // delegation (RFC 8881 §10.4.2); the holder's own I/O never does
      ClientRecord user = caller != null ? caller : clientOf(stateid);
      if (io == Io.READ) {
        engine.delegations.recallBeforeRead(user, StateOps.file(file));
      } else {
        engine.delegations.recallConflicting(user, StateOps.file(file));
      }
    }
    if (ctx.minorVersion() == 0 && !stateid.isAnonymousOrBypass()) {
      // a valid 4.0 open or lock stateid names its client: the I/O acts for it
      ctx.actForClient(StateIds.clientIdOf(stateid));
    }
    return open;
  }

  @Override
  public void recallBeforeChange(CompoundContext ctx, Nfs4Handle.Exported file) throws Nfs4Exception {
    engine.delegations.recallConflicting(StateOps.callerClient(ctx), StateOps.file(file));
  }

  @Override
  public void recallBeforeChange(CompoundContext ctx, Nfs4Handle.Exported file, Stateid stateid)
      throws Nfs4Exception {
    ClientRecord caller = StateOps.callerClient(ctx);
    engine.delegations.recallConflicting(caller != null ? caller : clientOf(stateid), StateOps.file(file));
  }

  /**
   * The 4.0 client a stateid names, when it is one of its current states (4.0 COMPOUNDs carry
   * no client otherwise); null for a special or unknown stateid.
   */
  private ClientRecord clientOf(Stateid stateid) {
    if (stateid.isSpecial()) {
      return null;
    }
    int[] parts = StateIds.parts(stateid);
    ClientRecord c = parts[0] == engine.clients.boot ? engine.clients.get(parts[1]) : null;
    return c != null && c.states.get(parts[2]) != null ? c : null;
  }

  @Override
  public Stateid startCopy(CompoundContext ctx, Nfs4Handle.Exported destination, OffloadedCopy copy)
      throws Nfs4Exception {
    StateOps.sessionClient(ctx);
    return engine.copies.start(((SessionSlot) ctx.sequence()).session, StateOps.file(destination), copy);
  }

  @Override
  public OffloadStatus offloadStatus(CompoundContext ctx, Stateid stateid, Nfs4Handle.Exported file)
      throws Nfs4Exception {
    return engine.copies.status(StateOps.sessionClient(ctx), stateid, StateOps.file(file));
  }

  @Override
  public void offloadCancel(CompoundContext ctx, Stateid stateid, Nfs4Handle.Exported file)
      throws Nfs4Exception {
    engine.copies.cancel(StateOps.sessionClient(ctx), stateid, StateOps.file(file));
  }

  @Override
  public boolean holdsDelegations() {
    return engine.delegations.any();
  }

  /**
   * Asks a write delegation's holder (CB_GETATTR) only on a virtual thread, which may wait for
   * the answer: COMPOUNDs run on such workers while a write delegation is held ({@link
   * #mayBlock}), but one admitted to the event loop just before the first was granted, or run by
   * an embedder's executor of platform threads, recalls the delegation instead, which RFC 8881
   * §10.4.3 allows and which never blocks.
   */
  @Override
  public FileAttributes attributesOf(CompoundContext ctx, Nfs4Handle.Exported file, FileAttributes atServer)
      throws Nfs4Exception {
    if (!engine.delegations.anyWrite()) {
      return atServer;
    }
    ClientRecord caller = StateOps.callerClient(ctx);
    if (caller == null && ctx.actingClient().isPresent()) {
      // 4.0: a client the COMPOUND acts for (its WRITE, OPEN, RENEW) is the caller
      long id = ctx.actingClient().getAsLong();
      ClientRecord c = engine.clients.get(StateIds.indexOf(id));
      caller = c != null && c.clientId() == id ? c : null;
    }
    return engine.delegations.presentedAttributes(caller, StateOps.file(file), atServer,
        Thread.currentThread().isVirtual());
  }

  @Override
  public int leaseTimeSeconds() {
    return engine.leaseTimeSeconds();
  }

  /**
   * @return true with stable client records (a client's first OPEN or LOCK writes to disk), and
   *     while a write delegation is held (another client's GETATTR waits for CB_GETATTR)
   */
  @Override
  public boolean mayBlock() {
    return engine.stable.durable() || mayBlockReads();
  }

  @Override
  public boolean mayBlockReads() {
    return engine.delegations.anyWrite();
  }

  @Override
  public void close() {
    engine.close();
  }

  @Override
  public void registerOperations(OperationRegistry r) {
    r.register(Nfs4Opcode.SETCLIENTID, 0, 0, new OpSetclientid(engine.clientIds));
    r.register(Nfs4Opcode.SETCLIENTID_CONFIRM, 0, 0, new OpSetclientidConfirm(engine.clientIds));
    r.register(Nfs4Opcode.RENEW, 0, 0, new OpRenew(engine.clientIds));
    r.register(Nfs4Opcode.RELEASE_LOCKOWNER, 0, 0, new OpReleaseLockowner(engine));
    r.register(Nfs4Opcode.OPEN_CONFIRM, 0, 0, new OpOpenConfirm(engine));
    r.register(Nfs4Opcode.OPEN, 0, new OpOpen(engine));
    r.register(Nfs4Opcode.OPEN_DOWNGRADE, 0, new OpOpenDowngrade(engine));
    r.register(Nfs4Opcode.CLOSE, 0, new OpClose(engine));
    r.register(Nfs4Opcode.LOCK, 0, new OpLock(engine));
    r.register(Nfs4Opcode.LOCKT, 0, new OpLockt(engine));
    r.register(Nfs4Opcode.LOCKU, 0, new OpLocku(engine));
    r.register(Nfs4Opcode.DELEGPURGE, 0, new OpDelegpurge(engine.clientIds));
    r.register(Nfs4Opcode.DELEGRETURN, 0, new OpDelegreturn(engine));
    r.register(Nfs4Opcode.EXCHANGE_ID, 1, new OpExchangeId(engine.clientIds, engine.serverIdentity));
    r.register(Nfs4Opcode.CREATE_SESSION, 1, new OpCreateSession(engine.sessions));
    r.register(Nfs4Opcode.DESTROY_SESSION, 1, new OpDestroySession(engine.sessions));
    r.register(Nfs4Opcode.SEQUENCE, 1, new OpSequence(engine.sessions));
    r.register(Nfs4Opcode.DESTROY_CLIENTID, 1, new OpDestroyClientid(engine.clientIds));
    r.register(Nfs4Opcode.BIND_CONN_TO_SESSION, 1, new OpBindConnToSession(engine.sessions));
    r.register(Nfs4Opcode.BACKCHANNEL_CTL, 1, new OpBackchannelCtl(engine.sessions));
    r.register(Nfs4Opcode.RECLAIM_COMPLETE, 1, new OpReclaimComplete(engine.leases));
    r.register(Nfs4Opcode.TEST_STATEID, 1, new OpTestStateid(engine.stateids));
    r.register(Nfs4Opcode.FREE_STATEID, 1, new OpFreeStateid(engine.stateids));
  }
}
