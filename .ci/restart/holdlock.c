/*
 * Holds an open file and a byte-range lock across a server restart.
 *
 *   holdlock hold FILE DIR      writes, locks the first KiB, creates DIR/locked, waits for
 *                               DIR/restarted, writes again, fsyncs, waits for
 *                               DIR/contended, checks both writes and releases the lock
 *   holdlock contend FILE DIR   waits for DIR/restarted, tries the same lock (which must be
 *                               refused: EAGAIN), creates DIR/contended
 *
 * Prints PASS/FAIL lines and a last line "N passed, N failed".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../guest-steps.h"

static int lock(int fd, short type) {
  struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1024};
  return fcntl(fd, F_SETLK, &fl);
}

static int hold(const char *file, const char *dir) {
  static const char before[] = "written before the restart\n";
  static const char after[] = "written after the restart\n";
  int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
  check(fd >= 0, "open");
  if (fd < 0) return finish();
  check(pwrite(fd, before, sizeof before - 1, 0) == sizeof before - 1 && fsync(fd) == 0,
        "write and fsync before the restart");
  check(lock(fd, F_WRLCK) == 0, "write lock on the first KiB");
  touch(dir, "locked");
  check(wait_for(dir, "restarted", 300), "the server was restarted");
  time_t start = time(NULL);
  check(pwrite(fd, after, sizeof after - 1, 4096) == sizeof after - 1 && fsync(fd) == 0,
        "write and fsync after the restart (open state reclaimed)");
  printf("write after the restart took %ld s\n", (long) (time(NULL) - start));
  touch(dir, "wrote-after");
  check(wait_for(dir, "contended", 300), "the other client tried the lock");
  char got[64] = {0};
  check(pread(fd, got, sizeof before - 1, 0) == sizeof before - 1 &&
            memcmp(got, before, sizeof before - 1) == 0,
        "data written before the restart read back");
  check(pread(fd, got, sizeof after - 1, 4096) == sizeof after - 1 &&
            memcmp(got, after, sizeof after - 1) == 0,
        "data written after the restart read back");
  check(lock(fd, F_UNLCK) == 0, "unlock");
  check(close(fd) == 0, "close");
  return finish();
}

static int contend(const char *file, const char *dir) {
  check(wait_for(dir, "restarted", 300), "the server was restarted");
  int fd = open(file, O_RDWR);
  check(fd >= 0, "open of the locked file");
  if (fd >= 0) {
    time_t start = time(NULL);
    int rc = lock(fd, F_WRLCK);
    int err = errno;
    printf("conflicting lock answered after %ld s: %s\n", (long) (time(NULL) - start),
           rc == 0 ? "granted" : strerror(err));
    check(rc != 0 && (err == EAGAIN || err == EACCES),
          "conflicting lock refused while the reclaimed lock is held");
    close(fd);
  }
  touch(dir, "contended");
  return finish();
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "hold") == 0) return hold(argv[2], argv[3]);
  if (argc == 4 && strcmp(argv[1], "contend") == 0) return contend(argv[2], argv[3]);
  fprintf(stderr, "usage: holdlock hold|contend FILE DIR\n");
  return 2;
}
