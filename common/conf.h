/*
 * conf.h: the daemon's configuration: /etc/sknock/sknockd.conf plus the
 * client files of clients_dir, parsed from buffers.
 */
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
#define CONF_CLIENTS_DIR	"clients.d"	/* under the config's dir */
/* CONF_DEF_HOOK comes from meson: libexecdir/sknock/nft */

struct conf_client {
	char		name[SK_NAME_MAX];
	char		*key_path;	/* malloc'd; NULL only in a bad config */
	char		*key_next_path;	/* key_next; NULL = none */
	int64_t		expires_s;	/* unix seconds; 0 = never */
	const char	*file;		/* the file that defines it */
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
	bool		forward;	/* guard forwarded traffic too; default no */
	uint32_t	*clients;	/* indices into conf.clients, malloc'd */
	size_t		n_clients;
	size_t		clients_cap;
};

struct conf_parse;	/* conf.c's own: the main file until conf_finish */

struct conf {
	/* [daemon] */
	char		ifaces[SK_MAX_IFACES][CONF_IFNAME_MAX];
	size_t		n_ifaces;		/* "any" is one entry */
	char		hook[SK_PATH_MAX];
	char		state_dir[SK_PATH_MAX];
	char		*clients_dir;		/* NULL: next to the main file */
	char		*metrics_file;		/* NULL: none */
	uint32_t	window_s;
	uint32_t	max_sources;
	uint32_t	verify_per_source;	/* key verify_per_source */
	uint32_t	verify_global;		/* key verify_global */
	uint32_t	max_hooks;		/* key max_hooks */
	uint32_t	log_rate;		/* key log_rate */
	/* [door:NAME] and [client:NAME], in file order; malloc'd */
	struct conf_door	*doors;
	size_t			n_doors;
	size_t			doors_cap;
	struct conf_client	*clients;
	size_t			n_clients;
	size_t			clients_cap;
	/* The names of the files read, for conf_client.file. */
	char			**files;
	size_t			n_files;
	struct conf_parse	*parse;
};

/* Receives one complete error line ("file:line: key = value: problem; fix"). */
typedef sk_report_fn conf_report_fn;

/*
 * conf_init(c, default_hook): the defaults, nothing parsed yet (the hook
 * defaults to ${default_hook}, or SK_DEFAULT_HOOK if NULL).
 */
void conf_init(struct conf *c, const char *default_hook);
/*
 * conf_free(c): free what the parses allocated (not ${c} itself) and
 * leave ${c} zeroed.  NULL is a no-op.
 */
void conf_free(struct conf *c);

/*
 * conf_parse(c, buf, len, name, report, ctx): after conf_init, the main file, sknockd.conf,
 * as ${len} bytes at ${buf}; ${name} (copied) names it in messages.
 * Reports every problem through ${report}: unknown sections and keys,
 * bad values, missing required keys (door: sequence, open; client: key),
 * signed doors whose last step is not UDP.  Door client lists are
 * resolved by conf_finish, since clients_dir files may define the
 * clients.  Returns the number of errors so far.  Call once, first.
 */
unsigned conf_parse(struct conf *c, const char *buf, size_t len,
    const char *name, conf_report_fn *report, void *ctx);

/*
 * conf_parse_clients(c, buf, len, name, report, ctx): one clients_dir
 * file: only [client:NAME] sections, with the client keys plus
 * doors = NAME, ...  A name defined in an earlier file is an error.
 * Returns the number of errors in this file.
 */
unsigned conf_parse_clients(struct conf *c, const char *buf, size_t len,
    const char *name, conf_report_fn *report, void *ctx);

/*
 * conf_finish(c, report, ctx): resolve each door's clients = list (names
 * of any file), add the clients whose doors = name it, check that every
 * signed door has a client and that there is a door.  Then reports the
 * main file's errors, in line order.  Returns the number of errors of
 * the main file and of this step.
 */
unsigned conf_finish(struct conf *c, conf_report_fn *report, void *ctx);

/*
 * conf_read(path, default_hook, out, report, ctx, n_err): conf_init, read
 * ${path}, conf_parse; ${n_err} gets the number of errors.  false (and
 * n_err 1, reported) when the file cannot be read: conf_finish is then
 * not to be called.  Does file I/O.
 */
bool conf_read(const char *path, const char *default_hook, struct conf *out,
    conf_report_fn *report, void *ctx, unsigned *n_err);

/*
 * conf_load(path, default_hook, out, report, ctx): the main file alone
 * (no clients_dir): conf_init, read ${path}, conf_parse, conf_finish.
 * Returns the number of errors (0 = usable).  Call conf_free(out) in any
 * case.  Does file I/O.
 */
unsigned conf_load(const char *path, const char *default_hook,
    struct conf *out, conf_report_fn *report, void *ctx);

/* conf_door_find(c, name): index of the door, or -1. */
int conf_door_find(const struct conf *c, const char *name);

/* conf_client_find(c, name, len): index of the client, or -1. */
int conf_client_find(const struct conf *c, const char *name, size_t len);

#endif
