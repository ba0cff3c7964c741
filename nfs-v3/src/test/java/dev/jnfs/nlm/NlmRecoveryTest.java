package dev.jnfs.nlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.rpc.RpcException;
import dev.jnfs.rpc.testing.RpcReply;
import dev.jnfs.server.ClientRange;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.xdr.XdrDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NSM recovery through the wire: the hosts that hold locks are written to the state directory,
 * a restarted server sends SM_NOTIFY to each through its portmapper and grants only their
 * reclaims during the grace period; and the export's rules apply to NLM calls.
 */
class NlmRecoveryTest {
  private static final String OPTIONS = "rw,insecure,no_root_squash";

  @TempDir Path state;

  @Test
  void aRestartedServerNotifiesItsClientsAndGrantsOnlyReclaimsInGrace() throws Exception {
    InMemoryFileSystem fs = new InMemoryFileSystem();
    try (ClientHost host = new ClientHost()) {
      byte[] fh;
      try (NlmServer first = new NlmServer(fs, OPTIONS, host.portmapPort(), state, Duration.ofSeconds(60));
          NlmClient client = new NlmClient(first.address())) {
        fh = first.file("f");
        assertEquals(NlmXdr.GRANTED, client.lock(NlmClient.Lock.of(fh, "alice", 1, 0, 0)));
      }
      String saved = Files.readString(state.resolve(HostsFile.NAME));
      assertTrue(saved.contains("state 1\n"), saved);
      assertTrue(saved.contains("host 127.0.0.1\n"), saved);
      assertTrue(host.received.isEmpty(), "a first start notifies nobody");

      try (NlmServer second = new NlmServer(fs, OPTIONS, host.portmapPort(), state, Duration.ofSeconds(60));
          NlmClient client = new NlmClient(second.address())) {
        ClientHost.Received notify = host.next();
        assertEquals(NsmProgram.PROGRAM, notify.program());
        assertEquals(NsmProgram.SM_NOTIFY, notify.procedure());
        XdrDecoder d = notify.decoder();
        assertEquals("127.0.0.1", d.readString(1024), "the server names itself by its address");
        assertEquals(3, d.readInt(), "the next odd state number");

        assertEquals(NlmXdr.GRANTED, client.lock(4, false, true, NlmClient.Lock.of(fh, "alice", 1, 0, 0), true));
        NlmClient.Lock other = NlmClient.Lock.of(fh, "bob", 2, 0, 0);
        assertEquals(NlmXdr.DENIED_GRACE_PERIOD, client.lock(other));
        assertEquals(NlmXdr.DENIED_GRACE_PERIOD, client.test(4, true, other).status());
        assertEquals(NlmXdr.DENIED_GRACE_PERIOD, client.unlock(4, other));
        assertEquals(NlmXdr.DENIED_GRACE_PERIOD, client.share(NlmProgram.SHARE, fh, "bob", 0, 1));
        assertEquals(NlmXdr.DENIED_GRACE_PERIOD, client.lock(1, false, true, other, false),
            "version 1 has the grace status too");
      }
    }
  }

  @Test
  void afterTheGracePeriodReclaimsAreRefusedAndNewLocksGranted() throws Exception {
    InMemoryFileSystem fs = new InMemoryFileSystem();
    try (ClientHost host = new ClientHost()) {
      byte[] fh;
      try (NlmServer first = new NlmServer(fs, OPTIONS, host.portmapPort(), state, Duration.ZERO);
          NlmClient client = new NlmClient(first.address())) {
        fh = first.file("f");
        assertEquals(NlmXdr.GRANTED, client.lock(NlmClient.Lock.of(fh, "alice", 1, 0, 0)));
      }
      try (NlmServer second = new NlmServer(fs, OPTIONS, host.portmapPort(), state, Duration.ZERO);
          NlmClient client = new NlmClient(second.address())) {
        assertEquals(NsmProgram.SM_NOTIFY, host.next().procedure());
        assertEquals(NlmXdr.DENIED_GRACE_PERIOD,
            client.lock(4, false, true, NlmClient.Lock.of(fh, "alice", 1, 0, 0), true));
        assertEquals(NlmXdr.GRANTED, client.lock(NlmClient.Lock.of(fh, "bob", 2, 0, 0)));
      }
    }
  }

  @Test
  void aSecureExportRejectsAnUnprivilegedPortAndAForeignAddressFails() throws Exception {
    InMemoryFileSystem fs = new InMemoryFileSystem();
    try (NlmServer secure = new NlmServer(fs, "rw,no_root_squash", 111, null, Duration.ZERO);
        NlmClient client = new NlmClient(secure.address())) {
      RpcReply r = client.call(4, NlmProgram.LOCK,
          NlmClient.lockArgs(4, false, true, NlmClient.Lock.of(secure.file("f"), "alice", 1, 0, 0), false));
      assertEquals(RpcReply.MSG_DENIED, r.replyStat());
      assertEquals(RpcException.AUTH_TOOWEAK, r.authStat());
    }
    ExportOptions elsewhere = ExportOptions.DEFAULT.with(OPTIONS).withClients(List.of(ClientRange.parse("10.0.0.0/8")));
    try (NlmServer foreign = new NlmServer(fs, elsewhere, 111, null, Duration.ZERO);
        NlmClient client = new NlmClient(foreign.address())) {
      assertEquals(NlmXdr.FAILED, client.lock(NlmClient.Lock.of(foreign.file("f"), "alice", 1, 0, 0)));
    }
  }
}
