package dev.jnfs.localfs;

import dev.jnfs.spi.Capability;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * Learns which of the capabilities that need {@link NativeFiles} the export's file system has,
 * by trying each call on two small files in the state directory (removed again): a sparse
 * write that must cost no blocks (SPARSE_FILES), SEEK_DATA, {@code fallocate} (ALLOCATE),
 * punching a hole (DEALLOCATE) and a reflink (CLONE; ext4 and tmpfs have none, Btrfs and XFS
 * do). When the state directory lies on another file system than the root, nothing can be
 * tried without writing into the export: then every call is taken as present and answers
 * NOTSUPP when the file system lacks it.
 */
final class NativeProbe {
  private static final long SPARSE_OFFSET = 1 << 20;

  private NativeProbe() {}

  static Set<Capability> capabilities(NativeFiles nativeFiles, Path root, Path stateDirectory) throws IOException {
    if (!Files.getFileStore(root).equals(Files.getFileStore(stateDirectory))) {
      return EnumSet.of(Capability.SEEK, Capability.ALLOCATE, Capability.DEALLOCATE, Capability.CLONE);
    }
    EnumSet<Capability> found = EnumSet.noneOf(Capability.class);
    String name = "probe-native-" + UUID.randomUUID();
    Path sparse = stateDirectory.resolve(name);
    Path clone = stateDirectory.resolve(name + "-clone");
    try {
      try (FileChannel ch = FileChannel.open(sparse, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(new byte[] {1}), SPARSE_OFFSET);
      }
      if (works(() -> nativeFiles.allocatedBytes(sparse) < SPARSE_OFFSET)) {
        found.add(Capability.SPARSE_FILES);
      }
      if (works(() -> nativeFiles.seek(sparse, 0, true) >= 0)) {
        found.add(Capability.SEEK);
      }
      if (works(() -> {
        nativeFiles.allocate(sparse, 0, 8192);
        return true;
      })) {
        found.add(Capability.ALLOCATE);
      }
      if (works(() -> {
        nativeFiles.punchHole(sparse, 0, 8192);
        return true;
      })) {
        found.add(Capability.DEALLOCATE);
      }
      Files.createFile(clone);
      if (works(() -> {
        nativeFiles.cloneRange(sparse, 0, clone, 0, 0);
        return true;
      })) {
        found.add(Capability.CLONE);
      }
    } finally {
      Files.deleteIfExists(clone);
      Files.deleteIfExists(sparse);
    }
    return found;
  }

  private interface Trial {
    boolean run() throws IOException;
  }

  private static boolean works(Trial trial) {
    try {
      return trial.run();
    } catch (IOException e) {
      return false;
    }
  }
}
