package dev.jnfs.v4.state;

import dev.jnfs.spi.Caller;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.OpenContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the backend about opens: {@code open} when an open-owner first opens a file, {@code
 * openChanged} when the open's modes change, {@code close} when it ends; and counts the
 * opens the backend holds. Called with the state lock held.
 */
final class BackendOpens {
  private static final Logger LOG = LoggerFactory.getLogger(BackendOpens.class);

  /** Opens the backend was told of and not yet told to close. */
  private int count;

  /**
   * @param file the file
   * @param caller who opens
   * @param context the new open
   * @throws NfsException the backend's refusal; the open is then not counted
   */
  void open(OpenFile file, Caller caller, OpenContext context) throws NfsException {
    file.fileSystem().open(caller, file.handle(), context);
    count++;
  }

  /** @param open an open whose context was just replaced */
  void changed(OpenState open) {
    try {
      open.file.fileSystem().openChanged(open.file.handle(), open.context);
    } catch (RuntimeException e) {
      LOG.warn("backend openChanged of {} failed", open.file.handle(), e);
    }
  }

  /** @param open an open that ends */
  void close(OpenState open) {
    count--;
    try {
      open.file.fileSystem().close(open.file.handle(), open.context);
    } catch (RuntimeException e) {
      LOG.warn("backend close of {} failed", open.file.handle(), e);
    }
  }

  /** @return how many opens the backend has been told of and not yet told to close */
  int count() {
    return count;
  }
}
