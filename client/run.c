/*
 * run.c: one knock from start to end: plan, resolve, send to each
 * family (DESIGN.md, "Dual stack"), then --wait or --proxy.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "knock.h"
#include "parse.h"
#include "scope.h"

/*
 * own_source(q, t, lg): on a signed knock with no address given, sign
 * the source address a packet to ${t} leaves from when it is global
 * unicast (no NAT likely), so require_source_address doors work as is.
 */
static void
own_source(struct knock_plan *q, const struct knock_target *t,
    const struct knock_log *lg)
{
	struct sk_addr src;
	char txt[ADDR_TXT_LEN];

	if (q->key_path[0] == '\0' || q->allow_set || !net_source(t, &src))
		return;
	addr_format(&src, txt, sizeof txt);
	if (!scope_is_global(&src)) {
		knock_note(lg, "source %s is not global unicast (NAT likely): "
		    "signing no address", txt);
		return;
	}
	q->allow = src;
	knock_note(lg, "source %s is global unicast: signed as the address "
	    "to allow", txt);
}

/*
 * knock_one(plan, i, t, o, lg, why, why_len): the whole sequence to one
 * address, with a token (and nonce) of its own.  0 sent; KNOCK_EXIT_ERR
 * with ${why} set when sending failed; another status (said) otherwise.
 */
static int
knock_one(const struct knock_plan *plan, size_t i,
    const struct knock_target *t, const struct knock_opts *o,
    const struct knock_log *lg, char *why, size_t why_len)
{
	struct knock_plan q = *plan;
	struct knock_pkt pkts[SK_MAX_STEPS];
	size_t n;
	int rc;

	why[0] = '\0';
	if (i > 0 && !q.fixed_nonce)
		randombytes_buf(q.nonce, sizeof q.nonce);
	own_source(&q, t, lg);
	if ((rc = plan_packets(&q, pkts, SK_MAX_STEPS, &n)) != 0)
		goto out;	/* said; ${why} stays empty: not a send */
	knock_note(lg, "%s%s%s is %s; %zu step%s, %s", q.alias,
	    q.alias[0] != '\0' ? ": " : "", q.host, t->txt, n,
	    n == 1 ? "" : "s", q.key_path[0] != '\0' ? "signed" :
	    "unsigned (no key)");
	if (o->dry_run)
		send_dry_run(t, pkts, n);
	else
		rc = send_all(t, pkts, n, o->gap_ms, lg, why, why_len);
out:
	sodium_memzero(pkts, sizeof pkts);
	sodium_memzero(&q, sizeof q);
	return rc;
}

/*
 * knock_families(plan, addrs, o, lg): the first address of each family;
 * a family that fails is a -v note when another went out.
 */
static int
knock_families(const struct knock_plan *plan, const struct knock_addrs *addrs,
    const struct knock_opts *o, const struct knock_log *lg)
{
	const struct knock_target *first[2];
	char why[2][KNOCK_MSG_LEN];
	size_t n = resolve_families(addrs, first), sent = 0, i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = knock_one(plan, i, first[i], o, lg, why[i], sizeof why[i]);
		if (rc == 0)
			sent++;
		else if (why[i][0] == '\0')
			return rc;
	}
	for (i = 0; i < n; i++) {
		if (why[i][0] == '\0')
			continue;
		if (sent > 0)
			knock_note(lg, "skipped: %s", why[i]);
		else
			knock_err("%s", why[i]);
	}
	return sent > 0 ? 0 : KNOCK_EXIT_ERR;
}

/* proxy_port(o, port): --proxy's PORT; 0 or 2. */
static int
proxy_port(const struct knock_opts *o, uint16_t *port)
{
	if (o->mode != KM_PROXY)
		return 0;
	if (parse_port(o->proxy_port, port) == PARSE_OK)
		return 0;
	knock_err("--proxy %s %s: %s is not a port 1-65535; use it as "
	    "ProxyCommand knock --proxy %%h %%p", o->host, o->proxy_port,
	    o->proxy_port);
	return KNOCK_EXIT_USAGE;
}

/* run_knock(o, lg): plan, resolve, send (or print), wait or relay. */
int
run_knock(const struct knock_opts *o, const struct knock_log *lg)
{
	struct knock_plan plan;
	struct knock_addrs addrs;
	uint16_t port = 0;
	int rc, conn = -1;

	if ((rc = proxy_port(o, &port)) != 0 ||
	    (rc = plan_make(o, &plan)) != 0)
		goto out;
	if ((rc = resolve_host(plan.host, o->family, &addrs)) != 0 ||
	    (rc = knock_families(&plan, &addrs, o, lg)) != 0 || o->dry_run)
		goto out;
	if (o->mode == KM_PROXY) {
		if ((rc = wait_open(o->host, &addrs, port, o->wait_ms, lg,
		    &conn)) == 0)
			rc = proxy_relay(conn, STDIN_FILENO, STDOUT_FILENO, lg);
	} else if (o->wait)
		rc = wait_open(o->host, &addrs, plan.open.port, o->wait_ms, lg,
		    NULL);
out:
	sodium_memzero(&plan, sizeof plan);
	return rc;
}
