package dev.jnfs.v4;

import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.FileAttributes;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.FsStat;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.NfsStatus;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Instant;

/**
 * A backend holding only an empty root directory: enough to test the COMPOUND framework and
 * the pseudo-filesystem without a full backend. Every other method answers NOTSUPP.
 */
final class RootOnlyFileSystem {
  static final FileHandle ROOT = FileHandle.of(new byte[] {42});

  private RootOnlyFileSystem() {}

  static NfsFileSystem create(long fsid) {
    FileAttributes attrs = new FileAttributes(FileType.DIRECTORY, 0755, 2, 0, 0, 4096, 4096,
        DeviceNumber.NONE, fsid, 7, Instant.EPOCH, Instant.EPOCH, Instant.EPOCH, 99);
    InvocationHandler h = (proxy, method, args) -> {
      switch (method.getName()) {
        case "root":
          return ROOT;
        case "getattr":
          if (!ROOT.equals(args[1])) {
            throw new NfsException(NfsStatus.STALE);
          }
          return attrs;
        case "fsstat":
          return new FsStat(1000, 500, 400, 100, 50, 40);
        case "lookup":
          throw new NfsException(NfsStatus.NOENT);
        case "toString":
          return "RootOnlyFileSystem";
        case "hashCode":
          return System.identityHashCode(proxy);
        case "equals":
          return proxy == args[0];
        default:
          if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
          }
          throw new NfsException(NfsStatus.NOTSUPP);
      }
    };
    return (NfsFileSystem) Proxy.newProxyInstance(
        NfsFileSystem.class.getClassLoader(), new Class<?>[] {NfsFileSystem.class}, h);
  }
}
