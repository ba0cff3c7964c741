package dev.jnfs.localfs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Forces directories to stable storage for many callers at once (group commit). A caller has
 * changed a directory's entries and must not answer before they are on disk; it joins the
 * round that has not begun yet, and the round's {@code fsync} of that directory, begun after
 * every caller in it joined, commits all their changes. While a round is forcing, the next
 * one gathers callers: with 32 CREATE and REMOVE calls in flight in one directory that is a
 * few {@code fsync}s where each call would otherwise flush the disk's cache on its own.
 *
 * <p>Directories are spread over a fixed number of stripes by their path, each with at most
 * one round forcing and one gathering, so unrelated directories mostly do not wait for each
 * other and nothing grows with the number of directories. A round forces each of its
 * directories once, in the order they joined. A caller gets the outcome of its own
 * directory's force: the I/O error of that {@code fsync} fails every caller who waited for
 * it (a later force through another descriptor need not report it again, so nobody retries
 * on their behalf), and the next round forces afresh.
 *
 * <p>Thread-safe. The caller who finds no round forcing runs its round itself, so no thread of
 * its own is needed; a caller waits for at most the round in progress and its own.
 */
final class DirectoryForces {
  private static final int STRIPES = 16;

  /** Forces one directory; the only place the I/O happens. */
  @FunctionalInterface
  interface Force {
    void force(Path directory) throws IOException;
  }

  private final Force force;
  private final Stripe[] stripes = new Stripe[STRIPES];

  DirectoryForces(Force force) {
    this.force = force;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Stripe();
    }
  }

  /**
   * Returns once {@code directory} has been forced by an {@code fsync} that began after this
   * call did.
   *
   * @throws IOException the error of that {@code fsync}
   */
  void force(Path directory) throws IOException {
    stripes[Math.floorMod(directory.hashCode(), STRIPES)].force(directory);
  }

  private final class Stripe {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition roundEnded = lock.newCondition();
    /** The round callers join; it begins when the one forcing has ended. Null when none waits. */
    private Round gathering;
    private boolean forcing;

    void force(Path directory) throws IOException {
      Round round;
      lock.lock();
      try {
        if (gathering == null) {
          gathering = new Round();
        }
        round = gathering;
        round.directories.add(directory);
        while (forcing && !round.ended) {
          roundEnded.awaitUninterruptibly();
        }
        if (round.ended) {
          round.rethrowFailureOf(directory);
          return;
        }
        gathering = null; // nothing forces and this round has not begun: it begins now
        forcing = true;
      } finally {
        lock.unlock();
      }
      try {
        round.run(force);
      } finally {
        lock.lock();
        try {
          round.ended = true;
          forcing = false;
          roundEnded.signalAll();
        } finally {
          lock.unlock();
        }
      }
      round.rethrowFailureOf(directory);
    }
  }

  /** The directories one {@code fsync} each commits for everyone who joined before it began. */
  private static final class Round {
    final Set<Path> directories = new LinkedHashSet<>();
    /** Written by the caller running the round before {@code ended}, read after it. */
    final Map<Path, Exception> failures = new HashMap<>();
    /** Whether every directory was tried: not after an error that ended the run early. */
    boolean ran;
    boolean ended;

    void run(Force force) {
      for (Path directory : directories) {
        try {
          force.force(directory);
        } catch (IOException | RuntimeException e) {
          failures.put(directory, e);
        }
      }
      ran = true;
    }

    void rethrowFailureOf(Path directory) throws IOException {
      if (!ran) {
        throw new IOException("forcing " + directory + " did not finish: the round ended in an error");
      }
      Exception failure = failures.get(directory);
      if (failure instanceof IOException e) {
        throw e;
      }
      if (failure != null) {
        throw (RuntimeException) failure; // run keeps nothing else
      }
    }
  }
}
