package dev.jnfs.v4;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnfs.protocol.Export;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.xdr.XdrEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Which COMPOUNDs may run on the network thread: those that only read the attributes or data
 * of an object its backend holds in memory, unless a write delegation's holder may have to be
 * asked.
 */
class Nfs4DispatchHintsTest {
  private final AtomicBoolean inMemory = new AtomicBoolean(true);
  /** The root's data in memory up to here. */
  private volatile long dataInMemoryUpTo = 8192;
  private final AtomicBoolean writeDelegationHeld = new AtomicBoolean();
  private final NfsFileSystem backend = forecasting(RootOnlyFileSystem.create(1));
  private final Export export = new Export("/data", null, backend, ExportOptions.DEFAULT);
  private final TestServerContext server = new TestServerContext(List.of(export));
  private final Nfs4Program program =
      new Nfs4Program(server, new OperationRegistry(), delegating(), IdMapper.NUMERIC);
  private final byte[] root = server.exports().toWire(export, RootOnlyFileSystem.ROOT);

  /** The root-only backend, saying reads of its root's attributes do not block while {@link #inMemory}. */
  private NfsFileSystem forecasting(NfsFileSystem fs) {
    InvocationHandler h = (proxy, method, args) -> switch (method.getName()) {
      case "readsAttributesWithoutBlocking" -> inMemory.get() && RootOnlyFileSystem.ROOT.equals(args[0]);
      case "readsDataWithoutBlocking" -> RootOnlyFileSystem.ROOT.equals(args[0])
          && (long) args[1] + (int) args[2] <= dataInMemoryUpTo;
      default -> invoke(method, fs, args);
    };
    return (NfsFileSystem) Proxy.newProxyInstance(
        NfsFileSystem.class.getClassLoader(), new Class<?>[] {NfsFileSystem.class}, h);
  }

  /** The permissive state, holding a write delegation while {@link #writeDelegationHeld}. */
  private Nfs4StateService delegating() {
    InvocationHandler h = (proxy, method, args) ->
        method.getName().equals("mayBlockReads")
            ? writeDelegationHeld.get()
            : invoke(method, Nfs4StateService.PERMISSIVE, args);
    return (Nfs4StateService) Proxy.newProxyInstance(
        Nfs4StateService.class.getClassLoader(), new Class<?>[] {Nfs4StateService.class}, h);
  }

  private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private boolean inline(Consumer<XdrEncoder> compound) {
    ByteBuf b = Unpooled.buffer();
    try {
      compound.accept(new XdrEncoder(b));
      return program.isNonBlocking(Nfs4Program.VERSION, Nfs4Program.PROC_COMPOUND, b);
    } finally {
      b.release();
    }
  }

  private void getattrOf(XdrEncoder e, byte[] handle) {
    e.writeString("").writeInt(1).writeInt(3);
    e.writeInt(Nfs4Opcode.SEQUENCE).writeFixedOpaque(new byte[16]).writeInt(1).writeInt(0)
        .writeInt(0).writeBoolean(false);
    e.writeInt(Nfs4Opcode.PUTFH).writeOpaque(handle);
    e.writeInt(Nfs4Opcode.GETATTR).writeInt(1).writeInt(0x0010011a);
  }

  @Test
  void aStatOfAnObjectHeldInMemoryRunsOnTheNetworkThread() {
    assertFalse(program.isNonBlocking(Nfs4Program.VERSION, Nfs4Program.PROC_COMPOUND),
        "the backend may block");
    assertTrue(inline(e -> getattrOf(e, root)));

    inMemory.set(false);
    assertFalse(inline(e -> getattrOf(e, root)), "the backend would read its storage");
  }

  private void readOf(XdrEncoder e, byte[] handle, long offset, long count) {
    e.writeString("").writeInt(1).writeInt(3);
    e.writeInt(Nfs4Opcode.SEQUENCE).writeFixedOpaque(new byte[16]).writeInt(1).writeInt(0)
        .writeInt(0).writeBoolean(false);
    e.writeInt(Nfs4Opcode.PUTFH).writeOpaque(handle);
    e.writeInt(Nfs4Opcode.READ).writeFixedOpaque(new byte[16]).writeHyper(offset).writeUnsignedInt(count);
  }

  @Test
  void aReadOfARangeHeldInMemoryRunsOnTheNetworkThread() {
    assertTrue(inline(e -> readOf(e, root, 4096, 4096)));
    assertFalse(inline(e -> readOf(e, root, 4096, 4097)), "the range is asked");
    dataInMemoryUpTo = Long.MAX_VALUE;
    assertTrue(inline(e -> readOf(e, root, 0, 0xffffffffL)), "a count above the maximum is cut to it");
  }

  @Test
  void aWriteDelegationKeepsEveryReadOnWorkers() {
    writeDelegationHeld.set(true);
    assertFalse(inline(e -> getattrOf(e, root)), "CB_GETATTR may have to be waited for");
    assertFalse(inline(e -> readOf(e, root, 0, 10)));
  }

  @Test
  void otherObjectsAndOtherCompoundsRunOnWorkers() {
    byte[] other = server.exports().toWire(export, FileHandle.of(new byte[] {43}));
    assertFalse(inline(e -> getattrOf(e, other)));
    byte[] unknownExport = root.clone();
    unknownExport[4] ^= 1;
    assertFalse(inline(e -> getattrOf(e, unknownExport)));
    assertFalse(inline(e -> getattrOf(e, new byte[] {(byte) 0xff, 1, 2})), "not a handle of this server");
    assertFalse(inline(e -> {
      e.writeString("").writeInt(0).writeInt(2);
      e.writeInt(Nfs4Opcode.PUTFH).writeOpaque(root);
      e.writeInt(Nfs4Opcode.REMOVE).writeString("x");
    }));
    assertFalse(program.isNonBlocking(Nfs4Program.VERSION, 7, Unpooled.EMPTY_BUFFER), "no such procedure");
    assertTrue(program.isNonBlocking(Nfs4Program.VERSION, Nfs4Program.PROC_NULL, Unpooled.EMPTY_BUFFER));
  }
}
