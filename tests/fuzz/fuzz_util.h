/* fuzz_util.h: small helpers shared by the libFuzzer targets. */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The fixed master key of vector 1 in tests/vectors/token-v1.txt. */
#define FUZZ_KEY_B64	"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define FUZZ_DOOR	"ssh"
#define FUZZ_NOW	1764000000	/* vector 1's timestamp */
#define FUZZ_WINDOW	60

/* A property the code under test promised does not hold: a finding. */
#define FUZZ_ASSERT(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

/*
 * fuzz_memfd_path(data, size, path, path_len): a memfd holding ${data};
 * ${path} receives its /proc/self/fd/N name.  Returns the fd (close it
 * when done); aborts if the harness itself cannot work.
 */
int fuzz_memfd_path(const uint8_t *data, size_t size, char *path,
    size_t path_len);

/* fuzz_report(ctx, msg): a conf_report_fn that checks and drops ${msg}. */
void fuzz_report(void *ctx, const char *msg);

#endif
