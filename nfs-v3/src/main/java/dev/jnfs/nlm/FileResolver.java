package dev.jnfs.nlm;

import dev.jnfs.lock.FileKey;
import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ExportHandle;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;

/**
 * Finds the file an NLM request names by its NFS handle, under the rules of the export the
 * handle belongs to. Thread-safe.
 */
final class FileResolver {
  private static final int PRIVILEGED_PORT_LIMIT = 1024;

  private final ServerContext context;

  /** @param context the server, whose current exports each call resolves against */
  FileResolver(ServerContext context) {
    this.context = context;
  }

  /**
   * Finds the file of a handle and applies the export's rules: the client's address must be
   * admitted, and a {@code secure} export wants a privileged source port (an AUTH_TOOWEAK
   * rejection, as for NFS calls). The call's flavor is not checked: NLM clients use AUTH_SYS
   * on Kerberos mounts too. The backend is asked for the file's attributes, as the export's
   * anonymous user, to tell a handle whose file is gone.
   *
   * @return the lock manager's key of the file
   * @throws NlmRefusal STALE_FH for a malformed or foreign handle or one whose file is gone,
   *     FAILED for an address the export does not admit or a backend failure
   */
  FileKey resolve(RpcCall call, byte[] wireHandle) throws NlmRefusal {
    ExportHandle handle;
    try {
      handle = context.exports().fromWire(wireHandle);
    } catch (NfsException e) {
      throw new NlmRefusal(NlmXdr.STALE_FH, "handle: " + e.status());
    }
    Export export = handle.export();
    ExportOptions options = export.optionsFor(call.remoteAddress()).orElse(null);
    if (options == null) {
      throw new NlmRefusal(NlmXdr.FAILED, "client not admitted to " + export.path());
    }
    if (options.secure() && call.remoteAddress().getPort() >= PRIVILEGED_PORT_LIMIT) {
      throw RpcException.authError(RpcException.AUTH_TOOWEAK, "insecure source port " + call.remoteAddress());
    }
    Caller anonymous = Caller.of(options.anonUid(), options.anonGid())
        .withRemoteAddress(call.remoteAddress());
    try {
      export.fileSystem().getattr(anonymous, handle.handle());
    } catch (NfsException e) {
      throw new NlmRefusal(e.status() == NfsStatus.STALE || e.status() == NfsStatus.BADHANDLE
          ? NlmXdr.STALE_FH : NlmXdr.FAILED, "getattr: " + e.status());
    }
    return new FileKey(export.id(), handle.handle());
  }
}
