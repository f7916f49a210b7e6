/* knock.h: the knock client's parts (options, plan, send, wait, proxy). */
#ifndef KNOCK_H
#define KNOCK_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "addr.h"
#include "kconf.h"
#include "msg.h"
#include "sk.h"
#include "token.h"

/* Exit status, as knock(1) documents it. */
enum { KNOCK_EXIT_OK = 0, KNOCK_EXIT_ERR = 1, KNOCK_EXIT_USAGE = 2 };

#define KNOCK_DEF_GAP_MS	0	/* measured: tests/bench/gap.sh, README */
#define KNOCK_MAX_GAP_MS	60000
#define KNOCK_DEF_WAIT_MS	10000
#define KNOCK_MAX_WAIT_MS	3600000
#define KNOCK_MSG_LEN		1024
#define KNOCK_MAX_ADDRS		16	/* addresses of HOST kept, in order */

/* What knock was asked to do. */
enum knock_mode { KM_KNOCK, KM_PROXY, KM_KEYGEN, KM_DERIVE, KM_HELP,
    KM_VERSION };

/* What the command line said; NULL/0 = not given. */
struct knock_opts {
	enum knock_mode	mode;
	const char	*conf_path;	/* -c */
	const char	*seq;		/* -s */
	const char	*key_path;	/* -k */
	const char	*door;		/* -D, --door */
	const char	*open;		/* -p */
	const char	*allow;		/* -a */
	const char	*host;		/* HOST */
	char *const	*ports;		/* PORT[:PROTO]... after HOST */
	size_t		n_ports;
	const char	*proxy_port;	/* --proxy HOST PORT */
	const char	*keygen;	/* --keygen NAME */
	const char	*keygen_host;	/* --host (keygen only) */
	const char	*fleet;		/* --fleet FILE (keygen only) */
	const char	*derive;	/* --derive NAME */
	const char	*nonce_hex;	/* --nonce (hidden, tests) */
	const char	*time_txt;	/* --time (hidden, tests) */
	int		family;		/* AF_UNSPEC, AF_INET, AF_INET6 */
	uint32_t	gap_ms;		/* -d, --delay, --gap */
	uint32_t	wait_ms;
	bool		udp;		/* -u: every positional port is UDP */
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
	char		derive[SK_NAME_MAX];	/* "" = the file's own key */
	struct sk_port	open;			/* port 0 = not given */
	struct sk_addr	allow;			/* zero = packet source */
	bool		allow_set;		/* -a or allow =: no auto */
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

/* One resolved destination; the port is set per packet. */
struct knock_target {
	struct sockaddr_storage	sa;
	socklen_t		sa_len;
	char			txt[ADDR_TXT_LEN];
};

/* HOST's addresses in getaddrinfo's order, duplicates dropped. */
struct knock_addrs {
	struct knock_target	a[KNOCK_MAX_ADDRS];
	size_t			n;
};

/* opts.c */
int opts_parse(int argc, char **argv, struct knock_opts *o);
extern const char knock_usage[];
extern const char knock_help[];

/* paths.c */
bool knock_home(char *out, size_t out_len);
bool knock_conf_dir(char *out, size_t out_len);
bool knock_expand_opt(const char *opt, const char *path, const char *what,
    char *out, size_t out_len);

/* plan.c */
int plan_make(const struct knock_opts *o, struct knock_plan *p);
int plan_packets(const struct knock_plan *p, struct knock_pkt *pkts,
    size_t pkts_cap, size_t *n);
/* plan_master(path, derive, master): the key file's key, or derived. */
int plan_master(const char *path, const char *derive,
    uint8_t master[static SK_KEY_LEN]);

/* net.c: sockets, POSIX only */
int net_socket(int family, int type);
void net_set_port(struct knock_target *t, uint16_t port);
bool net_source(const struct knock_target *t, struct sk_addr *src);

/* resolve.c */
int resolve_host(const char *host, int family, struct knock_addrs *out);
size_t resolve_families(const struct knock_addrs *all,
    const struct knock_target *first[2]);

/* send.c */
int send_all(const struct knock_target *t, const struct knock_pkt *pkts,
    size_t n, uint32_t gap_ms, const struct knock_log *lg, char *why,
    size_t why_len);
void send_dry_run(const struct knock_target *t,
    const struct knock_pkt *pkts, size_t n);

/* wait.c: *fd_out (may be NULL) keeps the connection that answered */
int wait_open(const char *host, const struct knock_addrs *addrs,
    uint16_t port, uint32_t wait_ms, const struct knock_log *lg,
    int *fd_out);

/* proxy.c */
int proxy_relay(int conn, int in, int out, const struct knock_log *lg);

/* run.c */
int run_knock(const struct knock_opts *o, const struct knock_log *lg);

/* keygen.c */
int keygen_run(const struct knock_opts *o);
int keygen_derive(const struct knock_opts *o);

#endif
