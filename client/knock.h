/* knock.h: the knock client's parts (options, plan, send, wait, keygen). */
#ifndef KNOCK_H
#define KNOCK_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "addr.h"
#include "kconf.h"
#include "sk.h"
#include "token.h"

/* Exit status, as knock(1) documents it. */
enum { KNOCK_EXIT_OK = 0, KNOCK_EXIT_ERR = 1, KNOCK_EXIT_USAGE = 2 };

#define KNOCK_DEF_GAP_MS	1
#define KNOCK_MAX_GAP_MS	60000
#define KNOCK_DEF_WAIT_MS	10000
#define KNOCK_MAX_WAIT_MS	3600000
#define KNOCK_MSG_LEN		1024

/* What the command line said; NULL/0 = not given. */
struct knock_opts {
	const char	*conf_path;	/* -c */
	const char	*seq;		/* -s */
	const char	*key_path;	/* -k */
	const char	*door;		/* -d */
	const char	*open;		/* -p */
	const char	*allow;		/* -a */
	const char	*host;		/* HOST */
	const char	*keygen;	/* --keygen NAME */
	const char	*keygen_host;	/* --host (keygen only) */
	const char	*nonce_hex;	/* --nonce (hidden, tests) */
	const char	*time_txt;	/* --time (hidden, tests) */
	int		family;		/* AF_UNSPEC, AF_INET, AF_INET6 */
	uint32_t	gap_ms;
	uint32_t	wait_ms;
	bool		wait;
	bool		dry_run;
	bool		verbose;
};

/* Everything needed to knock, after merging the alias and the options. */
struct knock_plan {
	char		alias[SK_NAME_MAX];	/* "" = no alias */
	char		host[KCONF_HOST_MAX];
	char		door[SK_NAME_MAX];
	struct sk_port	steps[SK_MAX_STEPS];
	size_t		n_steps;
	char		key_path[SK_PATH_MAX];	/* "" = unsigned door */
	struct sk_port	open;			/* port 0 = not given */
	struct sk_addr	allow;			/* zero = packet source */
	uint8_t		nonce[TOK_NONCE_LEN];
	bool		fixed_nonce;		/* --nonce */
	int64_t		now_s;			/* --time, else time() */
};

/* One packet to send: a bare step (payload_len 0) or the token. */
struct knock_pkt {
	struct sk_port	to;
	size_t		payload_len;
	uint8_t		payload[TOK_WIRE_LEN];
};

/* The resolved destination; the port is set per packet. */
struct knock_target {
	struct sockaddr_storage	sa;
	socklen_t		sa_len;
	char			txt[ADDR_TXT_LEN];
};

/* paths.c */
bool knock_home(char *out, size_t out_len);
bool knock_conf_dir(char *out, size_t out_len);
bool knock_expand_home(const char *path, char *out, size_t out_len);

/* plan.c */
int plan_make(const struct knock_opts *o, struct knock_plan *p);
int plan_packets(const struct knock_plan *p, struct knock_pkt *pkts,
    size_t pkts_cap, size_t *n);

/* send.c */
int send_resolve(const char *host, int family, struct knock_target *t);
void send_set_port(struct knock_target *t, uint16_t port);
int send_all(const struct knock_target *t, const struct knock_pkt *pkts,
    size_t n, uint32_t gap_ms, bool verbose);
void send_dry_run(const struct knock_target *t,
    const struct knock_pkt *pkts, size_t n);

/* wait.c */
int wait_open(const struct knock_target *t, uint16_t port, uint32_t wait_ms,
    bool verbose);

/* keygen.c */
int keygen_run(const struct knock_opts *o);

/* main.c: messages to stderr prefixed "knock: "; ms since start */
void knock_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void knock_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
double knock_elapsed_ms(void);

#endif
