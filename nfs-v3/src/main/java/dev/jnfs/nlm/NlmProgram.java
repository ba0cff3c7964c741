package dev.jnfs.nlm;

import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Network Lock Manager, program 100021 versions 1, 3 or 4 ({@code nlm_prot.x}; the Open
 * Group's XNFS, chapters 10 to 14): decodes each procedure's arguments for the call's version,
 * lets {@link LockService} do the work, and encodes the result.
 *
 * <p>The {@code _MSG} procedures (6 to 10) answer nothing on the call's own connection: their
 * result goes to the client's NLM as the matching {@code _RES} call (procedure + 5), sent from
 * a background thread. The {@code _RES} procedures (11 to 15) are accepted and ignored: this
 * server sends only the synchronous NLM_GRANTED, whose result comes back as its reply. A
 * GRANTED or GRANTED_MSG sent to this server (it holds no client-side locks) answers DENIED,
 * but for its own callback come back to it.
 * Two instances serve version 1 and versions 3 to 4, so that a call of the undefined
 * version 2 answers PROG_MISMATCH and the portmapper does not list it. Closing the program stops the callbacks and retries still running. Version 1 has no SHARE, UNSHARE, NM_LOCK or FREE_ALL (procedures 20 to 23).
 */
final class NlmProgram implements RpcProgram, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NlmProgram.class);

  static final int PROGRAM = 100021;
  static final int NULL = 0;
  static final int TEST = 1;
  static final int LOCK = 2;
  static final int CANCEL = 3;
  static final int UNLOCK = 4;
  static final int GRANTED = 5;
  static final int TEST_MSG = 6;
  static final int GRANTED_MSG = 10;
  static final int TEST_RES = 11;
  static final int GRANTED_RES = 15;
  static final int SHARE = 20;
  static final int UNSHARE = 21;
  static final int NM_LOCK = 22;
  static final int FREE_ALL = 23;
  /** From a _MSG procedure to its _RES. */
  private static final int MSG_TO_RES = 5;

  private final LockService service;
  private final PeerCalls peers;
  private final ExecutorService background;
  private final int lowVersion;
  private final int highVersion;

  /**
   * @param lowVersion the lowest version served, 1 or 3
   * @param highVersion the highest, 1 or 4 (there is no NLM version 2)
   */
  NlmProgram(LockService service, PeerCalls peers, ExecutorService background, int lowVersion, int highVersion) {
    this.service = service;
    this.peers = peers;
    this.background = background;
    this.lowVersion = lowVersion;
    this.highVersion = highVersion;
  }

  /** Stops the callbacks, notifications and retries still running. */
  @Override
  public void close() {
    background.shutdownNow();
  }

  @Override
  public int program() {
    return PROGRAM;
  }

  @Override
  public int lowVersion() {
    return lowVersion;
  }

  @Override
  public int highVersion() {
    return highVersion;
  }

  /**
   * Only CANCEL answers differently when run twice (DENIED the second time), so only its
   * replies are kept for retransmissions; a LOCK, UNLOCK or SHARE run again answers as before.
   */
  @Override
  public boolean isNonIdempotent(int version, int procedure) {
    return procedure == CANCEL;
  }

  @Override
  public void handle(RpcCall call, XdrEncoder out) {
    int version = call.version();
    int procedure = call.procedure();
    if (procedure == NULL) {
      return;
    }
    if (procedure >= TEST && procedure <= GRANTED) {
      reply(call, procedure).accept(out);
    } else if (procedure >= TEST_MSG && procedure <= GRANTED_MSG) {
      Consumer<XdrEncoder> result = reply(call, procedure - MSG_TO_RES);
      sendResult(call.remoteAddress().getAddress(), version, procedure + MSG_TO_RES, NlmXdr.encode(result));
    } else if (procedure >= TEST_RES && procedure <= GRANTED_RES) {
      log.debug("NLM _RES {} from {} ignored", procedure, call.remoteAddress());
    } else if (version >= 3 && (procedure == SHARE || procedure == UNSHARE)) {
      share(call, procedure == SHARE, out);
    } else if (version >= 3 && procedure == NM_LOCK) {
      reply(call, NM_LOCK).accept(out);
    } else if (version >= 3 && procedure == FREE_ALL) {
      call.arguments().readString(NlmXdr.MAX_NAME);
      call.arguments().readInt();
      service.releaseHost(LockService.host(call));
    } else {
      throw RpcException.procedureUnavailable(procedure);
    }
  }

  /** Decodes and runs TEST, LOCK, CANCEL, UNLOCK, GRANTED or NM_LOCK; returns the encoder of its result. */
  private Consumer<XdrEncoder> reply(RpcCall call, int procedure) {
    XdrDecoder in = call.arguments();
    int version = call.version();
    byte[] cookie = in.readOpaque(NlmXdr.MAX_NETOBJ);
    LockService.Outcome outcome;
    switch (procedure) {
      case TEST, GRANTED -> {
        boolean exclusive = in.readBoolean();
        NlmXdr.Lock lock = NlmXdr.Lock.decode(in, version);
        outcome = procedure == TEST ? service.test(call, exclusive, lock) : service.granted(cookie);
      }
      case LOCK, NM_LOCK -> {
        boolean block = in.readBoolean();
        boolean exclusive = in.readBoolean();
        NlmXdr.Lock lock = NlmXdr.Lock.decode(in, version);
        boolean reclaim = in.readBoolean();
        in.readInt(); // the client's NSM state: clients are told apart by SM_NOTIFY instead
        outcome = service.lock(call, block && procedure == LOCK, exclusive, lock, reclaim);
      }
      case CANCEL -> {
        in.readBoolean(); // block
        in.readBoolean(); // exclusive
        outcome = service.cancel(call, NlmXdr.Lock.decode(in, version));
      }
      case UNLOCK -> outcome = service.unlock(call, NlmXdr.Lock.decode(in, version));
      default -> throw new IllegalArgumentException("procedure " + procedure);
    }
    int status = NlmXdr.status(version, outcome.status());
    boolean isTest = procedure == TEST;
    return out -> {
      out.writeOpaque(cookie);
      out.writeInt(status);
      if (isTest && outcome.holder() != null) {
        NlmXdr.writeHolder(out, version, outcome.holder());
      }
    };
  }

  /** SHARE and UNSHARE: nlm_shareargs in, nlm_shareres out (its sequence is always 0). */
  private void share(RpcCall call, boolean share, XdrEncoder out) {
    XdrDecoder in = call.arguments();
    byte[] cookie = in.readOpaque(NlmXdr.MAX_NETOBJ);
    String caller = in.readString(NlmXdr.MAX_NAME);
    byte[] fh = in.readOpaque(NlmXdr.MAX_NETOBJ);
    byte[] oh = in.readOpaque(NlmXdr.MAX_NETOBJ);
    int mode = in.readInt();
    int access = in.readInt();
    boolean reclaim = in.readBoolean();
    NlmXdr.Lock owner = new NlmXdr.Lock(caller, fh, oh, 0, 0, 0);
    LockService.Outcome outcome = share
        ? service.share(call, owner, mode, access, reclaim)
        : service.unshare(call, owner);
    out.writeOpaque(cookie);
    out.writeInt(NlmXdr.status(call.version(), outcome.status()));
    out.writeInt(0);
  }

  private void sendResult(InetAddress client, int version, int procedure, byte[] result) {
    background.execute(() -> {
      try {
        peers.call(client, PROGRAM, version, procedure, result);
      } catch (IOException e) {
        log.debug("NLM result {} to {} not delivered: {}", procedure, client, e.toString());
      }
    });
  }
}
