/*
 * fuzz_pkt: pkt_parse on bytes as captured.  The first input byte picks
 * the link type among every PKT_DLT_* the daemon accepts (and one it
 * does not); the rest is the frame.  pkt_parse_steps, the daemon's lazy
 * decoder, must agree: PKT_OK with the same view where the port is
 * wanted, PKT_SKIP where it is not, never PKT_OK where pkt_parse refuses.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_util.h"
#include "pkt.h"
#include "sk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int dlts[] = {
	PKT_DLT_EN10MB, PKT_DLT_RAW, PKT_DLT_RAW_FILE, PKT_DLT_LINUX_SLL,
	PKT_DLT_IPV4, PKT_DLT_IPV6, PKT_DLT_LINUX_SLL2, 0 /* DLT_NULL */
};

static void
check_view(const uint8_t *frame, size_t caplen, const struct pkt_view *v)
{
	FUZZ_ASSERT(v->family == 4 || v->family == 6);
	FUZZ_ASSERT(v->proto == SK_PROTO_TCP || v->proto == SK_PROTO_UDP);
	if (v->proto == SK_PROTO_UDP)
		FUZZ_ASSERT(v->tcp_flags == 0);
	/* The payload lies inside what was captured. */
	if (v->payload_len > 0) {
		FUZZ_ASSERT(v->payload >= frame);
		FUZZ_ASSERT((size_t)(v->payload - frame) <= caplen);
		FUZZ_ASSERT(v->payload_len <= caplen
		    - (size_t)(v->payload - frame));
	}
}

static struct pkt_portmap all_ports, no_port;

/* The lazy decoder against the reference result ${e} / ${v}. */
static void
check_lazy(const uint8_t *frame, size_t caplen, int dlt, enum pkt_err e,
    const struct pkt_view *v)
{
	struct pkt_view w;
	enum pkt_err l;

	if (all_ports.bits[0][0] == 0)
		memset(&all_ports, 0xff, sizeof all_ports);
	l = pkt_parse_steps(frame, caplen, dlt, &all_ports, &w);
	FUZZ_ASSERT(l == e || (l == PKT_SKIP && e != PKT_OK));
	if (e == PKT_OK) {
		FUZZ_ASSERT(w.dport == v->dport && w.proto == v->proto);
		FUZZ_ASSERT(memcmp(w.src.b, v->src.b, 16) == 0);
		FUZZ_ASSERT(w.payload == v->payload &&
		    w.payload_len == v->payload_len);
	}
	l = pkt_parse_steps(frame, caplen, dlt, &no_port, &w);
	FUZZ_ASSERT(l == PKT_SKIP || (l == e && e != PKT_OK));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_view v;
	enum pkt_err e;
	int dlt;

	if (size < 1)
		return 0;
	dlt = dlts[data[0] % (sizeof dlts / sizeof dlts[0])];
	/*
	 * libFuzzer hands us a heap buffer of exactly ${size} bytes, so
	 * ASan flags any read past the frame's end.
	 */
	e = pkt_parse(data + 1, size - 1, dlt, &v);
	if (e == PKT_OK) {
		FUZZ_ASSERT(dlt != 0);
		check_view(data + 1, size - 1, &v);
	}
	check_lazy(data + 1, size - 1, dlt, e, &v);
	return 0;
}
