package dev.jnfs.v4.state;

import static dev.jnfs.v4.state.Wire.b;
import static dev.jnfs.v4.state.Wire.ok;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_BOTH;
import static dev.jnfs.v4.testing.StateCompound.ACCESS_READ;
import static dev.jnfs.v4.testing.StateCompound.DENY_NONE;
import static dev.jnfs.v4.testing.StateCompound.DENY_WRITE;
import static dev.jnfs.v4.testing.StateCompound.GUARDED4;
import static dev.jnfs.v4.testing.StateCompound.WRITE_LT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.OpenContext;
import dev.jnfs.v4.Nfs4Protocol;
import dev.jnfs.v4.Nfs4Status;
import dev.jnfs.v4.StateConfig;
import dev.jnfs.v4.Stateid;
import dev.jnfs.v4.testing.Attrs;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.StateCompound;
import dev.jnfs.v4.testing.StateCompound.OpenReply;
import dev.jnfs.v4.testing.TcpCompoundTransport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A backend keeps per-open state through the SPI, seen by a client over TCP: {@code open}
 * receives the open's access, denial and owner and attaches an object; READ and WRITE made
 * with that open's stateid (or a lock stateid made from it) carry the same context in their
 * {@link Caller}, and so does a SETATTR of the size; OPEN_DOWNGRADE is reported with the attachment kept; CLOSE hands it back.
 * I/O with the anonymous stateid carries none.
 */
class PerOpenBackendStateTest {
  private static final Set<String> RECORDED =
      Set.of("open", "openChanged", "read", "write", "setattr", "close");

  /** A hook call: its name and the open context it came with (null when none). */
  private record Event(String method, OpenContext open) {}

  private final InMemoryFileSystem memory = new InMemoryFileSystem();
  private final List<Event> events = new ArrayList<>();
  private final AtomicInteger attachments = new AtomicInteger();
  /** When set, the backend refuses every open with this status. */
  private volatile NfsStatus refuseOpens;
  private NfsServer server;
  private TcpCompoundTransport connection;

  @BeforeEach
  void start() throws Exception {
    server = NfsServer.builder().bind("127.0.0.1").port(0)
        .export("/", recordingBackend(), ExportOptions.DEFAULT.with("rw,no_root_squash,insecure"))
        .protocol(new Nfs4Protocol(StateConfig.defaults().withGracePeriod(Duration.ZERO)))
        .build();
    server.start();
    connection = new TcpCompoundTransport(new InetSocketAddress("127.0.0.1", server.port()), 0);
  }

  @AfterEach
  void stop() throws Exception {
    connection.close();
    server.stop();
  }

  /**
   * The in-memory backend, recording the open hooks, READ and WRITE with the open context
   * they carry; its {@code open} attaches a new object to each open.
   */
  private NfsFileSystem recordingBackend() {
    return (NfsFileSystem) Proxy.newProxyInstance(NfsFileSystem.class.getClassLoader(),
        new Class<?>[] {NfsFileSystem.class}, (proxy, method, args) -> {
          if (RECORDED.contains(method.getName())) {
            record(method, args);
          }
          if (method.getName().equals("open")) {
            if (refuseOpens != null) {
              throw new NfsException(refuseOpens, "refused by the test");
            }
            ((OpenContext) args[2]).attach("attachment-" + attachments.incrementAndGet());
          }
          try {
            return method.invoke(memory, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private void record(Method method, Object[] args) {
    OpenContext open = null;
    for (Object a : args) {
      if (a instanceof OpenContext o) {
        open = o;
      } else if (a instanceof Caller c && !method.getName().equals("open")) {
        open = c.open().orElse(null);
      }
    }
    synchronized (events) {
      events.add(new Event(method.getName(), open));
    }
  }

  private List<Event> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  private Event only(String method) {
    List<Event> matching = events().stream().filter(e -> e.method().equals(method)).toList();
    assertEquals(1, matching.size(), method + " calls: " + matching);
    return matching.get(0);
  }

  @Test
  void theObjectAttachedAtOpenComesBackOnReadWriteAndClose() {
    Wire.Client41 c = new Wire.Client41(Wire.tcp(connection), "attacher");
    Stateid open = ok(c.call(StateCompound.openCreate(c.next().putrootfh(), 0, ACCESS_BOTH, DENY_WRITE, c.clientId,
        b("opener"), "f", GUARDED4))).<OpenReply>last().stateid();

    OpenContext opened = only("open").open();
    assertEquals(OpenContext.READ | OpenContext.WRITE, opened.access());
    assertEquals(OpenContext.WRITE, opened.deny());
    assertEquals(c.clientId, opened.owner().clientId());
    assertArrayEquals(b("opener"), opened.owner().name());
    Object attached = opened.attachment();
    assertEquals("attachment-1", attached);

    ok(c.call(c.next().putrootfh().lookup("f").write(open, 0, 2, b("hello"))));
    ok(c.call(c.next().putrootfh().lookup("f").read(open, 0, 5)));
    assertSame(opened, only("write").open(), "WRITE carries the open's context");
    assertSame(opened, only("read").open(), "READ carries the open's context");
    ok(c.call(c.next().putrootfh().lookup("f").setattr(open, Attrs.set().size(1))));
    assertSame(opened, only("setattr").open(), "a SETATTR of the size carries the open's context");

    ok(c.call(StateCompound.close(c.next().putrootfh().lookup("f"), 0, open)));
    Event closed = only("close");
    assertSame(opened, closed.open());
    assertSame(attached, closed.open().attachment());
  }

  @Test
  void ioWithTheAnonymousStateidCarriesNoOpen() {
    Wire.Client41 c = new Wire.Client41(Wire.tcp(connection), "anonymous");
    ok(c.call(StateCompound.openCreate(c.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE, c.clientId,
        b("opener"), "f", GUARDED4)));
    events.clear();

    ok(c.call(c.next().putrootfh().lookup("f").write(Stateid.ANONYMOUS, 0, 2, b("x"))));
    ok(c.call(c.next().putrootfh().lookup("f").read(Stateid.ANONYMOUS, 0, 1)));

    assertNull(only("write").open());
    assertNull(only("read").open());
  }

  @Test
  void aLockStateidCarriesTheOpenItWasMadeFrom() {
    Wire.Client41 c = new Wire.Client41(Wire.tcp(connection), "locker");
    Stateid open = ok(c.call(StateCompound.openCreate(c.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE, c.clientId,
        b("opener"), "f", GUARDED4))).<OpenReply>last().stateid();
    Stateid lock = ok(c.call(StateCompound.lockNew(c.next().putrootfh().lookup("f"), WRITE_LT, false, 0, 10, 0,
        open, 0, c.clientId, b("lock-owner")))).last();

    ok(c.call(c.next().putrootfh().lookup("f").write(lock, 0, 2, b("locked"))));

    assertSame(only("open").open(), only("write").open());
  }

  @Test
  void eachOwnersOpenIsItsOwnAndADowngradeKeepsTheAttachment() {
    Wire.Client40 c = new Wire.Client40(Wire.tcp(connection), "two-owners");
    OpenReply first = ok(c.call(StateCompound.openCreate(Compound.v40().putrootfh(), 1, ACCESS_BOTH, DENY_NONE,
        c.clientId, b("first"), "f", GUARDED4))).last();
    Stateid a = ok(c.call(StateCompound.openConfirm(Compound.v40().putrootfh().lookup("f"), first.stateid(), 2)))
        .last();
    // an OPEN upgrade that adds no access asks nothing of the backend
    a = ok(c.call(StateCompound.openName(Compound.v40().putrootfh(), 3, ACCESS_READ, DENY_NONE, c.clientId,
        b("first"), "f"))).<OpenReply>last().stateid();
    OpenReply second = ok(c.call(StateCompound.openName(Compound.v40().putrootfh(), 1, ACCESS_READ, DENY_NONE,
        c.clientId, b("second"), "f"))).last();
    ok(c.call(StateCompound.openConfirm(Compound.v40().putrootfh().lookup("f"), second.stateid(), 2)));

    List<Event> opens = events().stream().filter(e -> e.method().equals("open")).toList();
    assertEquals(2, opens.size(), "one backend open per owner");
    OpenContext contextA = opens.get(0).open();
    assertArrayEquals(b("first"), contextA.owner().name());
    assertArrayEquals(b("second"), opens.get(1).open().owner().name());
    assertEquals("attachment-2", opens.get(1).open().attachment());

    Stateid downgraded = ok(c.call(StateCompound.openDowngrade(Compound.v40().putrootfh().lookup("f"), a, 4,
        ACCESS_READ, DENY_NONE))).last();
    OpenContext changed = only("openChanged").open();
    assertEquals(OpenContext.READ, changed.access());
    assertSame(contextA.owner(), changed.owner());
    assertEquals("attachment-1", changed.attachment());

    ok(c.call(Compound.v40().putrootfh().lookup("f").read(downgraded, 0, 1)));
    assertSame(changed, only("read").open(), "READ after the downgrade carries the new context");
    ok(c.call(StateCompound.close(Compound.v40().putrootfh().lookup("f"), 5, downgraded)));
    assertSame(changed, only("close").open());
  }

  @Test
  void anOpenTheBackendRefusesFailsAndHoldsNoReservation() {
    Wire.Client41 c = new Wire.Client41(Wire.tcp(connection), "refused");
    ok(c.call(StateCompound.openCreate(c.next().putrootfh(), 0, ACCESS_READ, DENY_NONE, c.clientId,
        b("creator"), "f", GUARDED4)));
    refuseOpens = NfsStatus.ACCES;

    assertEquals(Nfs4Status.ACCESS, c.call(StateCompound.openName(c.next().putrootfh(), 0, ACCESS_BOTH, DENY_WRITE,
        c.clientId, b("refused"), "f")).status());
    refuseOpens = null;

    // a write open succeeds: the refused OPEN left no deny-write reservation behind
    ok(c.call(StateCompound.openName(c.next().putrootfh(), 0, ACCESS_BOTH, DENY_NONE, c.clientId, b("writer"), "f")));
    assertEquals(0, events().stream().filter(e -> e.method().equals("close")).count(),
        "a refused open is not closed");
  }
}
