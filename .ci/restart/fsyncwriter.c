/*
 * Writes a file of a known pattern with periodic fsync(2), then reads it back and checks
 * every range whose fsync returned success. Used across server kills: every range the
 * server acknowledged as stable must come back intact.
 *
 *   fsyncwriter write FILE MIB SYNC_EVERY_MIB   write, fsync every SYNC_EVERY_MIB, verify
 *   fsyncwriter verify FILE MIB                 only verify (e.g. on the server's disk)
 *
 * Prints "synced N MiB" after each successful fsync and a last line
 * "N passed, N failed" (one check per MiB), exit status 0 when nothing failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MIB (1024 * 1024)

static void fill(uint64_t *words, uint64_t offset) {
  for (size_t i = 0; i < MIB / sizeof(uint64_t); i++) {
    uint64_t at = offset + i * sizeof(uint64_t);
    words[i] = at * 0x9E3779B97F4A7C15ULL ^ 0x6A6E6673ULL;
  }
}

static int write_all(int fd, const char *buf, size_t len, off_t at) {
  while (len > 0) {
    ssize_t n = pwrite(fd, buf, len, at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    buf += n;
    len -= (size_t) n;
    at += n;
  }
  return 0;
}

static int read_all(int fd, char *buf, size_t len, off_t at) {
  while (len > 0) {
    ssize_t n = pread(fd, buf, len, at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    buf += n;
    len -= (size_t) n;
    at += n;
  }
  return 0;
}

static int verify(const char *path, long mib, long synced_mib) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    perror("open for verify");
    return 1;
  }
  uint64_t *want = malloc(MIB), *got = malloc(MIB);
  long passed = 0, failed = 0;
  for (long i = 0; i < synced_mib; i++) {
    fill(want, (uint64_t) i * MIB);
    if (read_all(fd, (char *) got, MIB, (off_t) i * MIB) != 0 || memcmp(want, got, MIB) != 0) {
      printf("FAIL MiB %ld differs from what was written and synced\n", i);
      failed++;
    } else {
      passed++;
    }
  }
  close(fd);
  printf("%ld passed, %ld failed\n", passed, failed);
  return failed != 0 || synced_mib != mib;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "verify") == 0) {
    return verify(argv[2], atol(argv[3]), atol(argv[3]));
  }
  if (argc != 5 || strcmp(argv[1], "write") != 0) {
    fprintf(stderr, "usage: fsyncwriter write FILE MIB SYNC_EVERY_MIB | verify FILE MIB\n");
    return 2;
  }
  const char *path = argv[2];
  long mib = atol(argv[3]), every = atol(argv[4]);
  int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    perror("open");
    return 1;
  }
  uint64_t *buf = malloc(MIB);
  long synced = 0;
  for (long i = 0; i < mib; i++) {
    fill(buf, (uint64_t) i * MIB);
    if (write_all(fd, (char *) buf, MIB, (off_t) i * MIB) != 0) {
      printf("write of MiB %ld failed: %s\n", i, strerror(errno));
      return 1;
    }
    if ((i + 1) % every == 0 || i + 1 == mib) {
      if (fsync(fd) != 0) {
        /* the ranges since the last good fsync are in doubt: write them again */
        printf("fsync after MiB %ld failed: %s; writing again from MiB %ld\n", i, strerror(errno),
               synced);
        i = synced - 1;
        continue;
      }
      synced = i + 1;
      printf("synced %ld MiB\n", synced);
      fflush(stdout);
    }
  }
  close(fd);
  int drop = open("/proc/sys/vm/drop_caches", O_WRONLY);
  if (drop >= 0) {
    if (write(drop, "3", 1) != 1) perror("drop_caches");
    close(drop);
  }
  return verify(path, mib, synced);
}
