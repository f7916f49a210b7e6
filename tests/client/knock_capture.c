/*
 * knock_capture.c: capture what knock sends, for the client tests.
 *   knock_capture IFACE FILTER COUNT SECONDS
 * Opens IFACE (immediate mode, inbound), applies the BPF FILTER, prints
 * "ready", then one line per TCP/UDP packet until COUNT packets or
 * SECONDS have passed:
 *   tcp DPORT FLAGS        (FLAGS: S, SA, R ... as letters)
 *   udp DPORT LEN [HEX]    (the payload in hex, when there is one)
 * Exit 0 when COUNT packets were seen, 1 otherwise.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pcap/pcap.h>

#include "bytes.h"

enum { ETH_LEN = 14, SLL_LEN = 16 };

/* l3_offset(dlt, pkt, len, ethertype): where IP starts, or -1. */
static long
l3_offset(int dlt, const unsigned char *pkt, size_t len, unsigned *type)
{
	if (dlt == DLT_EN10MB && len >= ETH_LEN) {
		*type = load_be16(pkt + 12);
		return ETH_LEN;
	}
	if (dlt == DLT_LINUX_SLL && len >= SLL_LEN) {
		*type = load_be16(pkt + 14);
		return SLL_LEN;
	}
	if (dlt == DLT_RAW && len >= 1) {
		*type = (pkt[0] >> 4) == 6 ? 0x86dd : 0x0800;
		return 0;
	}
	return -1;
}

static void
print_l4(unsigned proto, const unsigned char *p, size_t len)
{
	static const char flag_names[] = "FSRPAUEC";
	size_t i;

	if (proto == 6 && len >= 20) {
		printf("tcp %u ", load_be16(p + 2));
		for (i = 0; i < 8; i++)
			if (p[13] & (1u << i))
				putchar(flag_names[i]);
		putchar('\n');
	} else if (proto == 17 && len >= 8) {
		printf("udp %u %zu", load_be16(p + 2), len - 8);
		if (len > 8)
			putchar(' ');
		for (i = 8; i < len; i++)
			printf("%02x", p[i]);
		putchar('\n');
	}
}

/* handle(dlt, pkt, caplen): one line for a TCP or UDP packet; 1 if printed. */
static int
handle(int dlt, const unsigned char *pkt, size_t caplen)
{
	unsigned type = 0;
	long off = l3_offset(dlt, pkt, caplen, &type);
	const unsigned char *ip;
	size_t len, ihl, plen;

	if (off < 0)
		return 0;
	ip = pkt + off;
	len = caplen - (size_t)off;
	if (type == 0x0800 && len >= 20) {
		ihl = (size_t)(ip[0] & 0x0f) * 4;
		plen = load_be16(ip + 2);
		if (ihl < 20 || plen > len || plen < ihl)
			return 0;
		print_l4(ip[9], ip + ihl, plen - ihl);
		return ip[9] == 6 || ip[9] == 17;
	}
	if (type == 0x86dd && len >= 40) {
		plen = load_be16(ip + 4);
		if (plen > len - 40)
			return 0;
		print_l4(ip[6], ip + 40, plen);
		return ip[6] == 6 || ip[6] == 17;
	}
	return 0;
}

static pcap_t *
open_capture(const char *iface, const char *filter)
{
	char err[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	pcap_t *p;

	if ((p = pcap_create(iface, err)) == NULL) {
		fprintf(stderr, "knock_capture: %s: %s\n", iface, err);
		return NULL;
	}
	if (pcap_set_snaplen(p, 512) != 0 || pcap_set_immediate_mode(p, 1) != 0 ||
	    pcap_set_timeout(p, 10) != 0 || pcap_activate(p) < 0 ||
	    pcap_setdirection(p, PCAP_D_IN) != 0 ||
	    pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0 ||
	    pcap_setfilter(p, &prog) != 0 || pcap_setnonblock(p, 1, err) != 0) {
		fprintf(stderr, "knock_capture: %s: %s\n", iface, pcap_geterr(p));
		pcap_close(p);
		return NULL;
	}
	pcap_freecode(&prog);
	return p;
}

int
main(int argc, char **argv)
{
	struct pcap_pkthdr *h;
	const unsigned char *data;
	struct pollfd pfd;
	time_t end;
	int count, seen = 0, r;
	pcap_t *p;

	if (argc != 5) {
		fprintf(stderr, "usage: knock_capture IFACE FILTER COUNT "
		    "SECONDS\n");
		return 2;
	}
	count = atoi(argv[3]);
	end = time(NULL) + atoi(argv[4]);
	if ((p = open_capture(argv[1], argv[2])) == NULL)
		return 1;
	printf("ready\n");
	fflush(stdout);
	pfd.fd = pcap_get_selectable_fd(p);
	pfd.events = POLLIN;
	while (seen < count && time(NULL) < end) {
		if (poll(&pfd, 1, 100) < 0)
			break;
		while (seen < count && (r = pcap_next_ex(p, &h, &data)) == 1) {
			seen += handle(pcap_datalink(p), data, h->caplen);
			fflush(stdout);
		}
	}
	pcap_close(p);
	return seen >= count ? 0 : 1;
}
