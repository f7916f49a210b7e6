/* conf_fixture.h: temp config files and collected error lines, for tests. */
#ifndef CONF_FIXTURE_H
#define CONF_FIXTURE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"	/* conf_report_fn */

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

/* A loader under test: conf_load or kconf_load with its extra argument. */
typedef unsigned fix_loader(const char *path, void *out,
    conf_report_fn *report, void *ctx);

struct fix_run {
	char		path[64];
	struct fix_msgs	m;
	unsigned	n_err;
	void		*out;
	void		(*free_out)(void *out);	/* its contents; NULL: none */
};

/* A parser under test: text in memory, ${name} for its messages. */
typedef unsigned fix_parser(const char *buf, size_t len, const char *name,
    void *out, conf_report_fn *report, void *ctx);

/* fix_parse(text, len, fn, out_size, free_out): parse from memory. */
static inline struct fix_run *
fix_parse(const char *text, size_t len, fix_parser *fn, size_t out_size,
    void (*free_out)(void *))
{
	struct fix_run *r = calloc(1, sizeof *r);

	ck_assert_ptr_nonnull(r);
	r->out = calloc(1, out_size);
	ck_assert_ptr_nonnull(r->out);
	r->free_out = free_out;
	snprintf(r->path, sizeof r->path, "/etc/sknock/test.conf");
	r->n_err = fn(text, len, r->path, r->out, fix_report, &r->m);
	ck_assert_uint_eq(r->n_err, r->m.n);	/* one report per error */
	return r;
}

/* fix_load(text, len, fn, out_size): write, load with ${fn}, unlink. */
static inline struct fix_run *
fix_load(const char *text, size_t len, fix_loader *fn, size_t out_size)
{
	struct fix_run *r = calloc(1, sizeof *r);

	ck_assert_ptr_nonnull(r);
	r->out = malloc(out_size);
	ck_assert_ptr_nonnull(r->out);
	fix_file(text, len, r->path);
	r->n_err = fn(r->path, r->out, fix_report, &r->m);
	unlink(r->path);
	ck_assert_uint_eq(r->n_err, r->m.n);	/* one report per error */
	return r;
}

static inline void
fix_run_free(struct fix_run *r)
{
	if (r->free_out != NULL)
		r->free_out(r->out);
	free(r->out);
	free(r);
}

/* fix_expect(r, line, tail): some message is exactly "PATH:LINE: tail". */
static inline void
fix_expect(const struct fix_run *r, unsigned line, const char *tail)
{
	char want[1024];

	if (line > 0)
		snprintf(want, sizeof want, "%s:%u: %s", r->path, line, tail);
	else
		snprintf(want, sizeof want, "%s: %s", r->path, tail);
	for (size_t i = 0; i < r->m.n && i < FIX_MAX_MSGS; i++)
		if (strcmp(r->m.msg[i], want) == 0)
			return;
	ck_abort_msg("no message \"%s\"; got %zu, first: %s", want, r->m.n,
	    r->m.n > 0 ? r->m.msg[0] : "(none)");
}

/* fix_one_error(fn, out_size, text, line, tail): exactly this one error. */
static inline void
fix_one_error(fix_loader *fn, size_t out_size, const char *text,
    unsigned line, const char *tail)
{
	struct fix_run *r = fix_load(text, strlen(text), fn, out_size);

	ck_assert_msg(r->n_err == 1, "%u errors for:\n%s\nfirst: %s",
	    r->n_err, text, r->m.n > 0 ? r->m.msg[0] : "");
	fix_expect(r, line, tail);
	fix_run_free(r);
}

/* fix_ok(fn, out_size, text): loads without error. */
static inline struct fix_run *
fix_ok(fix_loader *fn, size_t out_size, const char *text)
{
	struct fix_run *r = fix_load(text, strlen(text), fn, out_size);

	ck_assert_msg(r->n_err == 0, "error for:\n%s\n-> %s", text,
	    r->m.msg[0]);
	return r;
}

#define ck_assert_msg_has(m, needle)					\
	ck_assert_msg(fix_has((m), (needle)) >= 0,			\
	    "no message contains \"%s\"; first: %s", (needle),		\
	    (m)->n > 0 ? (m)->msg[0] : "(none)")

#endif
