package dev.jnfs.v4.state;

import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.GssService;
import dev.jnfs.v4.Bitmap4;
import dev.jnfs.v4.CompoundContext;
import dev.jnfs.v4.Nfs4Exception;
import dev.jnfs.v4.Nfs4Operation;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;

/**
 * EXCHANGE_ID (RFC 8881 §18.35): a 4.1 client introduces itself. State protection SP4_NONE
 * and SP4_MACH_CRED (answered with nothing enforced) are accepted; SP4_SSV is not
 * (ENCR_ALG_UNSUPP, as Linux knfsd answers). SP4_MACH_CRED needs the call to be RPCSEC_GSS
 * with integrity or privacy (§18.35.3), INVAL otherwise, after which a Linux client asks again
 * with SP4_NONE. The server owner's major id and the server scope are the server's identity
 * (RFC 8881 §2.10.4–2.10.5: its own unless servers are configured to share one, as they then
 * share state), with minor id 0, so every connection to this server is trunkable.
 */
final class OpExchangeId implements Nfs4Operation {
  /** The eia_flags a client may send (EXCHGID4_FLAG_MASK_A). */
  private static final int FLAG_MASK_A = 0x40070103;
  private static final int SP4_NONE = 0;
  private static final int SP4_MACH_CRED = 1;
  private static final int SP4_SSV = 2;

  private final ClientIds clientIds;
  private final byte[] serverIdentity;

  OpExchangeId(ClientIds clientIds, byte[] serverIdentity) {
    this.clientIds = clientIds;
    this.serverIdentity = serverIdentity;
  }

  @Override
  public void execute(CompoundContext ctx, XdrDecoder args, XdrEncoder result) throws Nfs4Exception {
    long verifier = args.readHyper();
    byte[] ownerId = args.readOpaque(StateOps.OPAQUE_LIMIT);
    int flags = args.readInt();
    int how = args.readInt();
    switch (how) {
      case SP4_NONE -> { }
      case SP4_MACH_CRED -> {
        Bitmap4.decode(args);
        Bitmap4.decode(args);
        if (!(ctx.call().credential() instanceof Credential.Gss gss)
            || gss.service() == GssService.NONE) {
          throw new Nfs4Exception(
              Nfs4Status.INVAL, "SP4_MACH_CRED without RPCSEC_GSS integrity or privacy");
        }
      }
      case SP4_SSV -> throw new Nfs4Exception(Nfs4Status.ENCR_ALG_UNSUPP, "SP4_SSV not supported");
      default -> throw new dev.jnfs.xdr.XdrException("state_protect_how4 " + how);
    }
    int impls = args.readArrayLength(1, 20);
    for (int i = 0; i < impls; i++) {
      args.readOpaque(StateOps.OPAQUE_LIMIT); // nii_domain
      args.readOpaque(StateOps.OPAQUE_LIMIT); // nii_name
      args.readHyper(); // nii_date
      args.readInt();
    }
    if ((flags & ~FLAG_MASK_A) != 0) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "unknown eia_flags " + Integer.toHexString(flags));
    }
    if (ownerId.length == 0) {
      throw new Nfs4Exception(Nfs4Status.INVAL, "empty co_ownerid");
    }
    ClientIds.ExchangeIdResult r = clientIds.exchangeId(ownerId, verifier, flags, StateOps.principal(ctx));
    result.writeHyper(r.clientId());
    result.writeInt(r.sequence());
    result.writeInt(r.flags());
    result.writeInt(how);
    if (how == SP4_MACH_CRED) {
      Bitmap4.EMPTY.encode(result); // spo_must_enforce
      Bitmap4.EMPTY.encode(result); // spo_must_allow
    }
    result.writeHyper(0); // so_minor_id
    result.writeOpaque(serverIdentity); // so_major_id
    result.writeOpaque(serverIdentity); // eir_server_scope
    result.writeInt(1); // eir_server_impl_id<1>
    result.writeString("jnfs.dev");
    result.writeString("jnfs");
    result.writeHyper(0).writeInt(0);
  }
}
