package dev.jnfs.v4;

/** Registers the operations of this package: everything but the state operations. */
final class StatelessOperations {
  private StatelessOperations() {}

  static void registerAll(OperationRegistry r) {
    r.register(Nfs4Opcode.PUTFH, 0, new OpPutfh());
    r.register(Nfs4Opcode.PUTROOTFH, 0, new OpPutrootfh());
    r.register(Nfs4Opcode.PUTPUBFH, 0, new OpPutrootfh());
    r.register(Nfs4Opcode.GETFH, 0, new OpGetfh());
    r.register(Nfs4Opcode.GETATTR, 0, new OpGetattr());
    r.register(Nfs4Opcode.LOOKUP, 0, new OpLookup());
    r.register(Nfs4Opcode.LOOKUPP, 0, new OpLookupp());
    r.register(Nfs4Opcode.SAVEFH, 0, new OpSavefh());
    r.register(Nfs4Opcode.RESTOREFH, 0, new OpRestorefh());
    r.register(Nfs4Opcode.OPENATTR, 0, OpNotSupported.INSTANCE);
    for (int opcode : new int[] {
        Nfs4Opcode.BACKCHANNEL_CTL, Nfs4Opcode.GET_DIR_DELEGATION, Nfs4Opcode.GETDEVICEINFO,
        Nfs4Opcode.GETDEVICELIST, Nfs4Opcode.LAYOUTCOMMIT, Nfs4Opcode.LAYOUTGET,
        Nfs4Opcode.LAYOUTRETURN, Nfs4Opcode.SET_SSV, Nfs4Opcode.WANT_DELEGATION}) {
      r.register(opcode, 1, OpNotSupported.INSTANCE);
    }
  }
}
