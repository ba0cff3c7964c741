package dev.jnfs.lock;

import dev.jnfs.spi.FileHandle;
import java.util.Objects;

/**
 * A file as the {@link LockManager} knows it: the id of the export it was reached through and
 * the backend's handle for it. Keys are equal when both parts are; a file reached through two
 * exports of one backend is therefore two files here, as its handles on the wire differ.
 * Immutable.
 *
 * @param exportId the export's id ({@code Export.id()}), the one embedded in the wire handle
 * @param handle the backend's handle
 */
public record FileKey(int exportId, FileHandle handle) {
  /** @throws NullPointerException if the handle is null */
  public FileKey {
    Objects.requireNonNull(handle, "handle");
  }
}
