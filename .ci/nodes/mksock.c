/* mksock PATH — makes a Unix-domain socket node at PATH by binding a socket there. Built with
 * gcc -static for the kernel-client guest. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv) {
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	if (argc != 2 || strlen(argv[1]) >= sizeof addr.sun_path) {
		fprintf(stderr, "usage: mksock PATH\n");
		return 2;
	}
	strcpy(addr.sun_path, argv[1]);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *) &addr, sizeof addr) != 0) {
		perror(argv[1]);
		return 1;
	}
	close(fd);
	return 0;
}
