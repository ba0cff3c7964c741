/*
 * Two clients and one file, for write delegations and their recall.
 *
 *   wdeleg hold FILE DIR    creates FILE, writes 1 MiB into it without fsync and closes
 *                           it, then opens and reads it again, which a client holding a write
 *                           delegation does without an OPEN to the server; creates
 *                           DIR/written, waits for DIR/checked, then checks from
 *                           /proc/self/mountstats that it returned the delegation meanwhile
 *   wdeleg check FILE DIR   waits for DIR/written, opens and reads FILE, compares it byte for
 *                           byte with what the first client wrote, creates DIR/checked
 *
 * Prints PASS/FAIL lines and a last line "N passed, N failed".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../guest-steps.h"

#define SIZE (1024 * 1024)

static unsigned char pattern(long i) {
  return (unsigned char) ((i * 131 + (i >> 12) * 7 + 11) & 0xff);
}

/* The count of operation OP ("WRITE", "DELEGRETURN") on the NFS mounts, -1 if not found. */
static long op_count(const char *op) {
  FILE *f = fopen("/proc/self/mountstats", "r");
  if (f == NULL) return -1;
  char line[512], name[64];
  long count, total = -1;
  while (fgets(line, sizeof line, f) != NULL) {
    if (sscanf(line, " %63[A-Z_]: %ld", name, &count) == 2 && strcmp(name, op) == 0) {
      total = (total < 0 ? 0 : total) + count;
    }
  }
  fclose(f);
  return total;
}

static int hold(const char *file, const char *dir) {
  unsigned char *data = malloc(SIZE);
  for (long i = 0; i < SIZE; i++) data[i] = pattern(i);
  int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
  check(fd >= 0, "open for writing");
  if (fd < 0) return finish();
  check(write(fd, data, SIZE) == SIZE, "1 MiB written, not synced");
  check(close(fd) == 0, "close");
  long opens_before = op_count("OPEN");
  long returns_before = op_count("DELEGRETURN");
  fd = open(file, O_RDONLY);
  unsigned char *got = malloc(SIZE);
  check(fd >= 0 && read(fd, got, SIZE) == SIZE && memcmp(got, data, SIZE) == 0 && close(fd) == 0,
        "opened and read again");
  long opens_after = op_count("OPEN");
  printf("OPENs sent to open it again: %ld; WRITEs sent so far: %ld\n",
         opens_after - opens_before, op_count("WRITE"));
  check(opens_after == opens_before, "opened again locally, under the write delegation");
  touch(dir, "written");
  time_t start = time(NULL);
  check(wait_for(dir, "checked", 600), "the other client read the file");
  long returns_after = op_count("DELEGRETURN");
  printf("waited %ld s; DELEGRETURN before=%ld after=%ld\n",
         (long) (time(NULL) - start), returns_before, returns_after);
  check(returns_after > returns_before, "the delegation was recalled and returned");
  free(got);
  free(data);
  return finish();
}

static int verify(const char *file, const char *dir) {
  check(wait_for(dir, "written", 600), "the first client wrote");
  time_t start = time(NULL);
  int fd = open(file, O_RDONLY);
  check(fd >= 0, "open for reading");
  if (fd < 0) { touch(dir, "checked"); return finish(); }
  unsigned char *got = malloc(SIZE + 1);
  long n = 0, r;
  while (n <= SIZE && (r = read(fd, got + n, SIZE + 1 - n)) > 0) n += r;
  printf("open and read took %ld s, %ld bytes\n", (long) (time(NULL) - start), n);
  check(n == SIZE, "the file has the first client's 1 MiB");
  long bad = -1;
  for (long i = 0; i < n && i < SIZE; i++) {
    if (got[i] != pattern(i)) { bad = i; break; }
  }
  if (bad >= 0) printf("first differing byte at %ld\n", bad);
  check(n == SIZE && bad < 0, "byte for byte the first client's data");
  close(fd);
  free(got);
  touch(dir, "checked");
  return finish();
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: wdeleg hold|check FILE DIR\n");
    return 2;
  }
  if (strcmp(argv[1], "hold") == 0) return hold(argv[2], argv[3]);
  if (strcmp(argv[1], "check") == 0) return verify(argv[2], argv[3]);
  fprintf(stderr, "usage: wdeleg hold|check FILE DIR\n");
  return 2;
}
