/* kconf.h: the client's configuration, knock.conf: one section per host. */
#ifndef KCONF_H
#define KCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "sk.h"

#define KCONF_HOST_MAX	256
#define KCONF_MAX_HOSTS	1024	/* a bound on what one file may hold */

struct kconf_host {
	char		alias[SK_NAME_MAX];	/* section name */
	char		host[KCONF_HOST_MAX];	/* key host: name or address */
	char		door[SK_NAME_MAX];
	struct sk_port	steps[SK_MAX_STEPS];
	size_t		n_steps;
	char		key_path[SK_PATH_MAX];	/* "" = unsigned door; ~ expanded */
	char		derive[SK_NAME_MAX];	/* "" = the key file's own key */
	struct sk_port	open;			/* port 0 = not given */
	struct sk_addr	allow;			/* zero = not given */
	unsigned	line;
};

/* The aliases, as many as the file holds (grown as sections are read). */
struct kconf {
	struct kconf_host	*hosts;
	size_t			n_hosts;
	size_t			cap;
};

/* kconf_free(k): free the aliases; ${k} is empty after. */
void kconf_free(struct kconf *k);

/*
 * kconf_expand_home(path, home, out, out_len): ${path} with a leading
 * "~/" replaced by ${home} (absolute); the one place "~" is expanded.
 * False if ${path} starts with "~/" and ${home} is NULL or relative, or
 * the result does not fit.  Pure.
 */
bool kconf_expand_home(const char *path, const char *home, char *out,
    size_t out_len);

/*
 * kconf_parse(buf, len, name, home, out, report, ctx): knock.conf's text,
 * ${len} bytes at ${buf}; keys host (default: the alias), door,
 * sequence, key, derive, open, allow.  ${home} replaces a leading "~/"
 * in key.  Errors go to ${report} as "NAME:LINE: key = value: problem;
 * fix".  Returns the number of errors; with errors ${out} is left empty,
 * else call kconf_free(out).  Pure but for malloc.
 */
unsigned kconf_parse(const char *buf, size_t len, const char *name,
    const char *home, struct kconf *out, sk_report_fn *report, void *ctx);

/*
 * kconf_load(path, home, out, report, ctx): read the file (a regular
 * file of at most INI_FILE_MAX bytes, sized by what it holds), then
 * kconf_parse with ${path} as the name.  Does file I/O.
 */
unsigned kconf_load(const char *path, const char *home, struct kconf *out,
    sk_report_fn *report, void *ctx);

/*
 * kconf_find(k, name): the section named ${name}, else the first whose
 * host value is ${name}, else NULL.
 */
const struct kconf_host *kconf_find(const struct kconf *k, const char *name);

#endif
