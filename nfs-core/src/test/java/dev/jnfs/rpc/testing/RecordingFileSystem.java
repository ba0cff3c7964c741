package dev.jnfs.rpc.testing;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.spi.Capability;
import dev.jnfs.spi.NfsFileSystem;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A backend that records the SPI methods the server calls: the in-memory file system behind a
 * proxy that declares the given capabilities and read-only flag.
 */
public final class RecordingFileSystem {
  /** The SPI methods that change something. */
  public static final Set<String> MODIFYING = Set.of(
      "setattr", "write", "create", "mkdir", "symlink", "mknod", "link", "remove", "rmdir", "rename");

  /** The backend behind the proxy, for setting up content directly. */
  public final InMemoryFileSystem delegate = new InMemoryFileSystem();
  /** The names of the methods the server called. */
  public final Set<String> called = ConcurrentHashMap.newKeySet();
  /** What the server is given. */
  public final NfsFileSystem backend;

  /**
   * @param capabilities what the backend declares
   * @param readOnly whether it declares itself read-only
   */
  public RecordingFileSystem(Set<Capability> capabilities, boolean readOnly) {
    backend = (NfsFileSystem) Proxy.newProxyInstance(
        NfsFileSystem.class.getClassLoader(), new Class<?>[] {NfsFileSystem.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "capabilities" -> {
              return capabilities;
            }
            case "isReadOnly" -> {
              return readOnly;
            }
            default -> called.add(method.getName());
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
