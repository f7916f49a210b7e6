/*
 * nftset.c: the compiled default hook, installed as libexecdir/sknock/nft.
 *
 *	nft ACTION	(start, open, close or stop; SKNOCK_* in the environment)
 *
 * It behaves as the nft.sh script beside it, but opens and closes a door
 * with one netlink transaction of its own instead of starting the nft
 * binary and a shell: that start-up is most of the time a knock takes to
 * open (see README, "Performance").  start and stop are rare, so they are
 * handed to nft.sh itself, which owns the table layout:
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
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/set.h>

#define HOOK_NAME	"sknock-nft"
#define TABLE		"sknock"
#define TIMEOUT_MAX	4294967u	/* s; the most an element timeout holds */
#define KEY_MAX		24		/* ipv6 16 + proto 4 + port 4 */
#define NL_BUF_LEN	8192		/* one small batch, or its replies */

enum { EXIT_DONE = 0, EXIT_NETLINK = 1, EXIT_REFUSED = 2 };

/* A door as the environment describes it, checked. */
struct door {
	int		family;		/* 4 or 6 */
	uint8_t		key[KEY_MAX];	/* the set element's key */
	size_t		key_len;
	uint64_t	timeout_ms;	/* open only */
};

static void
say(const char *name, const char *val, const char *want)
{
	/* A value with control bytes must not forge a log line. */
	bool printable = true;

	for (const char *p = val; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			printable = false;
	if (printable)
		fprintf(stderr, "%s: %s=%s%s%s: %s\n", HOOK_NAME, name,
		    "'", val, "'", want);
	else
		fprintf(stderr, "%s: %s=(%zu bytes, not printable): %s\n",
		    HOOK_NAME, name, strlen(val), want);
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

static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return v != NULL ? v : "";
}

/*
 * door_from_env(d, want_timeout): check SKNOCK_FAMILY, _ADDRESS, _PROTO,
 * _PORT (and _TIMEOUT) as the script does, and build the element key:
 * each field of a concatenation takes a whole 32-bit register.
 */
static bool
door_from_env(struct door *d, bool want_timeout)
{
	const char *fam = env("SKNOCK_FAMILY"), *addr = env("SKNOCK_ADDRESS");
	const char *proto = env("SKNOCK_PROTO"), *port = env("SKNOCK_PORT");
	uint32_t port_n, timeout_s, addr_len;
	uint8_t proto_n;
	uint16_t port_be;

	memset(d, 0, sizeof *d);
	if (strcmp(fam, "4") == 0) {
		d->family = 4;
		addr_len = 4;
	} else if (strcmp(fam, "6") == 0) {
		d->family = 6;
		addr_len = 16;
	} else {
		say("SKNOCK_FAMILY", fam, "expected 4 or 6");
		return false;
	}
	if (inet_pton(d->family == 4 ? AF_INET : AF_INET6, addr, d->key) != 1) {
		say("SKNOCK_ADDRESS", addr, d->family == 4 ?
		    "is not an IPv4 address (SKNOCK_FAMILY=4); expected e.g. 192.0.2.7" :
		    "is not an IPv6 address (SKNOCK_FAMILY=6); expected e.g. 2001:db8::7");
		return false;
	}
	if (strcmp(proto, "tcp") == 0)
		proto_n = IPPROTO_TCP;
	else if (strcmp(proto, "udp") == 0)
		proto_n = IPPROTO_UDP;
	else {
		say("SKNOCK_PROTO", proto, "expected tcp or udp");
		return false;
	}
	if (!parse_uint(port, 1, 65535, &port_n)) {
		say("SKNOCK_PORT", port, "expected a port 1-65535");
		return false;
	}
	if (want_timeout) {
		if (!parse_uint(env("SKNOCK_TIMEOUT"), 1, TIMEOUT_MAX,
		    &timeout_s)) {
			say("SKNOCK_TIMEOUT", env("SKNOCK_TIMEOUT"),
			    "expected seconds, 1-4294967");
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

/* send_batch(buf, len, n_msgs): one transaction, each message acknowledged. */
static bool
send_batch(const void *buf, size_t len, unsigned n_msgs)
{
	uint8_t rbuf[NL_BUF_LEN];
	struct mnl_socket *nl;
	unsigned acked = 0;
	ssize_t n;
	bool ok = false;

	if ((nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC)) == NULL)
		return false;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_sendto(nl, buf, len) < 0)
		goto out;
	while (acked < n_msgs) {
		n = mnl_socket_recvfrom(nl, rbuf, sizeof rbuf);
		if (n <= 0 || !read_acks(rbuf, (size_t)n, &acked))
			goto out;
	}
	ok = true;
out:
	mnl_socket_close(nl);
	return ok;
}

/*
 * change(d, refresh): open (refresh: add, delete, add with timeout) or
 * close (add, delete).  The leading add makes the delete safe when the
 * element is absent; the kernel applies the batch whole or not at all.
 */
static int
change(const struct door *d, bool open)
{
	uint8_t buf[NL_BUF_LEN];
	struct mnl_nlmsg_batch *b;
	uint32_t seq = (uint32_t)time(NULL);
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
	ok = ok && send_batch(mnl_nlmsg_batch_head(b),
	    mnl_nlmsg_batch_size(b), n_msgs);
	if (!ok)
		fprintf(stderr, "%s: %s in table inet %s failed: %s; did the "
		    "start action run (it makes the table), and is this root "
		    "with CAP_NET_ADMIN?\n", HOOK_NAME, open ? "open" : "close",
		    TABLE, strerror(errno));
	mnl_nlmsg_batch_stop(b);
	return ok ? EXIT_DONE : EXIT_NETLINK;
}

/* script(argv0, action): hand start/stop to nft.sh in our own directory. */
static int
script(const char *action)
{
	char self[PATH_MAX], path[PATH_MAX + 8];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);

	if (n <= 0) {
		fprintf(stderr, "%s: cannot find my own directory: %s\n",
		    HOOK_NAME, strerror(errno));
		return EXIT_NETLINK;
	}
	self[n] = '\0';
	snprintf(path, sizeof path, "%s/nft.sh", dirname(self));
	execl(path, path, action, (char *)NULL);
	fprintf(stderr, "%s: cannot run %s: %s; reinstall sknock's hooks\n",
	    HOOK_NAME, path, strerror(errno));
	return EXIT_NETLINK;
}

int
main(int argc, char **argv)
{
	struct door d;
	bool open;

	if (argc != 2) {
		fprintf(stderr, "%s: usage: %s start|open|close|stop (got %d "
		    "arguments)\n", HOOK_NAME, argv[0], argc - 1);
		return EXIT_REFUSED;
	}
	if (strcmp(argv[1], "start") == 0 || strcmp(argv[1], "stop") == 0 ||
	    strcmp(argv[1], "check") == 0)
		return script(argv[1]);
	if (strcmp(argv[1], "open") == 0)
		open = true;
	else if (strcmp(argv[1], "close") == 0)
		open = false;
	else {
		say("ACTION", argv[1], "expected start, open, close or stop");
		return EXIT_REFUSED;
	}
	if (!door_from_env(&d, open))
		return EXIT_REFUSED;
	return change(&d, open);
}
