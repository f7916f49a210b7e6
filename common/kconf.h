/* kconf.h: the client's configuration, knock.conf: one section per host. */
#ifndef KCONF_H
#define KCONF_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "conf.h"	/* conf_report_fn */
#include "sk.h"

#define KCONF_HOST_MAX	256
#define KCONF_MAX_HOSTS	256

struct kconf_host {
	char		alias[SK_NAME_MAX];	/* section name */
	char		host[KCONF_HOST_MAX];	/* key host: name or address */
	char		door[SK_NAME_MAX];
	struct sk_port	steps[SK_MAX_STEPS];
	size_t		n_steps;
	char		key_path[SK_PATH_MAX];	/* "" = unsigned door; ~ expanded */
	struct sk_port	open;			/* port 0 = not given */
	struct sk_addr	allow;			/* zero = not given */
	unsigned	line;
};

struct kconf {
	struct kconf_host	hosts[KCONF_MAX_HOSTS];
	size_t			n_hosts;
};

/*
 * kconf_load(path, home, out, report, ctx): parse knock.conf; keys host
 * (default: the alias), door, sequence, key, open, allow.  ${home}
 * replaces a leading "~/" in key.  Returns the number of errors.
 * Does file I/O.
 */
unsigned kconf_load(const char *path, const char *home, struct kconf *out,
    conf_report_fn *report, void *ctx);

/*
 * kconf_find(k, name): the section named ${name}, else the first whose
 * host value is ${name}, else NULL.
 */
const struct kconf_host *kconf_find(const struct kconf *k, const char *name);

#endif
