package dev.jnfs.nfs3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnfs.memory.InMemoryFileSystem;
import dev.jnfs.mount.MountProgram;
import dev.jnfs.rpc.Credential;
import dev.jnfs.rpc.testing.RpcMessageBuilder;
import dev.jnfs.rpc.testing.RpcTestClient;
import dev.jnfs.server.ExportOptions;
import dev.jnfs.server.NfsServer;
import dev.jnfs.v4.Nfs4Protocol;
import dev.jnfs.v4.testing.Compound;
import dev.jnfs.v4.testing.TcpClient;
import dev.jnfs.xdr.XdrDecoder;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is an optional dependency: a server built without a meter registry serves NFSv3,
 * MOUNT and NFSv4 with Micrometer absent, and never even tries to load one of its classes.
 * The workload runs in a class loader that holds this test's class path without Micrometer's
 * jars and records every request for a Micrometer class.
 */
class WithoutMicrometerTest {

  @Test
  void serverWithoutRegistryNeverLoadsMicrometer() throws Exception {
    Set<String> asked = ConcurrentHashMap.newKeySet();
    try (URLClassLoader loader = new WithoutMicrometer(classPathWithoutMicrometer(), asked)) {
      ClassLoader previous = Thread.currentThread().getContextClassLoader();
      Thread.currentThread().setContextClassLoader(loader);
      try {
        Callable<?> workload =
            (Callable<?>) loader.loadClass(Workload.class.getName()).getDeclaredConstructor().newInstance();
        assertEquals("served", workload.call());
      } finally {
        Thread.currentThread().setContextClassLoader(previous);
      }
    }
    assertEquals(Set.of(), asked, "Micrometer classes asked for");
  }

  /** Serves NFSv3, MOUNT and NFSv4 without a registry and makes a call of each. */
  public static final class Workload implements Callable<String> {
    private static final Credential ROOT = new Credential.Sys(1, "test", 0, 0, new int[0]);

    @Override
    public String call() throws Exception {
      try (NfsServer server =
          NfsServer.builder()
              .bind("127.0.0.1")
              .port(0)
              .udp(false)
              .export("/m", new InMemoryFileSystem(), ExportOptions.DEFAULT.with("insecure,no_root_squash"))
              .protocol(new Nfs3Protocol())
              .protocol(new Nfs4Protocol())
              .build()) {
        server.start();
        try (RpcTestClient c = RpcTestClient.connect(new InetSocketAddress("127.0.0.1", server.port()))) {
          XdrDecoder mnt =
              c.call(MountProgram.PROGRAM, 3, 1, ROOT, RpcMessageBuilder.xdr(e -> e.writeString("/m")))
                  .decoder();
          check(mnt.readInt() == 0, "MNT");
          byte[] root = mnt.readOpaque(64);
          XdrDecoder getattr =
              c.call(Nfs3Program.PROGRAM, 3, Nfs3Program.GETATTR, ROOT,
                  RpcMessageBuilder.xdr(e -> e.writeOpaque(root))).decoder();
          check(getattr.readInt() == 0, "GETATTR");
          XdrDecoder noent =
              c.call(Nfs3Program.PROGRAM, 3, Nfs3Program.LOOKUP, ROOT,
                  RpcMessageBuilder.xdr(e -> e.writeOpaque(root).writeString("missing"))).decoder();
          check(noent.readInt() == 2, "LOOKUP of a missing name");
        }
        try (TcpClient v4 = new TcpClient(server.port(), 0, 0)) {
          check(v4.call(Compound.v41().exchangeId("no-metrics", 1)).status() == 0, "EXCHANGE_ID");
          check(v4.call(Compound.v40().putrootfh().lookup("missing")).status() == 2, "LOOKUP");
        }
      }
      return "served";
    }

    private static void check(boolean ok, String what) {
      if (!ok) {
        throw new AssertionError(what + " failed");
      }
    }
  }

  /**
   * Loads everything but the JDK itself from its own class path, and refuses (and records) any
   * Micrometer class.
   */
  private static final class WithoutMicrometer extends URLClassLoader {
    private final Set<String> asked;

    WithoutMicrometer(URL[] classPath, Set<String> asked) {
      super(classPath, ClassLoader.getPlatformClassLoader());
      this.asked = asked;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("io.micrometer.")) {
        asked.add(name);
        throw new ClassNotFoundException(name);
      }
      return super.loadClass(name, resolve);
    }
  }

  /** This test's class path (a surefire manifest-only jar unpacked) less Micrometer's jars. */
  private static URL[] classPathWithoutMicrometer() throws IOException {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path path = Path.of(entry);
      List<URI> expanded = new ArrayList<>(List.of(path.toUri()));
      if (entry.endsWith(".jar")) {
        try (JarFile jar = new JarFile(path.toFile())) {
          Manifest m = jar.getManifest();
          String classPath = m == null ? null : m.getMainAttributes().getValue("Class-Path");
          if (classPath != null) {
            for (String ref : classPath.trim().split("\\s+")) {
              expanded.add(path.toUri().resolve(ref));
            }
          }
        }
      }
      for (URI u : expanded) {
        if (!u.toString().contains("/io/micrometer/")) {
          urls.add(u.toURL());
        }
      }
    }
    return urls.toArray(new URL[0]);
  }
}
