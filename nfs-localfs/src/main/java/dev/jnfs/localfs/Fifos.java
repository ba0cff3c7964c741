package dev.jnfs.localfs;

import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Makes named pipes on the local disk and sets their times. java.nio has no call for the
 * first and blocks on the second (it opens the node, and opening a FIFO waits for a writer),
 * so on POSIX systems the standard {@code mkfifo} and {@code touch -h} utilities do both;
 * elsewhere (Windows, in-memory providers) FIFOs are not supported. The node's mode is set
 * at creation; later mode changes are kept in the id index. Where {@code mknod(2)} can be
 * called natively, {@link SpecialNodes} makes FIFOs that way instead, and sockets and devices
 * too; the times of all those nodes are still set here.
 */
final class Fifos {
  private static final long TIMEOUT_SECONDS = 10;

  private Fifos() {}

  /**
   * @param fs the exported file system
   * @return whether FIFOs can be made on it
   */
  static boolean supported(FileSystem fs) {
    return fs == FileSystems.getDefault() && fs.getSeparator().equals("/")
        && fs.supportedFileAttributeViews().contains("unix");
  }

  /**
   * Makes a FIFO.
   *
   * @param path where, not yet existing
   * @param mode its permission bits
   * @throws NfsException EXIST if the name is taken, NOTSUPP where FIFOs cannot be made, IO
   *     when mkfifo fails
   */
  static void make(Path path, int mode) throws NfsException {
    if (!supported(path.getFileSystem())) {
      throw new NfsException(NfsStatus.NOTSUPP, "named pipes cannot be made on this file system");
    }
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new NfsException(NfsStatus.EXIST, path.getFileName() + " exists");
    }
    String output = run("mkfifo", "-m", Integer.toOctalString(mode), "--", path.toAbsolutePath().toString());
    if (output != null) {
      if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        throw new NfsException(NfsStatus.EXIST, path.getFileName() + " exists");
      }
      throw new NfsException(NfsStatus.IO, "mkfifo failed: " + output);
    }
  }

  /**
   * Sets a special file's access and/or modification time without opening it.
   *
   * @param path the node
   * @param atime the new access time, or null to leave it
   * @param mtime the new modification time, or null to leave it
   * @throws IOException when the times cannot be set
   */
  static void setTimes(Path path, Instant atime, Instant mtime) throws IOException {
    try {
      if (atime != null) {
        touch(path, "-a", atime);
      }
      if (mtime != null) {
        touch(path, "-m", mtime);
      }
    } catch (NfsException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  private static void touch(Path path, String which, Instant time) throws NfsException, IOException {
    String stamp = "@" + time.getEpochSecond() + "." + String.format("%09d", time.getNano());
    String output = run("touch", "-h", "-c", which, "-d", stamp, "--", path.toAbsolutePath().toString());
    if (output != null) {
      throw new IOException("touch failed: " + output);
    }
  }

  /** Runs a utility; returns null on success, else its output. */
  private static String run(String... command) throws NfsException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new NfsException(NfsStatus.IO, command[0] + " did not finish");
      }
      return p.exitValue() == 0 ? null : output;
    } catch (IOException e) {
      throw new NfsException(NfsStatus.NOTSUPP, command[0] + " is not available", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NfsException(NfsStatus.IO, "interrupted running " + command[0], e);
    }
  }
}
