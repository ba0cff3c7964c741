package dev.jnfs.nfs3;

import dev.jnfs.mount.MountProgram;
import dev.jnfs.nlm.Nlm;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.protocol.NfsProtocol;
import dev.jnfs.protocol.ServerContext;
import java.util.ArrayList;
import java.util.List;

/**
 * NFS version 3 for {@code NfsServer}: the NFSv3 program and the MOUNT, NLM and NSM programs
 * it needs.
 * Found through {@link java.util.ServiceLoader}.
 */
public final class Nfs3Protocol implements NfsProtocol {
  /** Creates the protocol; the server calls {@link #programs} once it is assembled. */
  public Nfs3Protocol() {}

  @Override
  public List<RpcProgram> programs(ServerContext context) {
    List<RpcProgram> programs = new ArrayList<>(List.of(new Nfs3Program(context), new MountProgram(context)));
    programs.addAll(Nlm.programs(context));
    return programs;
  }
}
