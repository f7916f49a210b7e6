/* conf_fixture.h: temp config files and collected error lines, for tests. */
#ifndef CONF_FIXTURE_H
#define CONF_FIXTURE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIX_MAX_MSGS	256

struct fix_msgs {
	char	msg[FIX_MAX_MSGS][1024];
	size_t	n;
};

static inline void
fix_report(void *ctx, const char *msg)
{
	struct fix_msgs *m = ctx;

	ck_assert_ptr_nonnull(msg);
	ck_assert(strlen(msg) > 0);
	if (m->n < FIX_MAX_MSGS)
		snprintf(m->msg[m->n], sizeof m->msg[0], "%s", msg);
	m->n++;
}

/* fix_file(text, len, path): a temp file holding ${len} bytes of ${text}. */
static inline void
fix_file(const char *text, size_t len, char path[static 64])
{
	const char *dir = getenv("TMPDIR");
	FILE *f;
	int fd;

	snprintf(path, 64, "%s/sknock-conf-XXXXXX",
	    dir != NULL && dir[0] != '\0' && strlen(dir) < 30 ? dir : "/tmp");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/* fix_has(m, needle): index of the first message containing it, or -1. */
static inline int
fix_has(const struct fix_msgs *m, const char *needle)
{
	for (size_t i = 0; i < m->n && i < FIX_MAX_MSGS; i++)
		if (strstr(m->msg[i], needle) != NULL)
			return (int)i;
	return -1;
}

/* fix_src_path(rel, out): ${rel} under the source tree (SK_VECTORS/../..). */
static inline void
fix_src_path(const char *rel, char out[static 4096])
{
	const char *v = getenv("SK_VECTORS");

	ck_assert_msg(v != NULL, "SK_VECTORS not set; run through meson test");
	ck_assert_int_lt(snprintf(out, 4096, "%s/../../%s", v, rel), 4096);
}

#define ck_assert_msg_has(m, needle)					\
	ck_assert_msg(fix_has((m), (needle)) >= 0,			\
	    "no message contains \"%s\"; first: %s", (needle),		\
	    (m)->n > 0 ? (m)->msg[0] : "(none)")

#endif
