/*
 * replay.c: re-send a captured knock, as an eavesdropper would.
 *
 * replay -i IFACE FILE.pcap   each Ethernet frame as captured (so with the
 *                             original IP source), out of IFACE through an
 *                             AF_PACKET socket; the source MAC becomes
 *                             IFACE's own so the bridge is not confused
 * replay -s FILE.pcap         each UDP payload again through a UDP socket,
 *                             each TCP SYN again as a non-blocking
 *                             connect(), from this host's own address
 * Packets go out in file order with a 2 ms gap.  Exit 0 when every
 * packet was sent, 1 otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bytes.h"
#include "tool.h"

#define ETH_HDR		14
#define GAP_MS		2

struct frame_l4 {
	char		dst[INET6_ADDRSTRLEN];
	uint16_t	port;
	uint8_t		proto;
	const uint8_t	*payload;
	size_t		payload_len;
};

/* frame_l3(f, len, out, l4): IPv4 or IPv6 header; offset of layer 4. */
static bool
frame_l3(const uint8_t *f, size_t len, struct frame_l4 *out, size_t *l4)
{
	const uint8_t *ip = f + ETH_HDR;
	uint16_t type = load_be16(f + 12);

	if (type == 0x0800 && len >= ETH_HDR + 20) {
		out->proto = ip[9];
		inet_ntop(AF_INET, ip + 16, out->dst, sizeof out->dst);
		*l4 = ETH_HDR + (size_t)(ip[0] & 0x0f) * 4;
		return true;
	}
	if (type == 0x86dd && len >= ETH_HDR + 40) {
		out->proto = ip[6];
		inet_ntop(AF_INET6, ip + 24, out->dst, sizeof out->dst);
		*l4 = ETH_HDR + 40;
		return true;
	}
	return false;
}

/* frame_parse(f, len, out): Ethernet + IPv4/IPv6 + UDP/TCP. */
static bool
frame_parse(const uint8_t *f, size_t len, struct frame_l4 *out)
{
	size_t l4, ulen;

	if (len < ETH_HDR || !frame_l3(f, len, out, &l4) || len < l4 + 8)
		return false;
	out->port = load_be16(f + l4 + 2);
	if (out->proto != 17)
		return out->proto == 6;
	out->payload = f + l4 + 8;
	out->payload_len = len - l4 - 8;
	ulen = load_be16(f + l4 + 4);
	if (ulen >= 8 && ulen - 8 < out->payload_len)
		out->payload_len = ulen - 8;	/* Ethernet padding */
	return true;
}

static bool
resend(const struct frame_l4 *p)
{
	struct sockaddr_storage ss;
	socklen_t len;
	bool ok;
	int fd;

	if (!tool_sockaddr(p->dst, p->port, &ss, &len))
		return false;
	fd = socket(ss.ss_family, (p->proto == 17 ? SOCK_DGRAM : SOCK_STREAM)
	    | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	if (p->proto == 17)
		ok = sendto(fd, p->payload, p->payload_len, 0,
		    (struct sockaddr *)&ss, len) == (ssize_t)p->payload_len;
	else
		ok = connect(fd, (struct sockaddr *)&ss, len) == 0 ||
		    errno == EINPROGRESS;
	if (p->proto == 6)
		tool_sleep_ms(GAP_MS);	/* let the SYN leave before close */
	close(fd);
	return ok;
}

/* raw_send(o, f, len): frame ${f} as captured, from our own MAC. */
static bool
raw_send(struct tool_pkt_out *o, const uint8_t *f, size_t len)
{
	static uint8_t buf[65536];

	if (len < ETH_HDR || len > sizeof buf)
		return false;
	memcpy(buf, f, len);
	memcpy(buf + 6, o->mac, 6);
	return tool_pkt_send(o, buf, len);
}

int
main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	const char *iface = NULL;
	struct pcap_pkthdr *h;
	const u_char *data;
	struct tool_pkt_out r;
	bool sock = false;
	int opt, n = 0, bad = 0;
	pcap_t *p;

	while ((opt = getopt(argc, argv, "i:s")) != -1) {
		if (opt == 'i')
			iface = optarg;
		else if (opt == 's')
			sock = true;
		else
			goto usage;
	}
	if ((iface == NULL) == !sock || argc - optind != 1)
		goto usage;
	p = pcap_open_offline(argv[optind], err);
	if (p == NULL || pcap_datalink(p) != DLT_EN10MB) {
		fprintf(stderr, "replay: %s: %s\n", argv[optind],
		    p == NULL ? err : "not an Ethernet capture");
		return 1;
	}
	if (iface != NULL && !tool_pkt_open(iface, &r)) {
		fprintf(stderr, "replay: %s: %s\n", iface, strerror(errno));
		return 1;
	}
	while (pcap_next_ex(p, &h, &data) == 1) {
		struct frame_l4 l4;

		if (iface != NULL)
			bad += !raw_send(&r, data, h->caplen);
		else
			bad += !frame_parse(data, h->caplen, &l4) ||
			    !resend(&l4);
		n++;
		tool_sleep_ms(GAP_MS);
	}
	pcap_close(p);
	fprintf(stderr, "replay: %d packets, %d failed\n", n, bad);
	return n > 0 && bad == 0 ? 0 : 1;
usage:
	fprintf(stderr, "usage: replay -i IFACE FILE.pcap | replay -s FILE.pcap\n");
	return 2;
}
