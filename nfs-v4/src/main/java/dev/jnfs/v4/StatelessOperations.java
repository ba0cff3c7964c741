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
    r.register(Nfs4Opcode.ACCESS, 0, new OpAccess());
    r.register(Nfs4Opcode.COMMIT, 0, new OpCommit());
    r.register(Nfs4Opcode.CREATE, 0, new OpCreate());
    r.register(Nfs4Opcode.LINK, 0, new OpLink());
    r.register(Nfs4Opcode.NVERIFY, 0, new OpVerify(true));
    r.register(Nfs4Opcode.VERIFY, 0, new OpVerify(false));
    r.register(Nfs4Opcode.READ, 0, new OpRead());
    r.register(Nfs4Opcode.READDIR, 0, new OpReaddir());
    r.register(Nfs4Opcode.READLINK, 0, new OpReadlink());
    r.register(Nfs4Opcode.REMOVE, 0, new OpRemove());
    r.register(Nfs4Opcode.RENAME, 0, new OpRename());
    r.register(Nfs4Opcode.SECINFO, 0, new OpSecinfo());
    r.register(Nfs4Opcode.SETATTR, 0, new OpSetattr());
    r.register(Nfs4Opcode.WRITE, 0, new OpWrite());
    r.register(Nfs4Opcode.SECINFO_NO_NAME, 1, new OpSecinfoNoName());
    // OPTIONAL operations this server does not offer (RFC 8881 §17): named attributes
    r.register(Nfs4Opcode.OPENATTR, 0, OpNotSupported.INSTANCE);
    // pNFS, directory delegations, delegation wants, backchannel control, SSV
    for (int opcode : new int[] {
        Nfs4Opcode.BACKCHANNEL_CTL, Nfs4Opcode.GET_DIR_DELEGATION, Nfs4Opcode.GETDEVICEINFO,
        Nfs4Opcode.GETDEVICELIST, Nfs4Opcode.LAYOUTCOMMIT, Nfs4Opcode.LAYOUTGET,
        Nfs4Opcode.LAYOUTRETURN, Nfs4Opcode.SET_SSV, Nfs4Opcode.WANT_DELEGATION}) {
      r.register(opcode, 1, OpNotSupported.INSTANCE);
    }
  }
}
