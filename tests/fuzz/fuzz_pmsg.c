/*
 * fuzz_pmsg: pmsg_decode on the input as a message from the capture
 * child (the one input the parent takes from it).  A message that
 * decodes is canonical: encoding it again gives exactly the input, and
 * what it names (door, interface, text) is within its bounds.
 */
#include <string.h>

#include "fuzz_util.h"
#include "pmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t again[PMSG_LEN];
	struct pmsg m;
	enum pmsg_err e = pmsg_decode(data, size, &m);

	FUZZ_ASSERT(pmsg_strerror(e) != NULL);
	if (e != PMSG_OK) {
		static const struct pmsg zero;

		FUZZ_ASSERT(memcmp(&m, &zero, sizeof m) == 0);
		return 0;
	}
	FUZZ_ASSERT(size == PMSG_LEN);
	FUZZ_ASSERT(pmsg_encode(&m, again) == PMSG_OK);
	FUZZ_ASSERT(memcmp(again, data, PMSG_LEN) == 0);
	if (m.type == PMSG_CAND)
		FUZZ_ASSERT(m.u.cand.door < SK_MAX_DOORS);
	if (m.type == PMSG_FORGET)
		FUZZ_ASSERT(m.u.cand.door < SK_MAX_DOORS &&
		    m.u.cand.payload_len == 0 && !m.u.cand.complete);
	if (m.type == PMSG_IFACE)
		FUZZ_ASSERT(m.u.iface.idx < SK_MAX_IFACES &&
		    strnlen(m.u.iface.text, PMSG_TEXT_MAX) < PMSG_TEXT_MAX);
	return 0;
}
