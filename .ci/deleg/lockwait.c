/*
 * Two clients and one lock, for CB_NOTIFY_LOCK: a client blocked in F_SETLKW is told by the
 * server when the lock is released, instead of polling for it.
 *
 *   lockwait hold FILE DIR   takes a write lock on FILE, creates DIR/locked, waits for
 *                            DIR/waiting, holds the lock HOLD_SECONDS longer and releases it
 *   lockwait wait FILE DIR   waits for DIR/locked, creates DIR/waiting and takes the same lock
 *                            with F_SETLKW, then prints how long it was blocked
 *
 * The Linux 4.1 client polls a blocked lock after 1, 2, 4, 8 ... seconds unless the server
 * said it notifies (OPEN4_RESULT_MAY_NOTIFY_LOCK); then it waits for CB_NOTIFY_LOCK, for 30 s
 * at most. So with HOLD_SECONDS 5 the waiter gets the lock after about 5 s when notified,
 * after 7 s when polling, and after 30 s when a promised notification never comes.
 *
 * Prints PASS/FAIL lines and a last line "N passed, N failed".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../guest-steps.h"

#define HOLD_SECONDS 5

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static int set_lock(int fd, short type, int cmd) {
  struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
  return fcntl(fd, cmd, &fl);
}

static int hold(const char *file, const char *dir) {
  int fd = open(file, O_RDWR | O_CREAT, 0644);
  check(fd >= 0, "open");
  if (fd < 0) return finish();
  check(set_lock(fd, F_WRLCK, F_SETLK) == 0, "write lock taken");
  touch(dir, "locked");
  check(wait_for(dir, "waiting", 600), "the other client is about to wait for the lock");
  sleep(HOLD_SECONDS);
  check(set_lock(fd, F_UNLCK, F_SETLK) == 0, "lock released");
  check(wait_for(dir, "acquired", 120), "the other client got the lock");
  close(fd);
  return finish();
}

static int wait_lock(const char *file, const char *dir) {
  check(wait_for(dir, "locked", 600), "the first client holds the lock");
  int fd = open(file, O_RDWR);
  check(fd >= 0, "open");
  if (fd < 0) return finish();
  touch(dir, "waiting");
  double start = now();
  check(set_lock(fd, F_WRLCK, F_SETLKW) == 0, "blocking lock taken once released");
  double waited = now() - start;
  touch(dir, "acquired");
  printf("blocked %.2f s for a lock held %d s after the wait began\n", waited, HOLD_SECONDS);
  check(waited < HOLD_SECONDS + 1.5, "woken by the server's CB_NOTIFY_LOCK, not by polling");
  set_lock(fd, F_UNLCK, F_SETLK);
  close(fd);
  return finish();
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "hold") == 0) return hold(argv[2], argv[3]);
  if (argc == 4 && strcmp(argv[1], "wait") == 0) return wait_lock(argv[2], argv[3]);
  fprintf(stderr, "usage: lockwait hold|wait FILE DIR\n");
  return 2;
}
