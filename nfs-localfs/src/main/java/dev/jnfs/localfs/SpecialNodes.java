package dev.jnfs.localfs;

import dev.jnfs.spi.DeviceNumber;
import dev.jnfs.spi.FileType;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;

/**
 * Makes FIFOs, sockets and block and character devices on the local disk: with {@code
 * mknodat(2)}, relative to the directory reached from the root without following a symlink,
 * where {@link NativeFiles.Confined} has it, else FIFOs alone through {@link Fifos} (JDK 21,
 * non-Linux hosts) and NOTSUPP for the rest. Who may ask for which is the caller's business
 * ({@link ObjectCreation} lets only root make devices, as the kernel does without
 * CAP_MKNOD); the host still refuses what the server's own privileges do not allow, and that
 * refusal is answered as the host's error, never as NOTSUPP.
 */
final class SpecialNodes {
  private static final int S_IFIFO = 0010000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFSOCK = 0140000;

  private final NativeFiles.Confined nativeFiles;

  /** @param nativeFiles the native calls confined to the export's root, or null where there are none */
  SpecialNodes(NativeFiles.Confined nativeFiles) {
    this.nativeFiles = nativeFiles != null && nativeFiles.makesNodes() ? nativeFiles : null;
  }

  /** @return whether any special file can be made on a file system */
  boolean supported(FileSystem fs) {
    return nativeFiles != null || Fifos.supported(fs);
  }

  /** @return whether nodes of this type can be made here */
  boolean makes(FileType type) {
    return nativeFiles != null || type == FileType.FIFO;
  }

  /**
   * Makes a node.
   *
   * @param type FIFO, SOCKET, BLOCK_DEVICE or CHAR_DEVICE
   * @param mode its permission bits
   * @param device its device number (devices only)
   * @throws NfsException NOTSUPP where this type cannot be made, else the host's refusal
   */
  void make(Path path, FileType type, int mode, DeviceNumber device) throws NfsException {
    if (nativeFiles == null) {
      if (type != FileType.FIFO) {
        throw new NfsException(NfsStatus.NOTSUPP, "only named pipes can be made here, not " + type);
      }
      Fifos.make(path, mode);
      return;
    }
    boolean isDevice = type == FileType.BLOCK_DEVICE || type == FileType.CHAR_DEVICE;
    int typeBits = switch (type) {
      case FIFO -> S_IFIFO;
      case SOCKET -> S_IFSOCK;
      case BLOCK_DEVICE -> S_IFBLK;
      case CHAR_DEVICE -> S_IFCHR;
      default -> throw new IllegalArgumentException("not a special file: " + type);
    };
    DeviceNumber number = isDevice && device != null ? device : DeviceNumber.NONE;
    try {
      nativeFiles.makeNode(path, typeBits | (mode & 07777),
          NativeFiles.deviceNumber(number.major(), number.minor()));
    } catch (ErrnoException e) {
      // the host's refusal (EEXIST, EPERM, ENOSPC...) is the answer, not a server fault
      throw new NfsException(e.errno() == ErrnoException.ENOENT ? NfsStatus.NOENT : e.status(),
          "mknod of " + path.getFileName() + ": " + e.getMessage());
    } catch (IOException e) {
      throw Errors.map(e);
    }
  }
}
