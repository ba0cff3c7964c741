package dev.jnfs.nlm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The file {@code nlm-hosts} in the server's state directory: this server's NSM state number
 * and the client hosts that held NLM locks, one per line ({@code state N}, then {@code host
 * ADDRESS} lines). Written whole to a temporary file, forced to disk, then moved over the old
 * one atomically, so a crash leaves either the old or the new list. Not thread-safe: its
 * owner serializes the calls.
 */
final class HostsFile {
  static final String NAME = "nlm-hosts";

  /**
   * What the file held.
   *
   * @param state the NSM state number written last (0 when there was no file)
   * @param hosts the hosts
   */
  record Saved(int state, Set<String> hosts) {}

  private final Path file;

  /** @param directory the state directory, created if missing */
  HostsFile(Path directory) throws IOException {
    Files.createDirectories(directory);
    this.file = directory.resolve(NAME);
  }

  Saved read() throws IOException {
    if (!Files.exists(file)) {
      return new Saved(0, Set.of());
    }
    int state = 0;
    Set<String> hosts = new LinkedHashSet<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    for (String line : lines) {
      if (line.startsWith("state ")) {
        state = Integer.parseInt(line.substring(6).trim());
      } else if (line.startsWith("host ")) {
        hosts.add(line.substring(5).trim());
      }
    }
    return new Saved(state, hosts);
  }

  void write(int state, Set<String> hosts) throws IOException {
    StringBuilder text = new StringBuilder("state ").append(state).append('\n');
    for (String host : hosts) {
      text.append("host ").append(host).append('\n');
    }
    Path temporary = file.resolveSibling(NAME + ".new");
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.US_ASCII));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(true);
    }
    try {
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
