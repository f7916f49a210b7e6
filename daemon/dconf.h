/* dconf.h: the configuration in force: conf plus loaded keys and lookups. */
#ifndef SKD_DCONF_H
#define SKD_DCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "doormac.h"
#include "key.h"
#include "log.h"
#include "pkt.h"
#include "seq.h"

#define SKD_GUARD_MAX		(SK_MAX_DOORS * SK_MAX_OPEN * 10 + 1)
#define SKD_RATE_CAP		8192	/* sources with a verification bucket */

struct dconf {
	struct conf		c;
	struct sk_key		**keys;		/* by client index, n_clients */
	struct sk_key		**keys_next;	/* key_next, or NULL each */
	struct sk_key		*key_mem;	/* sodium_allocarray: 2 a client */
	struct doormac		*macs;		/* keys prepared per door */
	struct seq_door		seq[SK_MAX_DOORS];	/* by door index */
	struct pkt_portmap	stepmap;	/* every door's steps */
	char			guard[SKD_GUARD_MAX];	/* "tcp/22 udp/53" */
	char			guard_fwd[SKD_GUARD_MAX];	/* forward = yes */
};

struct dconf *dconf_load(const char *path, bool check_hook,
    conf_report_fn *report, conf_report_fn *warn, void *ctx,
    unsigned *n_err);
/*
 * dconf_warn_expiry(dc, now_s, warn, ctx): each client whose expires
 * has come, or comes within DCONF_EXPIRY_WARN_S of ${now_s}.
 */
#define DCONF_EXPIRY_WARN_S	(7 * 86400)
void dconf_warn_expiry(const struct dconf *dc, int64_t now_s,
    conf_report_fn *warn, void *ctx);
void dconf_free(struct dconf *dc);
/* dconf_drop_keys(dc): wipe every key (the capture child keeps none). */
void dconf_drop_keys(struct dconf *dc);
bool dconf_same_doors(const struct dconf *a, const struct dconf *b);
void dconf_warn_unsigned(const struct dconf *dc, struct sklog *l);
size_t rate_cap(const struct conf *c);

#endif
