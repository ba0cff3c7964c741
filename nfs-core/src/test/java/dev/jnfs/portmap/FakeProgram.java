package dev.jnfs.portmap;

import dev.jnfs.rpc.RpcCall;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.rpc.RpcProgram;
import dev.jnfs.xdr.XdrEncoder;

/** A program that only answers NULL, standing in for NFS or MOUNT. */
record FakeProgram(int program, int lowVersion, int highVersion) implements RpcProgram {
  @Override
  public void handle(RpcCall call, XdrEncoder results) {
    if (call.procedure() != 0) {
      throw RpcException.procedureUnavailable(call.procedure());
    }
  }
}
