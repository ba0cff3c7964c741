package dev.jnfs.v4.state;

import dev.jnfs.lock.FileKey;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsFileSystem;
import dev.jnfs.spi.OpenContext;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/** A backend stand-in that only records the open, openChanged and close hooks the state engine calls. */
final class RecordingFileSystem {
  final List<String> calls = new ArrayList<>();
  final NfsFileSystem fs;

  RecordingFileSystem() {
    fs = (NfsFileSystem) Proxy.newProxyInstance(
        NfsFileSystem.class.getClassLoader(),
        new Class<?>[] {NfsFileSystem.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "open" -> {
            synchronized (calls) {
              calls.add("open " + name((FileHandle) args[1]) + modes((OpenContext) args[2]));
            }
            yield null;
          }
          case "openChanged" -> {
            synchronized (calls) {
              calls.add("changed " + name((FileHandle) args[0]) + modes((OpenContext) args[1]));
            }
            yield null;
          }
          case "close" -> {
            synchronized (calls) {
              calls.add("close " + name((FileHandle) args[0]));
            }
            yield null;
          }
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          case "toString" -> "RecordingFileSystem";
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  private static String modes(OpenContext open) {
    return (open.writable() ? " rw" : " r") + (open.deny() != 0 ? " deny" + open.deny() : "");
  }

  private static String name(FileHandle h) {
    return new String(h.toBytes(), java.nio.charset.StandardCharsets.US_ASCII);
  }

  OpenFile file(String name) {
    return new OpenFile(fs, new FileKey(1, FileHandle.of(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
  }
}
