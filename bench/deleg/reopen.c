/*
 * Opens, reads and closes one small file N times on an NFS mount and reports how long that
 * took and how many OPEN operations the client sent for it (OPEN and OPEN_NOATTR in
 * /proc/self/mountstats):
 * with a read delegation the client opens locally after the first time.
 *
 *   reopen FILE N
 *
 * Prints "reopen n=N seconds=S per_s=R opens_before=A opens_after=B".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * The OPEN operations the first NFS mount in /proc/self/mountstats sent: OPEN (by name) plus
 * OPEN_NOATTR (NFSv4.1 opens a file it has a handle of with CLAIM_FH and counts it there).
 */
static long opens(void) {
  FILE *f = fopen("/proc/self/mountstats", "r");
  char line[512];
  int inside = 0, seen = 0;
  long count = 0, n;
  if (f == NULL) return -1;
  while (fgets(line, sizeof line, f) != NULL) {
    if (strncmp(line, "device ", 7) == 0) {
      if (seen) break;
      inside = strstr(line, " with fstype nfs") != NULL;
      seen = inside;
    }
    if (inside && (sscanf(line, " OPEN: %ld", &n) == 1 || sscanf(line, " OPEN_NOATTR: %ld", &n) == 1)) {
      count += n;
    }
  }
  fclose(f);
  return seen ? count : -1;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: reopen FILE N\n");
    return 2;
  }
  long n = atol(argv[2]);
  char buf[4096];
  long before = opens();
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long i = 0; i < n; i++) {
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0 || read(fd, buf, sizeof buf) < 0) {
      perror(argv[1]);
      return 1;
    }
    close(fd);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("reopen n=%ld seconds=%.3f per_s=%.0f opens_before=%ld opens_after=%ld\n", n, s, n / s,
         before, opens());
  return 0;
}
