package dev.jnfs.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Chooses the name a server gives itself to clients (the NFSv4.1 server owner and server scope,
 * RFC 8881 §2.10.4 and §2.10.5): the one the embedder configured, else the one kept in the state
 * directory's {@value #FILE} (made at the first start, so the same across restarts), else a
 * random one for this start only.
 */
final class ServerIdentity {
  /** The file in the state directory that keeps a generated identity. */
  static final String FILE = "server-id";
  /** The longest identity: NFS4_OPAQUE_LIMIT bytes. */
  static final int MAX_BYTES = 1024;

  private static final SecureRandom RANDOM = new SecureRandom();

  private ServerIdentity() {}

  /**
   * @param configured the identity the embedder gave, or null
   * @param stateDirectory the state directory, or null
   * @return the identity to use for this start
   * @throws IOException when the state directory's identity cannot be read or written
   */
  static String resolve(String configured, Path stateDirectory) throws IOException {
    if (configured != null) {
      return configured;
    }
    if (stateDirectory == null) {
      return generate();
    }
    Path file = stateDirectory.resolve(FILE);
    if (Files.exists(file)) {
      String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (!kept.isEmpty()) {
        return check(kept);
      }
    }
    String made = generate();
    write(file, made);
    return made;
  }

  /**
   * @param identity an identity
   * @return it, when it is not empty and at most {@link #MAX_BYTES} bytes in UTF-8
   * @throws IllegalArgumentException otherwise
   */
  static String check(String identity) {
    int length = identity.getBytes(StandardCharsets.UTF_8).length;
    if (length == 0 || length > MAX_BYTES) {
      throw new IllegalArgumentException("server identity must have 1 to " + MAX_BYTES + " bytes");
    }
    return identity;
  }

  private static String generate() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "jnfs-" + HexFormat.of().formatHex(bytes);
  }

  /** Writes the file whole: a temporary file forced to disk, moved over the name. */
  private static void write(Path file, String identity) throws IOException {
    Files.createDirectories(file.getParent());
    Path temporary = file.resolveSibling(FILE + ".new");
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap((identity + "\n").getBytes(StandardCharsets.UTF_8));
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
