package dev.jnfs.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The defaults of {@link NfsFileSystem} (optional operations answer NOTSUPP) and of {@link
 * ReadOnlyFileSystem} (changes answer ROFS).
 */
class DefaultOperationsTest {
  static final Caller C = Caller.of(1, 1);
  static final FileHandle H = FileHandle.ofId(1);

  /** Implements the reading methods only; everything else is the interface's default. */
  static final class Reading implements ReadOnlyFileSystem {
    @Override
    public FileHandle root() {
      return H;
    }

    @Override
    public FileAttributes getattr(Caller caller, FileHandle handle) {
      return FileAttributes.builder(FileType.DIRECTORY, 1).build();
    }

    @Override
    public FileEntry lookup(Caller caller, FileHandle directory, String name) throws NfsException {
      throw new NfsException(NfsStatus.NOENT);
    }

    @Override
    public int access(Caller caller, FileHandle handle, int requested) {
      return requested & Access.READ;
    }

    @Override
    public ReadResult read(Caller caller, FileHandle handle, long offset, ByteBuffer destination)
        throws NfsException {
      throw new NfsException(NfsStatus.ISDIR);
    }

    @Override
    public DirectoryPage readdir(Caller caller, FileHandle directory, long cookie, long verifier,
        int maxEntries, boolean withAttributes) {
      return new DirectoryPage(List.of(), true, 0);
    }

    @Override
    public FsStat fsstat(Caller caller, FileHandle handle) {
      return new FsStat(0, 0, 0, 1, 0, 0);
    }
  }

  static void assertStatus(NfsStatus expected, Executable call) {
    assertEquals(expected, assertThrows(NfsException.class, call).status());
  }

  @Test
  void optionalOperationsAnswerNotsuppByDefault() {
    NfsFileSystem writable = new MinimalWritable();
    assertFalse(writable.isReadOnly());
    assertTrue(writable.capabilities().isEmpty());
    assertStatus(NfsStatus.NOTSUPP, () -> writable.readlink(C, H));
    assertStatus(NfsStatus.NOTSUPP, () -> writable.symlink(C, H, "l", "t", SetAttributes.NONE));
    assertStatus(NfsStatus.NOTSUPP,
        () -> writable.mknod(C, H, "p", FileType.FIFO, SetAttributes.NONE, DeviceNumber.NONE));
    assertStatus(NfsStatus.NOTSUPP, () -> writable.link(C, H, H, "h"));
  }

  @Test
  void aReadOnlyFileSystemAnswersRofsToEveryChange() throws NfsException {
    NfsFileSystem fs = new Reading();
    assertTrue(fs.isReadOnly());
    assertStatus(NfsStatus.ROFS, () -> fs.setattr(C, H, SetAttributes.mode(0), null));
    assertStatus(NfsStatus.ROFS,
        () -> fs.write(C, H, 0, ByteBuffer.allocate(1), Stability.FILE_SYNC));
    assertStatus(NfsStatus.ROFS,
        () -> fs.create(C, H, "f", CreateMode.UNCHECKED, SetAttributes.NONE, 0));
    assertStatus(NfsStatus.ROFS, () -> fs.mkdir(C, H, "d", SetAttributes.NONE));
    assertStatus(NfsStatus.ROFS, () -> fs.symlink(C, H, "l", "t", SetAttributes.NONE));
    assertStatus(NfsStatus.ROFS,
        () -> fs.mknod(C, H, "p", FileType.FIFO, SetAttributes.NONE, DeviceNumber.NONE));
    assertStatus(NfsStatus.ROFS, () -> fs.link(C, H, H, "h"));
    assertStatus(NfsStatus.ROFS, () -> fs.remove(C, H, "f"));
    assertStatus(NfsStatus.ROFS, () -> fs.rmdir(C, H, "d"));
    assertStatus(NfsStatus.ROFS, () -> fs.rename(C, H, "a", H, "b"));
    assertStatus(NfsStatus.NOTSUPP, () -> fs.readlink(C, H));
    fs.commit(C, H, 0, 0); // nothing to make durable
  }

  /** A writable backend that implements only the mandatory methods. */
  static final class MinimalWritable implements NfsFileSystem {
    private final Reading reading = new Reading();

    @Override
    public FileHandle root() {
      return H;
    }

    @Override
    public FileAttributes getattr(Caller caller, FileHandle handle) {
      return reading.getattr(caller, handle);
    }

    @Override
    public FileAttributes setattr(Caller caller, FileHandle handle, SetAttributes changes,
        java.time.Instant guardCtime) {
      return getattr(caller, handle);
    }

    @Override
    public FileEntry lookup(Caller caller, FileHandle directory, String name) throws NfsException {
      return reading.lookup(caller, directory, name);
    }

    @Override
    public int access(Caller caller, FileHandle handle, int requested) {
      return requested;
    }

    @Override
    public ReadResult read(Caller caller, FileHandle handle, long offset, ByteBuffer destination)
        throws NfsException {
      return reading.read(caller, handle, offset, destination);
    }

    @Override
    public WriteResult write(Caller caller, FileHandle handle, long offset, ByteBuffer data,
        Stability stability) throws NfsException {
      throw new NfsException(NfsStatus.ISDIR);
    }

    @Override
    public void commit(Caller caller, FileHandle handle, long offset, long count) {}

    @Override
    public FileEntry create(Caller caller, FileHandle directory, String name, CreateMode mode,
        SetAttributes attributes, long verifier) throws NfsException {
      throw new NfsException(NfsStatus.NOSPC);
    }

    @Override
    public FileEntry mkdir(Caller caller, FileHandle directory, String name,
        SetAttributes attributes) throws NfsException {
      throw new NfsException(NfsStatus.NOSPC);
    }

    @Override
    public void remove(Caller caller, FileHandle directory, String name) throws NfsException {
      throw new NfsException(NfsStatus.NOENT);
    }

    @Override
    public void rmdir(Caller caller, FileHandle directory, String name) throws NfsException {
      throw new NfsException(NfsStatus.NOENT);
    }

    @Override
    public void rename(Caller caller, FileHandle fromDirectory, String fromName,
        FileHandle toDirectory, String toName) throws NfsException {
      throw new NfsException(NfsStatus.NOENT);
    }

    @Override
    public DirectoryPage readdir(Caller caller, FileHandle directory, long cookie, long verifier,
        int maxEntries, boolean withAttributes) {
      return reading.readdir(caller, directory, cookie, verifier, maxEntries, withAttributes);
    }

    @Override
    public FsStat fsstat(Caller caller, FileHandle handle) {
      return reading.fsstat(caller, handle);
    }
  }
}
