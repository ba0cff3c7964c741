package dev.jnfs.localfs;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.jnfs.spi.Caller;
import dev.jnfs.spi.FileHandle;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A backend over one kind of provider, for tests; closes and deletes everything at the end. */
final class Fixture implements AutoCloseable {
  static final Caller ROOT = Caller.of(0, 0);
  static final Caller USER = Caller.of(1000, 1000);
  static final Caller OTHER = Caller.of(2000, 2000);

  /** The providers the backend is tested on. */
  enum Env {
    JIMFS_UNIX, JIMFS_WINDOWS, JIMFS_OSX, REAL_DIRECTORY
  }

  final Env env;
  final FileSystem jimfs;
  final Path root;
  LocalFileSystem fs;

  private Fixture(Env env, FileSystem jimfs, Path root) throws IOException {
    this.env = env;
    this.jimfs = jimfs;
    this.root = root;
    this.fs = LocalFileSystem.of(root);
  }

  static Fixture of(Env env) throws IOException {
    return switch (env) {
      case JIMFS_UNIX -> jimfs(env, Configuration.unix(), "/export");
      case JIMFS_WINDOWS -> jimfs(env, Configuration.windows(), "C:\\export");
      case JIMFS_OSX -> jimfs(env, Configuration.osX(), "/export");
      case REAL_DIRECTORY -> new Fixture(env, null, Files.createTempDirectory("jnfs-localfs"));
    };
  }

  private static Fixture jimfs(Env env, Configuration config, String root) throws IOException {
    FileSystem fs = Jimfs.newFileSystem(config);
    Path dir = Files.createDirectories(fs.getPath(root));
    return new Fixture(env, fs, dir);
  }

  boolean caseInsensitive() {
    return env == Env.JIMFS_WINDOWS || env == Env.JIMFS_OSX;
  }

  /** Closes the backend and opens a new one on the same root, as after a restart. */
  LocalFileSystem restart() throws IOException {
    fs.close();
    fs = LocalFileSystem.of(root);
    return fs;
  }

  @Override
  public void close() throws IOException {
    fs.close();
    if (jimfs != null) {
      jimfs.close();
    } else {
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  static void assertStatus(NfsStatus expected, Executable call) {
    NfsException e = assertThrows(NfsException.class, call);
    assertEquals(expected, e.status(), e.getMessage());
  }

  static FileHandle handle(dev.jnfs.spi.FileEntry e) {
    return e.handle();
  }
}
