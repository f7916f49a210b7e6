/* reload.h: SIGHUP: build the next configuration without touching the old. */
#ifndef SKD_RELOAD_H
#define SKD_RELOAD_H

#include <stdbool.h>

#include "dconf.h"
#include "log.h"
#include "rate.h"
#include "seq.h"

/* Everything a reload may need, built before any of it replaces the old. */
struct reload_next {
	struct dconf		*dc;
	struct seq_table	*seq;	/* NULL: the old table stays */
	struct rate_table	*rate;	/* NULL: the old table stays */
};

/*
 * reload_build(path, check_hook, old, log, out): load ${path} and its
 * keys, and build the tables whose size or limits differ from ${old}'s.
 * false (logged: the old configuration stays) if anything fails; then
 * nothing is left allocated.
 */
bool reload_build(const char *path, bool check_hook, const struct dconf *old,
    struct sklog *log, struct reload_next *out);

/* reload_same_ifaces(a, b): the same interfaces, in the same order. */
bool reload_same_ifaces(const struct conf *a, const struct conf *b);

/* reload_child_same(a, b): the capture child's view did not change. */
bool reload_child_same(const struct dconf *a, const struct dconf *b);

#endif
