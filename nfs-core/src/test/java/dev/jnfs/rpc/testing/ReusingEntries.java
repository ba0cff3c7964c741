package dev.jnfs.rpc.testing;

import dev.jnfs.spi.DirectoryEntry;
import dev.jnfs.spi.DirectoryPage;
import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsFileSystem;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A backend over another whose readdir gives, for each name, the very instance it gave
 * before while the entry is equal to it, as nfs-localfs does while nothing changed: what the
 * listings' copying of encoded entries is tested against.
 */
public final class ReusingEntries {
  private ReusingEntries() {}

  /** @return {@code inner}, its entries given again while equal */
  public static NfsFileSystem over(NfsFileSystem inner) {
    return over(inner, UnaryOperator.identity(), name -> null);
  }

  /**
   * @param inner the backend
   * @param listedAs what readdir lists for one of {@code inner}'s entries (the entry itself,
   *     or one without its handle and attributes)
   * @param failedLookup per name, what a lookup of it throws instead of asking {@code inner},
   *     or null
   * @return {@code inner}, its entries listed as {@code listedAs} says and given again while
   *     equal
   */
  public static NfsFileSystem over(NfsFileSystem inner, UnaryOperator<DirectoryEntry> listedAs,
      Function<String, NfsException> failedLookup) {
    Map<String, DirectoryEntry> given = new HashMap<>();
    return (NfsFileSystem) Proxy.newProxyInstance(NfsFileSystem.class.getClassLoader(),
        new Class<?>[] {NfsFileSystem.class}, (proxy, method, args) -> {
          NfsException failure = method.getName().equals("lookup") ? failedLookup.apply((String) args[2]) : null;
          if (failure != null) {
            throw failure;
          }
          Object result;
          try {
            result = method.invoke(inner, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (!(result instanceof DirectoryPage page)) {
            return result;
          }
          List<DirectoryEntry> entries = new ArrayList<>();
          synchronized (given) {
            for (DirectoryEntry listed : page.entries()) {
              DirectoryEntry e = listedAs.apply(listed);
              String key = e.name() + (e.attributes() == null ? "" : "+");
              DirectoryEntry before = given.get(key);
              entries.add(e.equals(before) ? before : e);
              given.put(key, entries.getLast());
            }
          }
          return new DirectoryPage(entries, page.eof(), page.verifier());
        });
  }
}
