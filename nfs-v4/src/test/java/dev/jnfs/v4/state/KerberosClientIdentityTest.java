package dev.jnfs.v4.state;

import static dev.jnfs.v4.state.Wire.b;
import static dev.jnfs.v4.state.Wire.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.jnfs.lock.LocalLockManager;
import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.protocol.Export;
import dev.jnfs.protocol.ServerContext;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.GssService;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.v4.Fattr4;
import dev.jnfs.v4.Nfs4Opcode;
import dev.jnfs.v4.Nfs4Program;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.v4.StateTestPrograms;
import dev.jnfs.v4.TestServerContext;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.DirectClient;
import dev.jnfs.v4.testing.StateCompound;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Client identity with RPCSEC_GSS callers (RFC 8881 §2.4, §18.35.4, §18.36.4; RFC 7530
 * §16.33.5): the principal that created a client ID is the one that confirms it and creates
 * its sessions, while the operations inside a session may come from any user's principal, as
 * a Linux client with a {@code host/} machine credential sends them.
 */
class KerberosClientIdentityTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 700);
  private static final Credential MACHINE_KRB5I =
      gss("host/client.example.com@EXAMPLE.COM", GssService.INTEGRITY, 0);
  private static final Credential MACHINE_KRB5P =
      gss("host/client.example.com@EXAMPLE.COM", GssService.PRIVACY, 0);
  private static final Credential ALICE = gss("alice@EXAMPLE.COM", GssService.INTEGRITY, 1000);
  private static final Credential SYS_ROOT = new Credential.Sys(0, "client", 0, 0, new int[0]);

  private final Nfs4Program program;

  KerberosClientIdentityTest() {
    Export export = new Export("/", null, new InMemoryFileSystem(),
        ExportOptions.DEFAULT.with("rw,insecure,sec=krb5i:sys"));
    ServerContext context = new TestServerContext(List.of(export));
    StateService state = (StateService) StateModule.create(context,
        StateConfig.defaults().withGracePeriod(Duration.ZERO), new MutableClock(), new LocalLockManager());
    program = StateTestPrograms.program(context, state);
  }

  private static Credential.Gss gss(String principal, GssService service, int uid) {
    return new Credential.Gss(principal, service, uid, uid, new int[0]);
  }

  private Wire.Raw as(Credential credential) {
    return Wire.direct(new DirectClient(program, CLIENT, credential));
  }

  private StateCompound.ExchangeIdReply exchangeId(Credential credential, String owner) {
    return ok(Wire.call(as(credential), StateCompound.exchangeId(Compound.v41(), b(owner), 1, 0))).last();
  }

  @Test
  void usersWorkInTheSessionOfTheMachinePrincipal() {
    Wire.Client41 machine = new Wire.Client41(as(MACHINE_KRB5I), "linux-client");
    Compound c = machine.next().putrootfh().getattr(Fattr4.TYPE);
    Wire.Answer a = Wire.call(as(ALICE), c);
    assertEquals(Nfs4Status.OK, a.status(), a.reply().toString());
    // and the machine principal keeps renewing the lease with SEQUENCE alone
    assertEquals(Nfs4Status.OK, Wire.call(as(MACHINE_KRB5I), machine.next()).status());
  }

  @Test
  void createSessionByAnotherPrincipalIsClidInuse() {
    StateCompound.ExchangeIdReply x = exchangeId(MACHINE_KRB5I, "linux-client");
    for (Credential other : List.of(ALICE, SYS_ROOT)) {
      Wire.Answer a = Wire.call(as(other),
          StateCompound.createSession(Compound.v41(), x.clientId(), x.sequence(), 8, 8));
      assertEquals(Nfs4Status.CLID_INUSE, a.status(), other.toString());
    }
    Wire.Answer a = Wire.call(as(MACHINE_KRB5I),
        StateCompound.createSession(Compound.v41(), x.clientId(), x.sequence(), 8, 8));
    assertEquals(Nfs4Status.OK, a.status());
  }

  @Test
  void thePrincipalNotTheServiceIdentifiesTheCaller() {
    StateCompound.ExchangeIdReply x = exchangeId(MACHINE_KRB5I, "linux-client");
    Wire.Answer a = Wire.call(as(MACHINE_KRB5P),
        StateCompound.createSession(Compound.v41(), x.clientId(), x.sequence(), 8, 8));
    assertEquals(Nfs4Status.OK, a.status());
  }

  @Test
  void aKerberosPrincipalAndAnAuthSysRootAreDifferentCallers() {
    Wire.Client41 sys = new Wire.Client41(as(SYS_ROOT), "shared-owner");
    // the same principal and verifier again: the same confirmed client (RFC 8881 §18.35.4 case 2)
    assertEquals(sys.clientId, exchangeId(SYS_ROOT, "shared-owner").clientId());
    // another principal for the owner: a new client ID (case 3), not the AUTH_SYS one
    long kerberos = exchangeId(MACHINE_KRB5I, "shared-owner").clientId();
    assertNotEquals(sys.clientId, kerberos);
  }

  @Test
  void setclientidConfirmByAnotherPrincipalIsClidInuse() {
    Wire.Raw machine = as(MACHINE_KRB5I);
    StateCompound.SetClientIdReply r =
        ok(Wire.call(machine, StateCompound.setclientid(Compound.v40(), b("v40-client"), 1))).last();
    Wire.Answer byAlice = Wire.call(as(ALICE),
        StateCompound.setclientidConfirm(Compound.v40(), r.clientId(), r.confirm()));
    assertEquals(Nfs4Status.CLID_INUSE, byAlice.status());
    ok(Wire.call(machine, StateCompound.setclientidConfirm(Compound.v40(), r.clientId(), r.confirm())));
    // the same name and verifier from another principal is not the machine's client: without
    // state held, its record is replaced by a new client ID (RFC 7530 §16.33.5)
    StateCompound.SetClientIdReply other =
        ok(Wire.call(as(ALICE), StateCompound.setclientid(Compound.v40(), b("v40-client"), 1))).last();
    assertNotEquals(r.clientId(), other.clientId());
  }

  @Test
  void machineCredentialStateProtectionNeedsIntegrityOrPrivacy() {
    assertEquals(Nfs4Status.INVAL, Wire.call(as(SYS_ROOT), machCred("a")).status());
    assertEquals(Nfs4Status.INVAL,
        Wire.call(as(gss("host/c@EXAMPLE.COM", GssService.NONE, 0)), machCred("b")).status());
    Wire.Answer ok = Wire.call(as(MACHINE_KRB5I), machCred("c"));
    assertEquals(Nfs4Status.OK, ok.status());
    assertEquals(1, ok.<Integer>last(), "spr_how is SP4_MACH_CRED");
  }

  /** EXCHANGE_ID with SP4_MACH_CRED and empty must-enforce / must-allow lists; the value is spr_how. */
  private static Compound machCred(String owner) {
    return Compound.v41().op(Nfs4Opcode.EXCHANGE_ID, a -> {
      a.writeHyper(1).writeOpaque(b(owner)).writeInt(0);
      a.writeInt(1).writeInt(0).writeInt(0); // SP4_MACH_CRED, spo_must_enforce, spo_must_allow
      a.writeInt(0); // eia_client_impl_id
    }, in -> {
      in.readHyper();
      in.readInt();
      in.readInt();
      return in.readInt();
    });
  }
}
