/*
 * bench42 — times NFSv4.2 server-side copy and READ_PLUS through the Linux client, inside the
 * kernel-client guest, on the current directory (the mount). Built with gcc -static.
 *
 *   bench42 files        makes dense.1g (1 GiB of data) and sparse.1g (1 GiB, 90 % holes:
 *                        1 MiB of data at the start of every 10 MiB)
 *   bench42 copy         copies dense.1g with copy_file_range (server-side with NFSv4.2)
 *                        and with a read/write loop through the client; prints both
 *   bench42 read FILE    drops the page cache and reads FILE with 1 MiB reads; prints MiB/s
 *
 * Output lines: "bench42 what=... bytes=N seconds=S mib_per_s=R".
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MIB (1L << 20)
#define GIB (1L << 30)

static char buf[MIB];

static double now(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void report(const char *what, long bytes, double seconds) {
	printf("bench42 what=%s bytes=%ld seconds=%.3f mib_per_s=%.1f\n", what, bytes, seconds,
		bytes / (double) MIB / seconds);
	fflush(stdout);
}

static void drop_caches(void) {
	sync();
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "3", 1) < 0) perror("drop_caches");
		close(fd);
	}
}

static int create(const char *name) {
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) { perror(name); exit(2); }
	return fd;
}

static void files(void) {
	memset(buf, 'd', sizeof buf);
	int dense = create("dense.1g"), sparse = create("sparse.1g");
	for (long off = 0; off < GIB; off += MIB) {
		if (pwrite(dense, buf, MIB, off) != MIB) { perror("dense"); exit(2); }
		if (off % (10 * MIB) == 0 && pwrite(sparse, buf, MIB, off) != MIB) { perror("sparse"); exit(2); }
	}
	if (ftruncate(sparse, GIB) != 0) { perror("ftruncate"); exit(2); }
	fsync(dense);
	fsync(sparse);
	close(dense);
	close(sparse);
}

static void copy(void) {
	int src = open("dense.1g", O_RDONLY);
	int dst = create("copy-offload.1g");
	drop_caches();
	double t = now();
	loff_t in = 0, out = 0;
	long left = GIB;
	while (left > 0) {
		ssize_t n = copy_file_range(src, &in, dst, &out, left, 0);
		if (n <= 0) { perror("copy_file_range"); exit(2); }
		left -= n;
	}
	fsync(dst);
	report("copy_file_range", GIB, now() - t);
	close(dst);
	unlink("copy-offload.1g");

	dst = create("copy-client.1g");
	drop_caches();
	t = now();
	for (long off = 0; off < GIB; off += MIB) {
		if (pread(src, buf, MIB, off) != MIB || pwrite(dst, buf, MIB, off) != MIB) {
			perror("read/write copy");
			exit(2);
		}
	}
	fsync(dst);
	report("read_write_copy", GIB, now() - t);
	close(dst);
	unlink("copy-client.1g");
	close(src);
}

static void readall(const char *name) {
	int fd = open(name, O_RDONLY);
	if (fd < 0) { perror(name); exit(2); }
	drop_caches();
	double t = now();
	long total = 0;
	ssize_t n;
	while ((n = read(fd, buf, MIB)) > 0) total += n;
	report(name, total, now() - t);
	close(fd);
}

int main(int argc, char **argv) {
	if (argc >= 2 && strcmp(argv[1], "files") == 0) files();
	else if (argc >= 2 && strcmp(argv[1], "copy") == 0) copy();
	else if (argc >= 3 && strcmp(argv[1], "read") == 0) readall(argv[2]);
	else { fprintf(stderr, "usage: bench42 files | copy | read FILE\n"); return 2; }
	return 0;
}
