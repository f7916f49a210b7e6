/* test_pmsg.c: the parent/child messages, both ways, and what is refused. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "pmsg.h"

static struct pmsg
cand_fixture(uint16_t len)
{
	struct pmsg m = { .type = PMSG_CAND };
	struct pmsg_cand *c = &m.u.cand;

	addr_parse("192.0.2.7", &c->src);
	addr_parse("2001:db8::1", &c->dst);
	c->door = 3;
	c->complete = true;
	c->payload_len = len;
	for (size_t i = 0; i < len && i < PMSG_PAYLOAD_MAX; i++)
		c->payload[i] = (uint8_t)(0xa0 + i);
	return m;
}

static struct pmsg
iface_fixture(void)
{
	struct pmsg m = { .type = PMSG_IFACE };

	m.u.iface.idx = 2;
	m.u.iface.state = PMSG_IF_UP;
	m.u.iface.dlt = 276;
	strcpy(m.u.iface.text, "capturing");
	return m;
}

START_TEST(cand_round_trip)
{
	struct pmsg m = cand_fixture(88), out;
	uint8_t buf[PMSG_LEN];

	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_OK);
	ck_assert_int_eq(buf[0], PMSG_CAND);
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_OK);
	ck_assert_int_eq(out.type, PMSG_CAND);
	ck_assert(addr_eq(&out.u.cand.src, &m.u.cand.src));
	ck_assert(addr_eq(&out.u.cand.dst, &m.u.cand.dst));
	ck_assert_int_eq(out.u.cand.door, 3);
	ck_assert(out.u.cand.complete);
	ck_assert(!out.u.cand.truncated);
	ck_assert_int_eq(out.u.cand.payload_len, 88);
	ck_assert_mem_eq(out.u.cand.payload, m.u.cand.payload, 88);
}
END_TEST

START_TEST(cand_long_and_short_payloads)
{
	uint8_t buf[PMSG_LEN];
	struct pmsg out;
	/* A 1400-byte datagram: its length travels, 88 bytes of it do. */
	struct pmsg m = cand_fixture(1400);

	m.u.cand.truncated = true;
	m.u.cand.complete = false;
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_OK);
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_OK);
	ck_assert_int_eq(out.u.cand.payload_len, 1400);
	ck_assert(out.u.cand.truncated && !out.u.cand.complete);
	m = cand_fixture(0);
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_OK);
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_OK);
	ck_assert_int_eq(out.u.cand.payload_len, 0);
}
END_TEST

START_TEST(exact_length_only)
{
	struct pmsg m = cand_fixture(88), out;
	uint8_t buf[PMSG_LEN + 1] = { 0 };

	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_OK);
	ck_assert_int_eq(pmsg_decode(buf, PMSG_LEN - 1, &out), PMSG_E_LEN);
	ck_assert_int_eq(pmsg_decode(buf, PMSG_LEN + 1, &out), PMSG_E_LEN);
	ck_assert_int_eq(pmsg_decode(buf, 0, &out), PMSG_E_LEN);
	ck_assert_int_eq(out.type, 0);
}
END_TEST

START_TEST(unknown_type_refused)
{
	uint8_t buf[PMSG_LEN] = { 0 };
	struct pmsg out, m = { .type = 9 };

	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_E_TYPE);
	buf[0] = 5;
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_E_TYPE);
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_E_TYPE);
}
END_TEST

START_TEST(head_and_tail_must_be_zero)
{
	struct pmsg m = cand_fixture(88), out;
	uint8_t buf[PMSG_LEN];

	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_OK);
	buf[1] = 1;
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_E_RESERVED);
	buf[1] = 0;
	buf[PMSG_LEN - 1] = 1;
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_E_RESERVED);
	/* The error leaves nothing behind that a caller could act on. */
	ck_assert_int_eq(out.u.cand.door, 0);
	ck_assert_int_eq(out.u.cand.payload[0], 0);
}
END_TEST

START_TEST(payload_beyond_length_must_be_zero)
{
	struct pmsg m = cand_fixture(10), out;
	uint8_t buf[PMSG_LEN];

	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_OK);
	buf[40 + 10] = 0x55;	/* the first byte past the payload */
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_E_RESERVED);
	m.u.cand.payload[10] = 0x55;
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_E_RESERVED);
}
END_TEST

START_TEST(door_and_flags_in_range)
{
	struct pmsg m = cand_fixture(88), out;
	uint8_t buf[PMSG_LEN];

	m.u.cand.door = SK_MAX_DOORS - 1;
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_OK);
	buf[36] = SK_MAX_DOORS;
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_E_RANGE);
	buf[36] = 0;
	buf[37] = 0x04;
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_E_RANGE);
	m.u.cand.door = SK_MAX_DOORS;
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_E_RANGE);
}
END_TEST

START_TEST(beat_round_trip)
{
	struct pmsg m = { .type = PMSG_BEAT }, out;
	uint8_t buf[PMSG_LEN];

	m.u.beat.packets = 0x0102030405060708ULL;
	m.u.beat.decode_err[8] = 9;
	m.u.beat.seq_ev[3] = UINT64_MAX;
	m.u.beat.iface_errors = 5;
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_OK);
	ck_assert_int_eq(buf[4], 1);
	ck_assert_int_eq(buf[11], 8);
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_OK);
	ck_assert_mem_eq(&out.u.beat, &m.u.beat, sizeof m.u.beat);
	buf[PMSG_LEN - 1] = 1;
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_E_RESERVED);
}
END_TEST

START_TEST(iface_round_trip)
{
	struct pmsg m = iface_fixture(), out;
	uint8_t buf[PMSG_LEN];

	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_OK);
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_OK);
	ck_assert_int_eq(out.u.iface.idx, 2);
	ck_assert_int_eq(out.u.iface.state, PMSG_IF_UP);
	ck_assert_int_eq(out.u.iface.dlt, 276);
	ck_assert_str_eq(out.u.iface.text, "capturing");
}
END_TEST

START_TEST(iface_text_printable_and_terminated)
{
	struct pmsg m = iface_fixture(), out;
	uint8_t buf[PMSG_LEN];

	m.u.iface.text[3] = '\n';
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_E_TEXT);
	m = iface_fixture();
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_OK);
	memset(buf + 12, 'x', PMSG_TEXT_MAX);	/* no NUL */
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_E_TEXT);
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_OK);
	buf[12 + 20] = 'y';	/* after the NUL */
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_E_RESERVED);
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_OK);
	buf[12] = 0x1b;		/* an escape, for a terminal reading the log */
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_E_TEXT);
}
END_TEST

START_TEST(iface_index_state_dlt)
{
	struct pmsg m = iface_fixture(), out;
	uint8_t buf[PMSG_LEN];

	m.u.iface.idx = SK_MAX_IFACES;
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_E_RANGE);
	m = iface_fixture();
	m.u.iface.state = PMSG_IF_DOWN;
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_E_RANGE);	/* dlt set */
	m.u.iface.dlt = 0;
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_OK);
	buf[5] = 7;
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_E_RANGE);
	buf[5] = PMSG_IF_DOWN;
	buf[6] = 1;
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_E_RESERVED);
	m = iface_fixture();
	m.u.iface.dlt = -1;
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_E_RANGE);
}
END_TEST

/* Parent to child: a door opened for src; only src and door travel. */
START_TEST(forget_round_trip_and_nothing_else)
{
	struct pmsg m = { .type = PMSG_FORGET }, out;
	uint8_t buf[PMSG_LEN];

	addr_parse("192.0.2.7", &m.u.cand.src);
	m.u.cand.door = 5;
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_OK);
	ck_assert_int_eq(buf[0], PMSG_FORGET);
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_OK);
	ck_assert_int_eq(out.type, PMSG_FORGET);
	ck_assert(addr_eq(&out.u.cand.src, &m.u.cand.src));
	ck_assert_int_eq(out.u.cand.door, 5);
	/* A payload, a flag or a destination: refused both ways. */
	m.u.cand.payload_len = 1;
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_E_RANGE);
	m.u.cand.payload_len = 0;
	m.u.cand.complete = true;
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_E_RANGE);
	m.u.cand.complete = false;
	addr_parse("192.0.2.1", &m.u.cand.dst);
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_E_RESERVED);
	memset(&m.u.cand.dst, 0, sizeof m.u.cand.dst);
	ck_assert_int_eq(pmsg_encode(&m, buf), PMSG_OK);
	buf[39] = 1;	/* payload length */
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_E_RANGE);
	buf[39] = 0;
	buf[20] = 1;	/* destination */
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_E_RESERVED);
	buf[20] = 0;
	buf[36] = SK_MAX_DOORS;
	ck_assert_int_eq(pmsg_decode(buf, sizeof buf, &out), PMSG_E_RANGE);
}
END_TEST

START_TEST(every_error_has_a_text)
{
	for (int e = PMSG_OK; e <= PMSG_E_TEXT; e++)
		ck_assert_ptr_nonnull(pmsg_strerror(e));
	ck_assert_str_eq(pmsg_strerror(99), "unknown error");
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, cand_round_trip);
	tcase_add_test(tc, cand_long_and_short_payloads);
	tcase_add_test(tc, exact_length_only);
	tcase_add_test(tc, unknown_type_refused);
	tcase_add_test(tc, head_and_tail_must_be_zero);
	tcase_add_test(tc, payload_beyond_length_must_be_zero);
	tcase_add_test(tc, door_and_flags_in_range);
	tcase_add_test(tc, beat_round_trip);
	tcase_add_test(tc, iface_round_trip);
	tcase_add_test(tc, iface_text_printable_and_terminated);
	tcase_add_test(tc, iface_index_state_dlt);
	tcase_add_test(tc, every_error_has_a_text);
	tcase_add_test(tc, forget_round_trip_and_nothing_else);
	return check_run("pmsg", tc);
}
