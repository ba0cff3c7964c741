package dev.jnfs.protocol;

import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.server.NfsServer;
import java.util.List;

/**
 * A protocol module's entry point: given the server's context, it supplies the RPC programs
 * it serves (NFSv3 and MOUNT, NFSv4, ...). {@code NfsServer} finds the implementations on the
 * class path with {@link java.util.ServiceLoader}, so adding a protocol module to a build is
 * enough to serve it.
 */
public interface NfsProtocol {
  /** The MOUNT program number (RFC 1813 §5), which the server may also serve on a port of its own. */
  int MOUNT_PROGRAM = 100005;


  /**
   * @param context the server the programs will run in
   * @return the programs to register and advertise through portmap
   */
  List<RpcProgram> programs(ServerContext context);
}
