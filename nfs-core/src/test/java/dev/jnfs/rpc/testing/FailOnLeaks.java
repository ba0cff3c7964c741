package dev.jnfs.rpc.testing;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reports a buffer leak during it: use with
 * {@code @ExtendWith(FailOnLeaks.class)}. Leaks are found after the class's tests ran (the
 * detector only sees buffers the garbage collector took), so the class must have released
 * its servers by then.
 */
public final class FailOnLeaks implements BeforeAllCallback, AfterAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(FailOnLeaks.class);

  /** Creates the extension; JUnit calls this. */
  public FailOnLeaks() {}

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    LeakWatch watch = new LeakWatch();
    watch.collect();
    watch.clear();
    context.getStore(NAMESPACE).put(LeakWatch.class, watch);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    LeakWatch watch = context.getStore(NAMESPACE).remove(LeakWatch.class, LeakWatch.class);
    if (watch == null) {
      return;
    }
    try {
      List<String> leaks = watch.collect();
      if (!leaks.isEmpty()) {
        throw new AssertionError(leaks.size() + " buffer leak(s) reported: " + leaks);
      }
    } finally {
      watch.close();
    }
  }
}
