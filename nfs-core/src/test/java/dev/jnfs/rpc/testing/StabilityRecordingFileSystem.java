package dev.jnfs.rpc.testing;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.Stability;
import dev.jnfs.spi.WriteResult;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that records what the server asks of its storage: the stability of every WRITE
 * and the number of COMMITs. The in-memory file system behind a proxy; a write answers the
 * stability it was asked for, as a disk backend that forces FILE_SYNC data would.
 */
public final class StabilityRecordingFileSystem {
  /** The stability of each write, in order. */
  public final List<Stability> writes = new CopyOnWriteArrayList<>();
  /** How many times commit was called. */
  public final AtomicInteger commits = new AtomicInteger();
  /** What the server is given. */
  public final NfsFileSystem backend;

  public StabilityRecordingFileSystem() {
    InMemoryFileSystem delegate = new InMemoryFileSystem();
    backend = (NfsFileSystem) Proxy.newProxyInstance(
        NfsFileSystem.class.getClassLoader(), new Class<?>[] {NfsFileSystem.class},
        (proxy, method, args) -> {
          Object result;
          try {
            result = method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          switch (method.getName()) {
            case "write" -> {
              Stability asked = (Stability) args[args.length - 1];
              writes.add(asked);
              WriteResult w = (WriteResult) result;
              return new WriteResult(w.count(), asked, w.before());
            }
            case "commit" -> commits.incrementAndGet();
            default -> { }
          }
          return result;
        });
  }
}
