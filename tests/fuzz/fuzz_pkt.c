/*
 * fuzz_pkt: pkt_parse on bytes as captured.  The first input byte picks
 * the link type among every PKT_DLT_* the daemon accepts (and one it
 * does not); the rest is the frame.
 */
#include <stddef.h>
#include <stdint.h>

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_view v;
	int dlt;

	if (size < 1)
		return 0;
	dlt = dlts[data[0] % (sizeof dlts / sizeof dlts[0])];
	/*
	 * libFuzzer hands us a heap buffer of exactly ${size} bytes, so
	 * ASan flags any read past the frame's end.
	 */
	if (pkt_parse(data + 1, size - 1, dlt, &v) == PKT_OK) {
		FUZZ_ASSERT(dlt != 0);
		check_view(data + 1, size - 1, &v);
	}
	return 0;
}
