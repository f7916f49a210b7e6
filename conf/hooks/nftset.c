/*
 * nftset.c: the compiled default hook, installed as libexecdir/sknock/nft.
 *
 *	nft ACTION	(start, open, close, check or stop; SKNOCK_* in the
 *			environment)
 *	nft serve	(a hook server, DESIGN.md "Hook servers": greets with
 *			"sknock-hook 1", then reads one request line per
 *			action, "ACTION KEY=VALUE...", and answers "ok" or
 *			"error MESSAGE"; ends at the end of its input)
 *
 * It behaves as the nft.sh script beside it, but opens and closes a door
 * with one netlink transaction of its own instead of starting the nft
 * binary and a shell: that start-up is most of the time a knock takes to
 * open (see README, "Performance").  Serving, it keeps one netlink socket
 * for all its transactions, so an open costs no process start at all.
 * start, check (every 5 s, a request to the server like the others) and
 * stop are rare, so they are handed to nft.sh itself, which owns the
 * table layout (forwarded ports included); nft.sh and the
 * directories above it are checked as sknockd checks a hook before it runs:
 *
 *	table inet sknock: sets allow4 (ipv4_addr . inet_proto . inet_service)
 *	and allow6 (ipv6_addr . inet_proto . inet_service), flags timeout.
 *
 * open = add, delete, add-with-timeout in one batch, so it refreshes the
 * timeout of an element that is already there; close = add, delete, so a
 * missing element is not an error.  Exit: 0 done, 1 netlink failed,
 * 2 refused (bad environment or usage).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/set.h>

#include "relay.h"
#include "safepath.h"

#define HOOK_NAME	"sknock-nft"
#define TABLE		"sknock"
#define TIMEOUT_MAX	4294967u	/* s; the most an element timeout holds */
#define KEY_MAX		24		/* ipv6 16 + proto 4 + port 4 */
#define NL_BUF_LEN	8192		/* one small batch, or its replies */
#define REQ_LEN		4096		/* one request line */
#define REQ_KEYS	16		/* KEY=VALUE pairs in one request */
#define MSG_LEN		512

enum { EXIT_DONE = 0, EXIT_NETLINK = 1, EXIT_REFUSED = 2 };

/* A door as the environment describes it, checked. */
struct door {
	int		family;		/* 4 or 6 */
	uint8_t		key[KEY_MAX];	/* the set element's key */
	size_t		key_len;
	uint64_t	timeout_ms;	/* open only */
};

/* Where the values of an action come from: the environment or a request. */
struct src {
	size_t		n;
	const char	*key[REQ_KEYS];		/* NULL: the environment */
	const char	*val[REQ_KEYS];
	bool		from_env;
};

/* One netlink socket, kept open by a server across transactions. */
struct nl {
	struct mnl_socket	*sock;
	uint32_t		seq;
};

/* say(msg, name, val, want): the refusal, naming the value but quoting it
 * only when it prints as one line (it must not forge a log line). */
static void
say(char *msg, const char *name, const char *val, const char *want)
{
	bool printable = true;

	for (const char *p = val; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			printable = false;
	if (printable)
		snprintf(msg, MSG_LEN, "%s='%s': %s", name, val, want);
	else
		snprintf(msg, MSG_LEN, "%s=(%zu bytes, not printable): %s",
		    name, strlen(val), want);
}

/* parse_uint(s, min, max, out): decimal, no sign, no leading zeros. */
static bool
parse_uint(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	size_t n = strlen(s);

	if (n == 0 || n > 10 || (s[0] == '0' && n > 1))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v < min || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* get(s, key): the value of ${key} ("family"), or "" when absent. */
static const char *
get(const struct src *s, const char *key)
{
	char name[32];
	const char *v;
	size_t i;

	if (!s->from_env) {
		for (i = 0; i < s->n; i++)
			if (strcmp(s->key[i], key) == 0)
				return s->val[i];
		return "";
	}
	snprintf(name, sizeof name, "SKNOCK_%s", key);
	for (i = 7; name[i] != '\0'; i++)
		if (name[i] >= 'a' && name[i] <= 'z')
			name[i] = (char)(name[i] - 'a' + 'A');
	v = getenv(name);
	return v != NULL ? v : "";
}

/* The message names the variable as the hook's user knows it. */
static void
say_key(char *msg, const struct src *s, const char *key, const char *want)
{
	char name[32];

	snprintf(name, sizeof name, "%s%s", s->from_env ? "SKNOCK_" : "",
	    key);
	if (s->from_env)
		for (size_t i = 7; name[i] != '\0'; i++)
			if (name[i] >= 'a' && name[i] <= 'z')
				name[i] = (char)(name[i] - 'a' + 'A');
	say(msg, name, get(s, key), want);
}

static bool
family_from(const struct src *s, struct door *d, uint32_t *addr_len,
    char *msg)
{
	const char *fam = get(s, "family"), *addr = get(s, "address");

	if (strcmp(fam, "4") == 0) {
		d->family = 4;
		*addr_len = 4;
	} else if (strcmp(fam, "6") == 0) {
		d->family = 6;
		*addr_len = 16;
	} else {
		say_key(msg, s, "family", "expected 4 or 6");
		return false;
	}
	if (inet_pton(d->family == 4 ? AF_INET : AF_INET6, addr, d->key) != 1) {
		say_key(msg, s, "address", d->family == 4 ?
		    "is not an IPv4 address (family 4); expected e.g. 192.0.2.7" :
		    "is not an IPv6 address (family 6); expected e.g. 2001:db8::7");
		return false;
	}
	return true;
}

/*
 * door_from(s, d, want_timeout, msg): check family, address, proto, port
 * (and timeout) as the script does, and build the element key: each
 * field of a concatenation takes a whole 32-bit register.
 */
static bool
door_from(const struct src *s, struct door *d, bool want_timeout, char *msg)
{
	const char *proto = get(s, "proto");
	uint32_t port_n, timeout_s, addr_len;
	uint8_t proto_n;
	uint16_t port_be;

	memset(d, 0, sizeof *d);
	if (!family_from(s, d, &addr_len, msg))
		return false;
	if (strcmp(proto, "tcp") == 0)
		proto_n = IPPROTO_TCP;
	else if (strcmp(proto, "udp") == 0)
		proto_n = IPPROTO_UDP;
	else {
		say_key(msg, s, "proto", "expected tcp or udp");
		return false;
	}
	if (!parse_uint(get(s, "port"), 1, 65535, &port_n)) {
		say_key(msg, s, "port", "expected a port 1-65535");
		return false;
	}
	if (want_timeout) {
		if (!parse_uint(get(s, "timeout"), 1, TIMEOUT_MAX, &timeout_s)) {
			say_key(msg, s, "timeout", "expected seconds, 1-4294967");
			return false;
		}
		d->timeout_ms = (uint64_t)timeout_s * 1000;
	}
	d->key[addr_len] = proto_n;
	port_be = htons((uint16_t)port_n);
	memcpy(d->key + addr_len + 4, &port_be, sizeof port_be);
	d->key_len = addr_len + 8;
	return true;
}

/* batch_elem(b, seq, d, type, timeout_ms): one set-element message. */
static bool
batch_elem(struct mnl_nlmsg_batch *b, uint32_t seq, const struct door *d,
    uint16_t type, uint64_t timeout_ms)
{
	struct nftnl_set *s;
	struct nftnl_set_elem *e;
	struct nlmsghdr *nlh;

	if ((s = nftnl_set_alloc()) == NULL)
		return false;
	if ((e = nftnl_set_elem_alloc()) == NULL) {
		nftnl_set_free(s);
		return false;
	}
	nftnl_set_set_str(s, NFTNL_SET_TABLE, TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, d->family == 4 ? "allow4" :
	    "allow6");
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, d->key, (uint32_t)d->key_len);
	if (timeout_ms != 0)
		nftnl_set_elem_set_u64(e, NFTNL_SET_ELEM_TIMEOUT, timeout_ms);
	nftnl_set_elem_add(s, e);
	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b), type,
	    NFPROTO_INET, type == NFT_MSG_NEWSETELEM ?
	    NLM_F_CREATE | NLM_F_ACK : NLM_F_ACK, seq);
	nftnl_set_elems_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);	/* frees the element too */
	return mnl_nlmsg_batch_next(b);
}

/*
 * read_acks(buf, len, acked): walk one datagram of replies.  Every message
 * asked for an ACK (an NLMSG_ERROR with error 0); a non-zero error fails.
 */
static bool
read_acks(const uint8_t *buf, size_t len, unsigned *acked)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)(const void *)buf;
	int left = (int)len;

	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		const struct nlmsgerr *err;

		if (nlh->nlmsg_type != NLMSG_ERROR)
			continue;
		if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof *err)) {
			errno = EBADMSG;
			return false;
		}
		err = mnl_nlmsg_get_payload(nlh);
		if (err->error != 0) {
			errno = -err->error;
			return false;
		}
		(*acked)++;
	}
	return true;
}

/*
 * send_batch(nl, buf, len, n_msgs): one transaction, each message
 * acknowledged.  A socket that failed is closed, so no stale reply can
 * be read as the next transaction's.
 */
static bool
send_batch(struct nl *nl, const void *buf, size_t len, unsigned n_msgs)
{
	uint8_t rbuf[NL_BUF_LEN];
	unsigned acked = 0;
	ssize_t n;

	if (nl->sock == NULL) {
		nl->sock = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
		if (nl->sock == NULL)
			return false;
		if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
			goto fail;
	}
	if (mnl_socket_sendto(nl->sock, buf, len) < 0)
		goto fail;
	while (acked < n_msgs) {
		n = mnl_socket_recvfrom(nl->sock, rbuf, sizeof rbuf);
		if (n <= 0 || !read_acks(rbuf, (size_t)n, &acked))
			goto fail;
	}
	return true;
fail:
	mnl_socket_close(nl->sock);
	nl->sock = NULL;
	return false;
}

/*
 * change(d, refresh): open (refresh: add, delete, add with timeout) or
 * close (add, delete).  The leading add makes the delete safe when the
 * element is absent; the kernel applies the batch whole or not at all.
 */
static int
change(struct nl *nl, const struct door *d, bool open, char *msg)
{
	uint8_t buf[NL_BUF_LEN];
	struct mnl_nlmsg_batch *b;
	uint32_t seq = nl->seq;
	unsigned n_msgs = 0;
	bool ok;

	if ((b = mnl_nlmsg_batch_start(buf, sizeof buf)) == NULL)
		return EXIT_NETLINK;
	nftnl_batch_begin(mnl_nlmsg_batch_current(b), seq++);
	ok = mnl_nlmsg_batch_next(b);
	ok = ok && batch_elem(b, seq++, d, NFT_MSG_NEWSETELEM, 0);
	ok = ok && batch_elem(b, seq++, d, NFT_MSG_DELSETELEM, 0);
	n_msgs = 2;
	if (open) {
		ok = ok && batch_elem(b, seq++, d, NFT_MSG_NEWSETELEM,
		    d->timeout_ms);
		n_msgs++;
	}
	if (ok) {
		nftnl_batch_end(mnl_nlmsg_batch_current(b), seq++);
		ok = mnl_nlmsg_batch_next(b);
	}
	nl->seq = seq;
	ok = ok && send_batch(nl, mnl_nlmsg_batch_head(b),
	    mnl_nlmsg_batch_size(b), n_msgs);
	if (!ok)
		snprintf(msg, MSG_LEN, "%s in table inet %s failed: %s; did "
		    "the start action run (it makes the table), and is this "
		    "root with CAP_NET_ADMIN?", open ? "open" : "close", TABLE,
		    strerror(errno));
	mnl_nlmsg_batch_stop(b);
	return ok ? EXIT_DONE : EXIT_NETLINK;
}

/*
 * script_open(sp, msg): find nft.sh beside this binary and check it and
 * the directories above it as sknockd checked this hook.
 */
static bool
script_open(struct safepath *sp, char *msg)
{
	char self[PATH_MAX], path[PATH_MAX + 8];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

	if (n <= 0) {
		snprintf(msg, MSG_LEN, "cannot find my own directory: %s",
		    strerror(errno));
		return false;
	}
	self[n] = '\0';
	snprintf(path, sizeof path, "%s/nft.sh", dirname(self));
	if (!safepath_open(path, geteuid(), sp, msg, MSG_LEN))
		return false;
	/*
	 * Kept open across exec: the script's $0 is then /dev/fd/N/nft.sh,
	 * so it sources hook-lib.sh from this same checked directory.
	 */
	if (fcntl(sp->dir_fd, F_SETFD, 0) == -1) {
		snprintf(msg, MSG_LEN, "fcntl: %s", strerror(errno));
		safepath_close(sp);
		return false;
	}
	return true;
}

/* script(action): run nft.sh ACTION in place of this process. */
static int
script(const char *action)
{
	char msg[MSG_LEN], act_buf[8];
	struct safepath sp;
	char *argv[] = { NULL, act_buf, NULL };
	extern char **environ;

	snprintf(act_buf, sizeof act_buf, "%s", action);
	if (!script_open(&sp, msg)) {
		fprintf(stderr, "%s: %s; reinstall sknock's hooks\n",
		    HOOK_NAME, msg);
		return EXIT_NETLINK;
	}
	argv[0] = sp.name;
	execveat(sp.dir_fd, sp.name, argv, environ, AT_SYMLINK_NOFOLLOW);
	fprintf(stderr, "%s: cannot run %s/%s: %s; reinstall sknock's hooks\n",
	    HOOK_NAME, sp.real, sp.name, strerror(errno));
	return EXIT_NETLINK;
}

/*
 * serve_script(s, action, msg): nft.sh ACTION as a child, with the
 * request's guard lists (commas back to spaces) in its environment; its
 * stderr is ours, so its lines reach sknockd's log.  Returns its status.
 */
static int
serve_script(const struct src *s, const char *action, char *msg)
{
	char guard[REQ_LEN], fwd[REQ_LEN];
	char *envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", guard, fwd,
	    NULL };
	char act_buf[8];
	char *argv[] = { NULL, act_buf, NULL };
	struct safepath sp;
	pid_t pid;
	int st;

	snprintf(act_buf, sizeof act_buf, "%s", action);
	snprintf(guard, sizeof guard, "SKNOCK_GUARD=%s", get(s, "guard"));
	snprintf(fwd, sizeof fwd, "SKNOCK_GUARD_FORWARD=%s",
	    get(s, "guard_forward"));
	for (char *p = guard; *p != '\0'; p++)
		*p = *p == ',' ? ' ' : *p;
	for (char *p = fwd; *p != '\0'; p++)
		*p = *p == ',' ? ' ' : *p;
	if (!script_open(&sp, msg))
		return EXIT_NETLINK;
	argv[0] = sp.name;
	pid = fork();
	if (pid == 0) {
		/* stdout is the reply channel: nft.sh writes only to stderr. */
		dup2(2, 1);
		execveat(sp.dir_fd, sp.name, argv, envp, AT_SYMLINK_NOFOLLOW);
		_exit(EXIT_NETLINK);
	}
	safepath_close(&sp);
	if (pid == -1 || waitpid(pid, &st, 0) != pid) {
		snprintf(msg, MSG_LEN, "cannot run nft.sh %s: %s", action,
		    strerror(errno));
		return EXIT_NETLINK;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return EXIT_DONE;
	snprintf(msg, MSG_LEN, "nft.sh %s failed: %s %d", action,
	    WIFEXITED(st) ? "exit status" : "signal",
	    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	return WIFEXITED(st) ? WEXITSTATUS(st) : EXIT_NETLINK;
}

/* act(nl, s, action, msg): run one action; an exit status. */
static int
act(struct nl *nl, const struct src *s, const char *action, char *msg)
{
	struct door d;
	bool open;

	if (strcmp(action, "open") == 0)
		open = true;
	else if (strcmp(action, "close") == 0)
		open = false;
	else if (!s->from_env && (strcmp(action, "start") == 0 ||
	    strcmp(action, "stop") == 0 || strcmp(action, "check") == 0))
		return serve_script(s, action, msg);
	else {
		say(msg, "ACTION", action,
		    "expected start, open, close, check or stop");
		return EXIT_REFUSED;
	}
	if (!door_from(s, &d, open, msg))
		return EXIT_REFUSED;
	return change(nl, &d, open, msg);
}

/*
 * parse_req(line, s, action): split "ACTION KEY=VALUE..." on single
 * spaces, in place.  False (with ${msg}) for a pair without '=' or too
 * many pairs.
 */
static bool
parse_req(char *line, struct src *s, char **action, char *msg)
{
	char *save = NULL, *tok;

	memset(s, 0, sizeof *s);
	*action = strtok_r(line, " ", &save);
	if (*action == NULL) {
		snprintf(msg, MSG_LEN, "empty request");
		return false;
	}
	while ((tok = strtok_r(NULL, " ", &save)) != NULL) {
		char *eq = strchr(tok, '=');

		if (eq == NULL || s->n == REQ_KEYS) {
			snprintf(msg, MSG_LEN, "request: %s; expected at most "
			    "%d KEY=VALUE pairs after the action", eq == NULL ?
			    "a word without '='" : "too many pairs", REQ_KEYS);
			return false;
		}
		*eq = '\0';
		for (size_t i = 0; i < s->n; i++)
			if (strcmp(s->key[i], tok) == 0) {
				snprintf(msg, MSG_LEN, "request: %s given "
				    "twice; expected each key once", tok);
				return false;
			}
		s->key[s->n] = tok;
		s->val[s->n++] = eq + 1;
	}
	return true;
}

/* serve(): greet, then one reply line per request line until EOF. */
static int
serve(void)
{
	char line[REQ_LEN], msg[MSG_LEN];
	struct nl nl = { .sock = NULL, .seq = (uint32_t)time(NULL) };
	struct src s;
	char *action;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("sknock-hook 1\n");
	while (fgets(line, sizeof line, stdin) != NULL) {
		size_t n = strlen(line);
		bool whole = n > 0 && line[n - 1] == '\n';

		if (!whole && !feof(stdin)) {
			int c;

			while ((c = getchar()) != EOF && c != '\n')
				;
			printf("error request longer than %d bytes\n", REQ_LEN);
			continue;
		}
		if (whole)
			line[n - 1] = '\0';
		msg[0] = '\0';
		if (parse_req(line, &s, &action, msg) &&
		    act(&nl, &s, action, msg) == EXIT_DONE)
			printf("ok\n");
		else
			printf("error %s\n", msg);
	}
	if (nl.sock != NULL)
		mnl_socket_close(nl.sock);
	return EXIT_DONE;
}

int
main(int argc, char **argv)
{
	char msg[MSG_LEN] = "";
	struct nl nl = { .sock = NULL, .seq = (uint32_t)time(NULL) };
	struct src env = { .from_env = true };
	int rc;

	if (argc != 2) {
		fprintf(stderr, "%s: usage: %s start|open|close|check|stop|serve "
		    "(got %d arguments)\n", HOOK_NAME, argv[0], argc - 1);
		return EXIT_REFUSED;
	}
	if (relay_wanted(SK_HOOK_SOCKET))
		return strcmp(argv[1], "serve") == 0 ?
		    relay_serve(SK_HOOK_SOCKET) :
		    relay_once(SK_HOOK_SOCKET, argv[1]);
	if (strcmp(argv[1], "serve") == 0)
		return serve();
	if (strcmp(argv[1], "start") == 0 || strcmp(argv[1], "stop") == 0 ||
	    strcmp(argv[1], "check") == 0)
		return script(argv[1]);
	rc = act(&nl, &env, argv[1], msg);
	if (rc != EXIT_DONE)
		fprintf(stderr, "%s: %s\n", HOOK_NAME, msg);
	if (nl.sock != NULL)
		mnl_socket_close(nl.sock);
	return rc;
}
