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
    registerMinor2(r);
  }

  /** The operations of RFC 7862 and RFC 8276, which exist in minor version 2 only. */
  private static void registerMinor2(OperationRegistry r) {
    r.register(Nfs4Opcode.ALLOCATE, 2, new OpAllocate());
    r.register(Nfs4Opcode.COPY, 2, new OpCopy());
    r.register(Nfs4Opcode.DEALLOCATE, 2, new OpDeallocate());
    r.register(Nfs4Opcode.IO_ADVISE, 2, new OpIoAdvise());
    r.register(Nfs4Opcode.OFFLOAD_CANCEL, 2, new OpOffloadCancel());
    r.register(Nfs4Opcode.OFFLOAD_STATUS, 2, new OpOffloadStatus());
    r.register(Nfs4Opcode.READ_PLUS, 2, new OpReadPlus());
    r.register(Nfs4Opcode.SEEK, 2, new OpSeek());
    r.register(Nfs4Opcode.CLONE, 2, new OpClone());
    r.register(Nfs4Opcode.GETXATTR, 2, new OpGetxattr());
    r.register(Nfs4Opcode.SETXATTR, 2, new OpSetxattr());
    r.register(Nfs4Opcode.LISTXATTRS, 2, new OpListxattrs());
    r.register(Nfs4Opcode.REMOVEXATTR, 2, new OpRemovexattr());
    // COPY_NOTIFY: only the source of an inter-server copy needs it, and there is none.
    // WRITE_SAME: the Linux client never sends it. LAYOUTERROR, LAYOUTSTATS: no pNFS.
    for (int opcode : new int[] {
        Nfs4Opcode.COPY_NOTIFY, Nfs4Opcode.WRITE_SAME, Nfs4Opcode.LAYOUTERROR,
        Nfs4Opcode.LAYOUTSTATS}) {
      r.register(opcode, 2, OpNotSupported.INSTANCE);
    }
  }
}
