/* fuzz_util.c: helpers shared by the libFuzzer targets. */
#include "fuzz_util.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int
fuzz_memfd_path(const uint8_t *data, size_t size, char *path,
    size_t path_len)
{
	int fd = memfd_create("sknock-fuzz", MFD_CLOEXEC);
	size_t off = 0;

	if (fd < 0) {
		perror("memfd_create");
		abort();
	}
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);

		if (n <= 0) {
			perror("write memfd");
			abort();
		}
		off += (size_t)n;
	}
	if (snprintf(path, path_len, "/proc/self/fd/%d", fd) >= (int)path_len)
		abort();
	return fd;
}

void
fuzz_report(void *ctx, const char *msg)
{
	unsigned *n = ctx;

	/* Every report is one non-empty line. */
	FUZZ_ASSERT(msg != NULL && msg[0] != '\0');
	FUZZ_ASSERT(strchr(msg, '\n') == NULL);
	(*n)++;
}
