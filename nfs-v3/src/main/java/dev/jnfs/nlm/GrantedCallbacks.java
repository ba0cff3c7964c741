package dev.jnfs.nlm;

import dev.jnfs.lock.LockType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a client that a lock it waited for is granted: NLM_GRANTED (procedure 5) to the
 * client's NLM, found through its portmapper, in the version of its request, echoing its lock.
 * A client that answers DENIED no longer wants the lock, which is then released. A client
 * that cannot be reached keeps the lock: it sends its LOCK again after a while (the Linux
 * client every 30 seconds), and that LOCK, from the lock's owner, is granted.
 *
 * <p>A client behind NAT on the server's own host has the server's address, so its callback
 * reaches this server's own portmapper and NLM: {@link #isOwn} recognises the cookie, and the
 * server answers its own callback GRANTED, keeping the lock for the client's retry. Thread-safe.
 */
final class GrantedCallbacks {
  private static final Logger log = LoggerFactory.getLogger(GrantedCallbacks.class);
  static final int NLM_PROGRAM = 100021;
  static final int NLM_GRANTED = 5;
  private static final java.util.concurrent.atomic.AtomicLong COOKIES = new java.util.concurrent.atomic.AtomicLong();

  private final PeerCalls peers;
  private final Executor background;
  private final Set<ByteBuffer> outstanding = ConcurrentHashMap.newKeySet();

  GrantedCallbacks(PeerCalls peers, Executor background) {
    this.peers = peers;
    this.background = background;
  }

  /**
   * Sends the callback off the calling thread.
   *
   * @param waiter the granted request
   * @param refused what to do when the client answers that it no longer wants the lock
   */
  void granted(BlockedLocks.Waiter waiter, Runnable refused) {
    background.execute(() -> send(waiter, refused));
  }

  /** @return whether a GRANTED call carries the cookie of a callback this server is sending */
  boolean isOwn(byte[] cookie) {
    return outstanding.contains(ByteBuffer.wrap(cookie));
  }

  private void send(BlockedLocks.Waiter waiter, Runnable refused) {
    byte[] cookie = ByteBuffer.allocate(16).putLong(System.nanoTime()).putLong(COOKIES.incrementAndGet()).array();
    outstanding.add(ByteBuffer.wrap(cookie));
    try {
      call(waiter, refused, cookie);
    } finally {
      outstanding.remove(ByteBuffer.wrap(cookie));
    }
  }

  private void call(BlockedLocks.Waiter waiter, Runnable refused, byte[] cookie) {
    byte[] args = NlmXdr.encode(out -> {
      out.writeOpaque(cookie);
      out.writeBoolean(waiter.type() == LockType.WRITE);
      waiter.lock().encode(out, waiter.version());
    });
    try {
      byte[] results = peers.call(waiter.address(), NLM_PROGRAM, waiter.version(), NLM_GRANTED, args);
      ByteBuffer in = ByteBuffer.wrap(results);
      int cookieLength = in.getInt();
      in.position(in.position() + ((cookieLength + 3) & ~3));
      int status = in.getInt();
      if (status != NlmXdr.GRANTED) {
        log.debug("NLM GRANTED to {} answered {}: lock released", waiter.host(), status);
        refused.run();
      }
    } catch (IOException | RuntimeException e) {
      log.debug("NLM GRANTED to {} failed ({}); the client's retry will find its lock", waiter.host(), e.toString());
    }
  }
}
