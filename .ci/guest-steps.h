/*
 * What the guest programs of two-client checks share: PASS/FAIL lines with a last line
 * "N passed, N failed", and marker files in the shared folder through which the two clients
 * (and the host) wait for each other.
 */
#ifndef GUEST_STEPS_H
#define GUEST_STEPS_H

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

static int passed, failed;

static void check(int ok, const char *what) {
  printf("%s %s\n", ok ? "PASS" : "FAIL", what);
  fflush(stdout);
  if (ok) passed++; else failed++;
}

static int finish(void) {
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}

/* Waits up to SECONDS for DIR/NAME to exist; returns whether it does. */
static int wait_for(const char *dir, const char *name, int seconds) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  for (int i = 0; i < seconds * 10; i++) {
    if (access(path, F_OK) == 0) return 1;
    usleep(100000);
  }
  return 0;
}

/* Creates DIR/NAME. */
static void touch(const char *dir, const char *name) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  int fd = open(path, O_WRONLY | O_CREAT, 0644);
  if (fd >= 0) close(fd);
}

#endif
