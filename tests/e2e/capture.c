/*
 * capture.c: record packets with libpcap, as an eavesdropper would.
 *
 * capture -i IFACE -w FILE.pcap -c COUNT -t SECONDS [-r READYFILE] FILTER
 * Writes each packet matching FILTER (BPF syntax) to FILE.pcap until
 * COUNT packets were seen (exit 0) or SECONDS passed (exit 1).
 * READYFILE is created once the capture runs.
 */
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tool.h"

struct cap_opts {
	const char	*iface;
	const char	*out;
	const char	*ready;
	const char	*filter;
	long		count;
	long		secs;
};

static pcap_t *
cap_open(const struct cap_opts *o)
{
	char err[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	pcap_t *p;

	p = pcap_create(o->iface, err);
	if (p == NULL) {
		fprintf(stderr, "capture: %s: %s\n", o->iface, err);
		return NULL;
	}
	(void)pcap_set_snaplen(p, 65535);
	(void)pcap_set_immediate_mode(p, 1);
	if (pcap_activate(p) < 0 ||
	    pcap_compile(p, &prog, o->filter, 1, PCAP_NETMASK_UNKNOWN) != 0 ||
	    pcap_setfilter(p, &prog) != 0 || pcap_setnonblock(p, 1, err) != 0) {
		fprintf(stderr, "capture: %s: %s\n", o->iface, pcap_geterr(p));
		pcap_close(p);
		return NULL;
	}
	pcap_freecode(&prog);
	return p;
}

static long
cap_run(pcap_t *p, pcap_dumper_t *d, const struct cap_opts *o)
{
	int64_t end = tool_now_ms() + o->secs * 1000;
	struct pollfd pfd = { .fd = pcap_get_selectable_fd(p),
	    .events = POLLIN };
	long seen = 0;

	while (seen < o->count && tool_now_ms() < end) {
		int n;

		(void)poll(&pfd, 1, 100);
		n = pcap_dispatch(p, (int)(o->count - seen), pcap_dump,
		    (u_char *)d);
		if (n < 0)
			break;
		seen += n;
		pcap_dump_flush(d);
	}
	return seen;
}

int
main(int argc, char **argv)
{
	struct cap_opts o = { .count = 1, .secs = 10 };
	pcap_dumper_t *d;
	pcap_t *p;
	long seen;
	int opt;

	while ((opt = getopt(argc, argv, "i:w:c:t:r:")) != -1) {
		switch (opt) {
		case 'i': o.iface = optarg; break;
		case 'w': o.out = optarg; break;
		case 'r': o.ready = optarg; break;
		case 'c': o.count = (long)tool_num(optarg, 1, 100000, "-c");
			break;
		case 't': o.secs = (long)tool_num(optarg, 1, 600, "-t");
			break;
		default: goto usage;
		}
	}
	if (o.iface == NULL || o.out == NULL || argc - optind != 1)
		goto usage;
	o.filter = argv[optind];
	p = cap_open(&o);
	if (p == NULL)
		return 1;
	d = pcap_dump_open(p, o.out);
	if (d == NULL) {
		fprintf(stderr, "capture: %s: %s\n", o.out, pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	if (o.ready != NULL && tool_touch(o.ready) != 0)
		return 1;
	seen = cap_run(p, d, &o);
	pcap_dump_close(d);
	pcap_close(p);
	fprintf(stderr, "capture: %ld of %ld packets\n", seen, o.count);
	return seen >= o.count ? 0 : 1;
usage:
	fprintf(stderr, "usage: capture -i IFACE -w FILE -c COUNT -t SECONDS "
	    "[-r READYFILE] FILTER\n");
	return 2;
}
