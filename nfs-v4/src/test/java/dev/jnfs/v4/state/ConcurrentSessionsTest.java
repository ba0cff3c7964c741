package dev.jnfs.v4.state;

import static dev.jnfs.v4.state.Wire.b;
import static dev.jnfs.v4.state.Wire.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.Stateid;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.StateCompound.OpenReply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Many requests at once on the slots of one session and on several sessions, as a client
 * with a deep queue sends them: every slot's sequence stays exact and I/O checks pass.
 */
class ConcurrentSessionsTest {
  private static final int SLOTS = 16;
  private static final int ROUNDS = 40;

  @Test
  void slotsOfOneSessionAdvanceIndependently() throws Exception {
    StateFixture fx = new StateFixture();
    Wire.Client41 c = new Wire.Client41(fx.client(1), "deep-queue", SLOTS, 16);
    Stateid open = ok(c.call(StateCompound.openCreate(c.next().putrootfh(), 0, StateCompound.ACCESS_BOTH,
        StateCompound.DENY_NONE, c.clientId, b("o"), "f", StateCompound.UNCHECKED4))).<OpenReply>last().stateid();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int slot = 1; slot < SLOTS; slot++) {
        int s = slot;
        done.add(pool.submit(() -> {
          int ok = 0;
          for (int seq = 1; seq <= ROUNDS; seq++) {
            Wire.Answer r = c.call(StateCompound.sequence(Compound.v41(), c.sessionId, seq, s, seq % 2 == 0)
                .putrootfh().lookup("f").write(open, s * 10L, 2, b("x")));
            if (r.status() == Nfs4Status.OK) {
              ok++;
            }
          }
          return ok;
        }));
      }
      for (Future<Integer> f : done) {
        assertEquals(ROUNDS, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    for (int slot = 1; slot < SLOTS; slot++) {
      assertEquals(Nfs4Status.SEQ_MISORDERED, c.call(StateCompound.sequence(Compound.v41(), c.sessionId,
          ROUNDS + 2, slot, false)).status(), "slot " + slot + " is at seqid " + ROUNDS);
      assertEquals(Nfs4Status.OK, c.call(StateCompound.sequence(Compound.v41(), c.sessionId, ROUNDS + 1, slot,
          false)).status());
    }
  }
}
