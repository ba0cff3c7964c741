package dev.jnfs.rpc;

import dev.jnfs.xdr.XdrDecoder;
import dev.jnfs.xdr.XdrEncoder;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/** A program for RPC tests: echo, identity, delays, failures, counters, concurrency probes. */
final class TestProgram implements RpcProgram {
  static final int PROGRAM = 400_000;
  static final int NULL = 0;
  static final int ECHO = 1;
  static final int WHOAMI = 2;
  static final int SLEEP = 3;
  static final int FAIL = 4;
  static final int COUNT = 5;
  static final int COUNT_IDEMPOTENT = 6;
  static final int BLOCK = 7;
  static final int REJECT_AUTH = 8;
  static final int AWAIT_TAG = 9;
  static final int PEER = 10;
  /** Answers an opaque of the asked length whose byte i is {@code seed + i}. */
  static final int FILL = 11;
  /**
   * Answers a flag (1: the bytes follow straight from {@link #file}, 0: copied) and an opaque
   * holding {@code count} bytes of {@link #file} from {@code position}; fails after handing
   * over the file bytes when asked to.
   */
  static final int FILE_RANGE = 12;

  /** Answers the id of the thread the call runs on, as a hyper; remembers the thread. */
  static final int THREAD = 13;

  /** The threads THREAD calls ran on, by id. */
  final java.util.Map<Long, Thread> threads = new java.util.concurrent.ConcurrentHashMap<>();

  /** The file FILE_RANGE reads. */
  volatile java.nio.channels.FileChannel file;
  /** How many file ranges were released. */
  final AtomicInteger fileReleases = new AtomicInteger();

  /** AWAIT_TAG calls wait until their tag is in here. */
  final java.util.Set<Integer> releasedTags = java.util.concurrent.ConcurrentHashMap.newKeySet();

  final AtomicInteger counter = new AtomicInteger();
  final AtomicInteger running = new AtomicInteger();
  final AtomicInteger maxRunning = new AtomicInteger();
  final AtomicInteger executions = new AtomicInteger();
  /** BLOCK calls wait for a permit here. */
  final Semaphore gate = new Semaphore(0);
  /** BLOCK calls release one permit here when they start. */
  final Semaphore started = new Semaphore(0);

  @Override
  public int program() {
    return PROGRAM;
  }

  @Override
  public int lowVersion() {
    return 1;
  }

  @Override
  public int highVersion() {
    return 2;
  }

  /** Whether THREAD calls declare they never block, so that they may run on the event loop. */
  volatile boolean nonBlocking;

  @Override
  public boolean isNonBlocking(int version, int procedure) {
    return RpcProgram.super.isNonBlocking(version, procedure)
        || (nonBlocking && procedure == THREAD);
  }

  @Override
  public boolean isNonIdempotent(int version, int procedure) {
    return procedure == COUNT || procedure == BLOCK;
  }

  @Override
  public void handle(RpcCall call, XdrEncoder results) {
    executions.incrementAndGet();
    int now = running.incrementAndGet();
    maxRunning.accumulateAndGet(now, Math::max);
    try {
      dispatch(call, results);
    } finally {
      running.decrementAndGet();
    }
  }

  private void dispatch(RpcCall call, XdrEncoder out) {
    XdrDecoder in = call.arguments();
    switch (call.procedure()) {
      case NULL -> {}
      case ECHO -> out.writeOpaque(in.readOpaque(1 << 20));
      case WHOAMI -> {
        out.writeInt(call.credential().flavor());
        if (call.credential() instanceof Credential.Sys s) {
          out.writeInt(s.stamp()).writeString(s.machineName()).writeInt(s.uid()).writeInt(s.gid());
          out.writeInt(s.gids().length);
          for (int g : s.gids()) {
            out.writeInt(g);
          }
        }
        if (call.credential() instanceof Credential.Gss g) {
          out.writeString(g.principal()).writeInt(g.service().wireValue());
          out.writeInt(g.uid()).writeInt(g.gid()).writeInt(g.gids().length);
          for (int id : g.gids()) {
            out.writeInt(id);
          }
        }
      }
      case SLEEP -> {
        int millis = in.readInt();
        int tag = in.readInt();
        sleep(millis);
        out.writeInt(tag);
      }
      case FAIL -> {
        out.writeInt(42);
        throw new IllegalStateException("test failure");
      }
      case COUNT, COUNT_IDEMPOTENT -> out.writeInt(counter.incrementAndGet());
      case BLOCK -> {
        int tag = in.readInt();
        started.release();
        gate.acquireUninterruptibly();
        out.writeInt(tag);
      }
      case AWAIT_TAG -> {
        int tag = in.readInt();
        started.release();
        awaitTag(tag);
        out.writeInt(tag);
      }
      case FILL -> {
        int length = in.readInt();
        int seed = in.readInt();
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
          data[i] = (byte) (seed + i);
        }
        out.writeOpaque(data);
      }
      case FILE_RANGE -> {
        long position = in.readHyper();
        int count = in.readInt();
        boolean fail = in.readBoolean();
        if (call.mayEndWithFileBytes()) {
          out.writeInt(1).writeInt(count);
          call.endWithFileBytes(file, position, count, fileReleases::incrementAndGet);
          if (fail) {
            throw new IllegalStateException("failing after the file bytes");
          }
        } else {
          java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(count);
          try {
            while (bytes.hasRemaining() && file.read(bytes, position + bytes.position()) > 0) {}
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          out.writeInt(0).writeOpaque(bytes.array());
        }
      }
      case THREAD -> {
        Thread t = Thread.currentThread();
        threads.put(t.threadId(), t);
        out.writeHyper(t.threadId());
      }
      case PEER -> {
        out.writeString(call.remoteAddress().getAddress().getHostAddress());
        out.writeInt(call.remoteAddress().getPort());
        out.writeInt(call.transport().protocolNumber());
      }
      case REJECT_AUTH ->
          throw RpcException.authError(RpcException.AUTH_TOOWEAK, "test: too weak");
      default -> throw RpcException.procedureUnavailable(call.procedure());
    }
  }

  /** Releases the AWAIT_TAG call with this tag. */
  void release(int tag) {
    synchronized (releasedTags) {
      releasedTags.add(tag);
      releasedTags.notifyAll();
    }
  }

  private void awaitTag(int tag) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    synchronized (releasedTags) {
      while (!releasedTags.contains(tag) && System.nanoTime() < deadline) {
        try {
          releasedTags.wait(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static void sleep(int millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
