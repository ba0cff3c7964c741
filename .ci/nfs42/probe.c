/*
 * probe — checks NFSv4.2 and extended attributes through the Linux client, on the current
 * directory (an NFSv4.2 mount). Built with gcc -static; run inside the kernel-client guest.
 *
 *   probe [expect-clone|no-clone]
 *
 * Prints "PASS name" or "FAIL name: why" per check and, last, "N passed, M failed".
 *   seek        lseek SEEK_HOLE / SEEK_DATA find the hole a sparse write left
 *   punch       fallocate(PUNCH_HOLE) makes zeros and lowers st_blocks
 *   allocate    fallocate(0) grows the file and keeps its data
 *   copy        copy_file_range of 256 MiB: byte-identical, and the client sent no WRITE
 *               for it (/proc/self/mountstats)
 *   clone       ioctl(FICLONE) works (expect-clone) or fails cleanly with EOPNOTSUPP or
 *               EXDEV or EINVAL and leaves the destination empty (no-clone)
 *   xattr       setxattr create/replace, getxattr, listxattr, removexattr on user.*
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

static int passed, failed;

static void check(int ok, const char *name, const char *why) {
	if (ok) {
		passed++;
		printf("PASS %s\n", name);
	} else {
		failed++;
		printf("FAIL %s: %s (errno %d %s)\n", name, why, errno, strerror(errno));
	}
	fflush(stdout);
}

static int make(const char *name) {
	unlink(name);
	return open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
}

static int fill(int fd, off_t off, size_t len, int byte) {
	char buf[65536];
	memset(buf, byte, sizeof buf);
	while (len > 0) {
		size_t n = len < sizeof buf ? len : sizeof buf;
		if (pwrite(fd, buf, n, off) != (ssize_t) n) return -1;
		off += n;
		len -= n;
	}
	return 0;
}

static int all_bytes(int fd, off_t off, size_t len, int byte) {
	char buf[65536];
	while (len > 0) {
		size_t n = len < sizeof buf ? len : sizeof buf;
		if (pread(fd, buf, n, off) != (ssize_t) n) return 0;
		for (size_t i = 0; i < n; i++) if ((unsigned char) buf[i] != byte) return 0;
		off += n;
		len -= n;
	}
	return 1;
}

static long blocks(int fd) {
	struct stat st;
	return fstat(fd, &st) == 0 ? (long) st.st_blocks : -1;
}

/* The WRITE operations the client has sent on this mount, from /proc/self/mountstats. */
static long write_ops(void) {
	FILE *f = fopen("/proc/self/mountstats", "r");
	char line[512];
	long ops = -1;
	if (!f) return -1;
	while (fgets(line, sizeof line, f)) {
		char *p = strstr(line, "WRITE:");
		if (p && p == line + strspn(line, " \t")) ops = strtol(p + 6, NULL, 10);
	}
	fclose(f);
	return ops;
}

static void seek_holes(void) {
	int fd = make("probe-sparse");
	int ok = fd >= 0 && fill(fd, 0, 65536, 'a') == 0 && fill(fd, 8 << 20, 65536, 'b') == 0
		&& fsync(fd) == 0;
	off_t hole = ok ? lseek(fd, 0, SEEK_HOLE) : -1;
	off_t data = ok ? lseek(fd, 65536, SEEK_DATA) : -1;
	check(ok && hole >= 65536 && hole < (8 << 20), "seek-hole", "SEEK_HOLE from 0 missed the hole");
	check(ok && data >= 65536 && data <= (8 << 20), "seek-data", "SEEK_DATA from the hole missed the data");
	off_t past = lseek(fd, (8 << 20) + 65536 + 4096, SEEK_DATA);
	check(past == -1 && errno == ENXIO, "seek-past-eof", "SEEK_DATA past the end must be ENXIO");
	close(fd);
}

static void punch(void) {
	int fd = make("probe-punch");
	int ok = fd >= 0 && fill(fd, 0, 1 << 20, 'p') == 0 && fsync(fd) == 0;
	long before = blocks(fd);
	int rc = ok ? fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 512 << 10) : -1;
	check(rc == 0, "punch", "fallocate(PUNCH_HOLE) failed");
	struct stat st;
	fstat(fd, &st);
	check(rc == 0 && all_bytes(fd, 0, 512 << 10, 0) && all_bytes(fd, 512 << 10, 512 << 10, 'p')
		&& st.st_size == (1 << 20), "punch-zeros", "the punched range must read zeros, the rest its data");
	check(rc == 0 && blocks(fd) < before, "punch-blocks", "st_blocks did not drop");
	close(fd);
}

static void allocate(void) {
	int fd = make("probe-allocate");
	int ok = fd >= 0 && fill(fd, 0, 4096, 'q') == 0;
	int rc = ok ? fallocate(fd, 0, 0, 4 << 20) : -1;
	struct stat st;
	fstat(fd, &st);
	check(rc == 0 && st.st_size == (4 << 20) && all_bytes(fd, 0, 4096, 'q'), "allocate",
		"fallocate(0) must grow the file to 4 MiB and keep its data");
	close(fd);
}

static void copy(void) {
	const size_t size = 256u << 20;
	int src = make("probe-copy-src"), dst = make("probe-copy-dst");
	int ok = src >= 0 && dst >= 0 && fill(src, 0, size, 'c') == 0 && fill(src, 4096, 1, 'X') == 0
		&& fsync(src) == 0;
	long writes = write_ops();
	loff_t in = 0, out = 0;
	size_t left = size;
	while (ok && left > 0) {
		ssize_t n = copy_file_range(src, &in, dst, &out, left, 0);
		if (n <= 0) { ok = 0; break; }
		left -= n;
	}
	check(ok, "copy", "copy_file_range failed");
	fsync(dst);
	long sent = write_ops() - writes;
	check(ok && write_ops() >= 0 && sent == 0, "copy-offloaded", "the client sent WRITEs for the copy");
	{
		int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
		if (fd >= 0) { if (write(fd, "3", 1) < 0) {} close(fd); }
	}
	check(ok && all_bytes(dst, 0, 4096, 'c') && all_bytes(dst, 4096, 1, 'X')
		&& all_bytes(dst, 4097, size - 4097, 'c'), "copy-identical", "the copy differs from its source");
	close(src);
	close(dst);
	unlink("probe-copy-src");
	unlink("probe-copy-dst");
}

static void clone(int expect) {
	int src = make("probe-clone-src"), dst = make("probe-clone-dst");
	int ok = src >= 0 && dst >= 0 && fill(src, 0, 1 << 20, 'k') == 0 && fsync(src) == 0;
	int rc = ok ? ioctl(dst, FICLONE, src) : -1;
	int err = errno;
	if (expect) {
		check(rc == 0 && all_bytes(dst, 0, 1 << 20, 'k'), "clone", "FICLONE failed or differs");
	} else {
		struct stat st;
		fstat(dst, &st);
		errno = err;
		check(rc == -1 && (err == EOPNOTSUPP || err == EXDEV || err == EINVAL) && st.st_size == 0,
			"clone-refused", "FICLONE must fail cleanly and copy nothing");
	}
	close(src);
	close(dst);
}

static void xattrs(void) {
	int fd = make("probe-xattr");
	char value[64], list[256];
	check(fd >= 0 && fsetxattr(fd, "user.colour", "blue", 4, XATTR_CREATE) == 0, "xattr-create", "setxattr create");
	check(fsetxattr(fd, "user.colour", "red", 3, XATTR_CREATE) == -1 && errno == EEXIST,
		"xattr-create-exists", "XATTR_CREATE on an existing name must be EEXIST");
	check(fsetxattr(fd, "user.shape", "round", 5, XATTR_REPLACE) == -1 && errno == ENODATA,
		"xattr-replace-missing", "XATTR_REPLACE of a missing name must be ENODATA");
	check(fsetxattr(fd, "user.colour", "green", 5, XATTR_REPLACE) == 0, "xattr-replace", "setxattr replace");
	ssize_t n = fgetxattr(fd, "user.colour", value, sizeof value);
	check(n == 5 && memcmp(value, "green", 5) == 0, "xattr-get", "getxattr returned another value");
	n = flistxattr(fd, list, sizeof list);
	check(n > 0 && memmem(list, n, "user.colour", 12) != NULL, "xattr-list", "listxattr lacks user.colour");
	check(fremovexattr(fd, "user.colour") == 0, "xattr-remove", "removexattr");
	check(fgetxattr(fd, "user.colour", value, sizeof value) == -1 && errno == ENODATA,
		"xattr-removed", "a removed attribute must be ENODATA");
	close(fd);
}

int main(int argc, char **argv) {
	int expect_clone = argc > 1 && strcmp(argv[1], "expect-clone") == 0;
	seek_holes();
	punch();
	allocate();
	copy();
	clone(expect_clone);
	xattrs();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
