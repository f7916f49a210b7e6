/* conf.h: the daemon's configuration, /etc/sknock/sknockd.conf. */
#ifndef CONF_H
#define CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sk.h"

#define CONF_IFNAME_MAX	16	/* IFNAMSIZ */

/* Defaults, also quoted by the man pages and the example config. */
#define CONF_DEF_WINDOW		60	/* s */
#define CONF_DEF_MAX_SOURCES	65536
#define CONF_DEF_VERIFY_SOURCE	5	/* token verifications/s per source */
#define CONF_DEF_VERIFY_GLOBAL	20000	/* token verifications/s in all */
#define CONF_DEF_MAX_HOOKS	32	/* hooks running at once */
#define CONF_DEF_LOG_RATE	20	/* rejection log lines/s */
#define CONF_DEF_TIMEOUT	30	/* s a door stays open */
#define CONF_DEF_SEQ_TIMEOUT	10	/* s for a whole sequence */
#define CONF_DEF_STATE_DIR	"/var/lib/sknock"
#define CONF_DEF_INTERFACE	"any"
/* CONF_DEF_HOOK comes from meson: libexecdir/sknock/nft */

struct conf_client {
	char		name[SK_NAME_MAX];
	char		key_path[SK_PATH_MAX];
	unsigned	line;		/* of the section header, for errors */
};

struct conf_door {
	char		name[SK_NAME_MAX];	/* as used in the token MAC */
	struct sk_port	steps[SK_MAX_STEPS];
	size_t		n_steps;
	struct sk_port	open[SK_MAX_OPEN];
	size_t		n_open;
	uint32_t	timeout_s;
	uint32_t	seq_timeout_s;
	bool		is_signed;		/* key "signed", default yes */
	bool		allow_other_address;	/* default no */
	bool		require_source_address;	/* default no */
	uint16_t	clients[SK_MAX_CLIENTS];	/* indices into conf.clients */
	size_t		n_clients;
};

struct conf {
	/* [daemon] */
	char		ifaces[SK_MAX_IFACES][CONF_IFNAME_MAX];
	size_t		n_ifaces;		/* "any" is one entry */
	char		hook[SK_PATH_MAX];
	char		state_dir[SK_PATH_MAX];
	uint32_t	window_s;
	uint32_t	max_sources;
	uint32_t	verify_per_source;	/* key verify_per_source */
	uint32_t	verify_global;		/* key verify_global */
	uint32_t	max_hooks;		/* key max_hooks */
	uint32_t	log_rate;		/* key log_rate */
	/* [door:NAME] and [client:NAME], in file order */
	struct conf_door	doors[SK_MAX_DOORS];
	size_t			n_doors;
	struct conf_client	clients[SK_MAX_CLIENTS];
	size_t			n_clients;
};

/* Receives one complete error line ("file:line: key = value: problem; fix"). */
typedef void conf_report_fn(void *ctx, const char *msg);

/*
 * conf_load(path, default_hook, out, report, ctx): parse the daemon
 * config (iniparser) into ${out} (defaults filled in first), reporting
 * every problem through ${report}: unknown sections and keys, bad
 * values, missing required keys (door: sequence, open; client: key),
 * doors naming unknown clients, signed doors whose last step is not UDP
 * or that have no clients.  Does not read key files.  Returns the number
 * of errors (0 = usable).  Does file I/O.
 */
unsigned conf_load(const char *path, const char *default_hook,
    struct conf *out, conf_report_fn *report, void *ctx);

/* conf_door_find(c, name): index of the door, or -1. */
int conf_door_find(const struct conf *c, const char *name);

#endif
