package dev.jnfs.lock;

import dev.jnfs.spi.NfsException;
import dev.jnfs.spi.NfsStatus;
import dev.jnfs.spi.Owner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The default {@link LockManager}: reservations and locks kept in memory, in this process,
 * and lost when it ends (NFSv4 clients reclaim them in the grace period after a restart).
 * Each file's state is guarded by its own monitor, so calls on different files never wait
 * for each other; a file with no reservation and no lock takes no memory. Thread-safe; no
 * call blocks beyond that monitor. Release listeners ({@link #addReleaseListener}) are called
 * after the monitor is left.
 */
public final class LocalLockManager implements LockManager {
  private final ConcurrentHashMap<FileKey, FileLocks> files = new ConcurrentHashMap<>();
  private final List<Consumer<FileKey>> releaseListeners = new CopyOnWriteArrayList<>();

  /** Creates an empty lock manager. */
  public LocalLockManager() {}

  @Override
  public ShareReservation openShare(FileKey file, Owner owner, ShareReservation wanted)
      throws NfsException {
    ShareReservation result = mutate(file, true, f -> {
      for (Map.Entry<Owner, ShareReservation> e : f.shares.entrySet()) {
        if (!e.getKey().equals(owner) && wanted.conflictsWith(e.getValue())) {
          return null;
        }
      }
      return f.shares.merge(owner, wanted, ShareReservation::union);
    });
    if (result == null) {
      throw new NfsException(NfsStatus.SHARE_DENIED);
    }
    return result;
  }

  @Override
  public void downgradeShare(FileKey file, Owner owner, ShareReservation to) throws NfsException {
    Boolean ok = mutate(file, false, f -> {
      ShareReservation held = f.shares.get(owner);
      if (held != null && to.isSubsetOf(held)) {
        f.shares.put(owner, to);
        return true;
      }
      return false;
    });
    if (ok == null || !ok) {
      throw new NfsException(NfsStatus.INVAL, "downgrade is not a subset of the held reservation");
    }
  }

  @Override
  public void releaseShare(FileKey file, Owner owner) {
    mutate(file, false, f -> f.shares.remove(owner));
  }

  @Override
  public Optional<ShareReservation> share(FileKey file, Owner owner) {
    FileLocks f = files.get(file);
    if (f == null) {
      return Optional.empty();
    }
    synchronized (f) {
      return Optional.ofNullable(f.shares.get(owner));
    }
  }

  @Override
  public boolean isDenied(FileKey file, int access) {
    FileLocks f = files.get(file);
    if (f == null) {
      return false;
    }
    synchronized (f) {
      for (ShareReservation s : f.shares.values()) {
        if ((s.deny() & access) != 0) {
          return true;
        }
      }
      return false;
    }
  }

  @Override
  public Optional<HeldLock> lock(FileKey file, Owner owner, LockType type, ByteRange range) {
    Optional<HeldLock> conflict = mutate(file, true, f -> {
      Optional<HeldLock> c = f.conflict(owner, type, range);
      if (c.isEmpty()) {
        f.remove(owner, range);
        f.addMerged(new HeldLock(owner, type, range));
      }
      return c;
    });
    if (conflict.isEmpty()) {
      // a downgrade or a lock replacing a part of a wider one may free bytes for others
      released(file);
    }
    return conflict;
  }

  @Override
  public Optional<HeldLock> test(FileKey file, Owner owner, LockType type, ByteRange range) {
    FileLocks f = files.get(file);
    if (f == null) {
      return Optional.empty();
    }
    synchronized (f) {
      return f.conflict(owner, type, range);
    }
  }

  @Override
  public void unlock(FileKey file, Owner owner, ByteRange range) {
    mutate(file, false, f -> {
      f.remove(owner, range);
      return null;
    });
    released(file);
  }

  @Override
  public void releaseLocks(FileKey file, Owner owner) {
    mutate(file, false, f -> f.locks.removeIf(l -> l.owner().equals(owner)));
    released(file);
  }

  @Override
  public void addReleaseListener(Consumer<FileKey> listener) {
    releaseListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }

  private void released(FileKey file) {
    for (Consumer<FileKey> listener : releaseListeners) {
      listener.accept(file);
    }
  }

  @Override
  public boolean holdsLocks(FileKey file, Owner owner) {
    FileLocks f = files.get(file);
    if (f == null) {
      return false;
    }
    synchronized (f) {
      for (HeldLock l : f.locks) {
        if (l.owner().equals(owner)) {
          return true;
        }
      }
      return false;
    }
  }

  @Override
  public List<HeldLock> locks(FileKey file) {
    FileLocks f = files.get(file);
    if (f == null) {
      return List.of();
    }
    List<HeldLock> copy;
    synchronized (f) {
      copy = new ArrayList<>(f.locks);
    }
    copy.sort(Comparator.comparing(l -> l.range().first(), Long::compareUnsigned));
    return copy;
  }

  /**
   * Runs {@code action} on a file's state under its monitor, creating the state if asked and
   * dropping it when it becomes empty.
   *
   * @return the action's result, or null when the file had no state and none was created
   */
  private <R> R mutate(FileKey file, boolean create, Function<FileLocks, R> action) {
    List<R> out = new ArrayList<>(1);
    files.compute(file, (k, existing) -> {
      FileLocks f = existing;
      if (f == null) {
        if (!create) {
          return null;
        }
        f = new FileLocks();
      }
      synchronized (f) {
        out.add(action.apply(f));
        return f.isEmpty() ? null : f;
      }
    });
    return out.isEmpty() ? null : out.get(0);
  }

  /**
   * The reservations and locks of one file, guarded by the instance's monitor. Mutated only
   * through {@link #mutate}, so an empty instance leaves the map atomically.
   */
  private static final class FileLocks {
    final Map<Owner, ShareReservation> shares = new LinkedHashMap<>();
    final List<HeldLock> locks = new ArrayList<>();

    boolean isEmpty() {
      return shares.isEmpty() && locks.isEmpty();
    }

    Optional<HeldLock> conflict(Owner owner, LockType type, ByteRange range) {
      for (HeldLock l : locks) {
        if (!l.owner().equals(owner) && l.range().overlaps(range) && type.conflictsWith(l.type())) {
          return Optional.of(l);
        }
      }
      return Optional.empty();
    }

    /** Removes the owner's locks within {@code range}, keeping the parts outside it. */
    void remove(Owner owner, ByteRange range) {
      List<HeldLock> kept = new ArrayList<>(locks.size() + 1);
      for (HeldLock l : locks) {
        if (!l.owner().equals(owner) || !l.range().overlaps(range)) {
          kept.add(l);
          continue;
        }
        ByteRange before = l.range().before(range);
        if (before != null) {
          kept.add(new HeldLock(owner, l.type(), before));
        }
        ByteRange after = l.range().after(range);
        if (after != null) {
          kept.add(new HeldLock(owner, l.type(), after));
        }
      }
      locks.clear();
      locks.addAll(kept);
    }

    /** Adds a lock, merging it with the owner's touching locks of the same type. */
    void addMerged(HeldLock lock) {
      ByteRange merged = lock.range();
      boolean grew = true;
      while (grew) {
        grew = false;
        for (int i = 0; i < locks.size(); i++) {
          HeldLock l = locks.get(i);
          if (l.owner().equals(lock.owner()) && l.type() == lock.type() && l.range().touches(merged)) {
            merged = merged.union(l.range());
            locks.remove(i);
            grew = true;
            break;
          }
        }
      }
      locks.add(new HeldLock(lock.owner(), lock.type(), merged));
    }
  }
}
