package dev.jnfs.nlm;

import dev.jnfs.lock.FileKey;
import dev.jnfs.spi.Owner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The NSM side of NLM: which client hosts hold locks or shares here, on which files and under
 * which owners, and this server's NSM state number. With a state directory the host list and
 * the state number are kept in a {@link HostsFile}, rewritten before a host's first lock is
 * granted and after its last one goes, so that after a crash the server knows whom to
 * notify. Without one they live in memory only and a restart forgets them. Thread-safe.
 */
final class MonitoredHosts {
  private static final Logger log = LoggerFactory.getLogger(MonitoredHosts.class);

  private final HostsFile file;
  private final int state;
  private final Set<String> previous;
  private final Set<String> toNotify;
  private final Map<String, Map<FileKey, Set<Owner>>> held = new HashMap<>();
  private final Set<String> ownNames = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Reads what the previous run left, and records the new state number: the next odd one, as
   * NSM state numbers are odd while a host is up.
   *
   * @param directory the state directory, or null for none
   */
  MonitoredHosts(Path directory) {
    try {
      this.file = directory == null ? null : new HostsFile(directory);
      HostsFile.Saved saved = file == null ? new HostsFile.Saved(0, Set.of()) : file.read();
      this.state = (saved.state() | 1) + (saved.state() == 0 ? 0 : 2);
      this.previous = Set.copyOf(saved.hosts());
      this.toNotify = new LinkedHashSet<>(saved.hosts());
      if (file != null) {
        file.write(state, toNotify);
      }
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("cannot read or write the NLM hosts in " + directory, e);
    }
  }

  /** @return this server's NSM state number, odd */
  int state() {
    return state;
  }

  /** @return the hosts that held locks when the server last stopped, to notify now */
  Set<String> previousHosts() {
    return previous;
  }

  /** Notes a name this server gives itself in its SM_NOTIFY calls. */
  void notifyingAs(String name) {
    ownNames.add(name);
  }

  /**
   * @return whether an SM_NOTIFY is this server's own, come back to it: a client behind NAT on
   *     the server's host has the server's address, so the notification reaches this server's
   *     own status monitor
   */
  boolean isOwnNotify(String name, int notifiedState) {
    return notifiedState == state && ownNames.contains(name);
  }

  /** Notes that the previous run's host was notified (or given up on). */
  synchronized void notified(String host) {
    if (toNotify.remove(host)) {
      saveQuietly();
    }
  }

  /**
   * Notes that a host holds a lock or share of an owner on a file; a new host is saved before
   * this returns.
   *
   * @return false when a new host could not be saved: nothing is noted, and the caller gives
   *     back what it granted
   */
  synchronized boolean hold(String host, FileKey file, Owner owner) {
    if (!held.containsKey(host)) {
      held.put(host, new HashMap<>());
      try {
        save();
      } catch (UncheckedIOException e) {
        held.remove(host);
        return false;
      }
    }
    held.get(host).computeIfAbsent(file, f -> new HashSet<>()).add(owner);
    return true;
  }

  /** Notes that an owner of a host holds nothing any more on a file; forgets a host left with nothing. */
  synchronized void released(String host, FileKey file, Owner owner) {
    Map<FileKey, Set<Owner>> files = held.get(host);
    if (files == null) {
      return;
    }
    Set<Owner> owners = files.get(file);
    if (owners != null && owners.remove(owner) && owners.isEmpty()) {
      files.remove(file);
    }
    if (files.isEmpty()) {
      held.remove(host);
      saveQuietly();
    }
  }

  /** Forgets a host and returns what it held, for the caller to release. */
  synchronized Map<FileKey, Set<Owner>> forget(String host) {
    Map<FileKey, Set<Owner>> files = held.remove(host);
    if (files == null) {
      return Map.of();
    }
    saveQuietly();
    return files;
  }

  /** Saves a shorter list: failing leaves a host too many, which is only notified in vain. */
  private void saveQuietly() {
    try {
      save();
    } catch (UncheckedIOException e) {
      // logged by save
    }
  }

  private void save() {
    if (file == null) {
      return;
    }
    Set<String> hosts = new LinkedHashSet<>(toNotify);
    hosts.addAll(held.keySet());
    try {
      file.write(state, hosts);
    } catch (IOException e) {
      log.warn("cannot save the NLM client hosts", e);
      throw new UncheckedIOException(e);
    }
  }
}
