/* capture.c: libpcap handles, one per interface or the -r file. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "capture.h"
#include "clock.h"

#define FILTER_MAX	(256 * 1024)
#define FILE_IOBUF	(32 * 1024)
/*
 * The kernel ring of a live capture, mapped into the capture child and
 * resident from the start (libpcap's default is 2 MiB): 512 KiB holds
 * about 800 frames of SKD_SNAPLEN, 8 ms of a 100k packets/s flood.
 */
#define LIVE_RING	(512 * 1024)

/* cap_init(c, name, log, errors): ${errors} counts failed opens/reads. */
void
cap_init(struct capture *c, const char *name, struct sklog *log,
    uint64_t *errors)
{
	memset(c, 0, sizeof *c);
	snprintf(c->name, sizeof c->name, "%s", name);
	c->fd = -1;
	c->log = log;
	c->errors = errors;
}

void
cap_close(struct capture *c)
{
	if (c->p != NULL)
		pcap_close(c->p);
	c->p = NULL;
	c->fd = -1;
	free(c->iobuf);		/* after pcap_close's fclose */
	c->iobuf = NULL;
}

static bool
try_filter(pcap_t *p, const char *text, char *err, size_t err_len)
{
	struct bpf_program prog;
	int rc;

	if (pcap_compile(p, &prog, text, 1, PCAP_NETMASK_UNKNOWN) == -1) {
		snprintf(err, err_len, "%s", pcap_geterr(p));
		return false;
	}
	rc = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	if (rc == -1)
		snprintf(err, err_len, "%s", pcap_geterr(p));
	return rc == 0;
}

/*
 * cap_refilter(c, conf): compile bpf_filter_text for ${conf}'s doors,
 * with VLAN tags first and without if that does not compile for this
 * link type.  Without any filter the decoder still sees everything.
 */
bool
cap_refilter(struct capture *c, const struct conf *conf)
{
	char *text = malloc(FILTER_MAX);
	char err[PCAP_ERRBUF_SIZE] = "";
	bool ok = false;

	if (text == NULL)
		return false;
	for (int vlan = 1; vlan >= 0 && !ok; vlan--) {
		if (!bpf_filter_text(conf, vlan, text, FILTER_MAX))
			break;
		ok = try_filter(c->p, text, err, sizeof err);
	}
	if (!ok)
		log_warnx(c->log, "%s: capture filter not set (%s); every "
		    "packet goes to the decoder", c->name, err);
	free(text);
	return ok;
}

static bool
open_fail(struct capture *c, pcap_t *p, const char *err)
{
	uint64_t retry_s = SKD_IFACE_RETRY_MS / 1000;

	(*c->errors)++;
	if (strcmp(err, c->lasterr) != 0)
		log_warnx(c->log, "interface %s: %s; retrying every %llu s",
		    c->name, err, (unsigned long long)retry_s);
	else
		log_debug(c->log, "interface %s: still %s", c->name, err);
	snprintf(c->lasterr, sizeof c->lasterr, "%s", err);
	if (p != NULL)
		pcap_close(p);
	c->p = NULL;
	c->fd = -1;
	c->retry_ms = mono_ms() + SKD_IFACE_RETRY_MS;
	return false;
}

/*
 * cap_open_live(c, conf): immediate mode, small snaplen, inbound only,
 * non-blocking, filtered.  A missing or broken interface is logged and
 * retried at c->retry_ms; it never stops the daemon.
 */
bool
cap_open_live(struct capture *c, const struct conf *conf)
{
	char err[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p;
	int rc;

	p = pcap_create(c->name, err);
	if (p == NULL)
		return open_fail(c, NULL, err);
	pcap_set_snaplen(p, SKD_SNAPLEN);
	pcap_set_buffer_size(p, LIVE_RING);
	pcap_set_immediate_mode(p, 1);
	pcap_set_promisc(p, 0);
	rc = pcap_activate(p);
	if (rc < 0) {
		const char *why = pcap_geterr(p);

		if (*why == '\0' || strcmp(why, pcap_statustostr(rc)) == 0)
			snprintf(err, sizeof err, "%s", pcap_statustostr(rc));
		else
			snprintf(err, sizeof err, "%s: %s", pcap_statustostr(rc),
			    why);
		return open_fail(c, p, err);
	}
	if (rc > 0)
		log_warnx(c->log, "interface %s: %s", c->name,
		    pcap_statustostr(rc));
	if (pcap_setnonblock(p, 1, err) == -1)
		return open_fail(c, p, err);
	if (pcap_setdirection(p, PCAP_D_IN) == -1)
		log_warnx(c->log, "interface %s: inbound-only capture not "
		    "supported (%s); the decoder still skips outgoing "
		    "cooked packets", c->name, pcap_geterr(p));
	c->p = p;
	c->dlt = pcap_datalink(p);
	c->fd = pcap_get_selectable_fd(p);
	if (c->fd == -1)
		return open_fail(c, p, "no selectable fd");
	fcntl(c->fd, F_SETFD, FD_CLOEXEC);
	cap_refilter(c, conf);
	if (c->lasterr[0] != '\0')
		log_info(c->log, "interface %s: capturing", c->name);
	c->lasterr[0] = '\0';
	return true;
}

/*
 * cap_open_file(c, path): a capture file of any link type ("-" is
 * stdin).  A larger stdio buffer than the 4 KiB default: libpcap reads
 * each packet with two fread()s; 32 KiB takes eight times fewer read(2)s
 * and still fits the L1/L2 caches (256 KiB cost more system time here:
 * each refill copies into memory that is no longer cached).
 */
bool
cap_open_file(struct capture *c, const char *path)
{
	char err[PCAP_ERRBUF_SIZE] = "";
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rbe");

	if (fp == NULL) {
		log_err(c->log, "%s", path);
		return false;
	}
	c->iobuf = malloc(FILE_IOBUF);
	if (c->iobuf != NULL)
		setvbuf(fp, c->iobuf, _IOFBF, FILE_IOBUF);
	c->p = pcap_fopen_offline(fp, err);
	if (c->p == NULL) {
		log_errx(c->log, "%s: %s", path, err);
		if (fp != stdin)
			fclose(fp);
		free(c->iobuf);
		c->iobuf = NULL;
		return false;
	}
	c->dlt = pcap_datalink(c->p);
	c->is_file = true;
	return true;
}

struct cb_ctx {
	cap_packet_fn	*fn;
	void		*ctx;
	int		dlt;
};

static void
on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct cb_ctx *cb = (struct cb_ctx *)(void *)user;

	cb->fn(cb->ctx, h, bytes, cb->dlt);
}

/*
 * cap_drain(c, max, fn, ctx): hand up to ${max} (-1: all that are
 * ready) packets to ${fn}.  Returns the count, 0 at the end of a file,
 * or -1 after an error (a live capture is then closed and retried).
 */
int
cap_drain(struct capture *c, int max, cap_packet_fn *fn, void *ctx)
{
	struct cb_ctx cb = { fn, ctx, c->dlt };
	int n;

	n = pcap_dispatch(c->p, max, on_packet, (u_char *)&cb);
	if (n >= 0 || n == PCAP_ERROR_BREAK)
		return n < 0 ? 0 : n;
	if (c->is_file) {
		log_errx(c->log, "%s: %s", c->name, pcap_geterr(c->p));
		return -1;
	}
	char err[PCAP_ERRBUF_SIZE];

	snprintf(err, sizeof err, "capture failed: %s", pcap_geterr(c->p));
	c->lasterr[0] = '\0';
	open_fail(c, c->p, err);
	return -1;
}
