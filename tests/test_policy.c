/* test_policy.c: door policy after the MAC, DESIGN.md steps 6 to 8. */
#include <check.h>
#include <string.h>

#include "policy.h"
#include "check_main.h"

static const struct sk_port open_ssh[] = {
	{ 22, SK_PROTO_TCP }, { 2222, SK_PROTO_TCP },
};
static const struct sk_port open_dns[] = {
	{ 53, SK_PROTO_UDP }, { 53, SK_PROTO_TCP },
};
static const struct pol_door ssh = { open_ssh, 2, false, false };
static const struct pol_door dns = { open_dns, 2, false, false };

static struct sk_addr
addr(const char *txt)
{
	struct sk_addr a;

	ck_assert_int_eq(addr_parse(txt, &a), ADDR_OK);
	return a;
}

/* A plain knock from 192.0.2.10 at t = 1000, steps done. */
static struct pol_in
plain(void)
{
	struct pol_in in;

	memset(&in, 0, sizeof in);
	in.src = addr("192.0.2.10");
	in.req.proto = SK_PROTO_TCP;
	in.req.timestamp = 1000;
	in.now_s = 1000;
	in.steps_done = true;
	return in;
}

START_TEST(plain_knock_opens_first_entry)
{
	struct pol_in in = plain();
	struct pol_out out;

	ck_assert_int_eq(pol_decide(&ssh, &in, &out), POL_OK);
	ck_assert(addr_eq(&out.addr, &in.src));
	ck_assert_uint_eq(out.port.port, 22);
	ck_assert_uint_eq(out.port.proto, SK_PROTO_TCP);
}
END_TEST

/* Port 0 is the first entry exactly as written, whatever the byte says. */
START_TEST(port_zero_is_the_first_entry_exactly)
{
	struct pol_in in = plain();
	struct pol_out out;

	in.req.proto = SK_PROTO_TCP;	/* what the client sends by default */
	ck_assert_int_eq(pol_decide(&dns, &in, &out), POL_OK);
	ck_assert_uint_eq(out.port.port, 53);
	ck_assert_uint_eq(out.port.proto, SK_PROTO_UDP);
	in.req.proto = SK_PROTO_UDP;
	ck_assert_int_eq(pol_decide(&ssh, &in, &out), POL_OK);
	ck_assert_uint_eq(out.port.port, 22);
	ck_assert_uint_eq(out.port.proto, SK_PROTO_TCP);
	/* The byte must still be tcp or udp. */
	in.req.proto = 1;
	ck_assert_int_eq(pol_decide(&ssh, &in, &out), POL_PROTO);
}
END_TEST

START_TEST(explicit_port_must_be_an_entry)
{
	struct pol_in in = plain();
	struct pol_out out;

	in.req.port = 2222;
	ck_assert_int_eq(pol_decide(&ssh, &in, &out), POL_OK);
	ck_assert_uint_eq(out.port.port, 2222);
	in.req.proto = SK_PROTO_UDP;
	ck_assert_int_eq(pol_decide(&ssh, &in, &out), POL_PORT);
	in.req.port = 53;
	ck_assert_int_eq(pol_decide(&dns, &in, &out), POL_OK);
	ck_assert_uint_eq(out.port.proto, SK_PROTO_UDP);
	in.req.proto = SK_PROTO_TCP;
	ck_assert_int_eq(pol_decide(&dns, &in, &out), POL_OK);
	ck_assert_uint_eq(out.port.proto, SK_PROTO_TCP);
	in.req.port = 23;
	ck_assert_int_eq(pol_decide(&ssh, &in, &out), POL_PORT);
	in.req.port = 22;
	in.req.proto = 0;
	ck_assert_int_eq(pol_decide(&ssh, &in, &out), POL_PROTO);
}
END_TEST

START_TEST(allow_address_rules)
{
	const struct pol_door nat = { open_ssh, 2, true, false };
	struct pol_in in = plain();
	struct pol_out out;

	in.req.allow = in.src;
	ck_assert_int_eq(pol_decide(&ssh, &in, &out), POL_OK);
	in.req.allow = addr("198.51.100.9");
	ck_assert_int_eq(pol_decide(&ssh, &in, &out), POL_OTHER_ADDRESS);
	ck_assert_int_eq(pol_decide(&nat, &in, &out), POL_OK);
	ck_assert(addr_eq(&out.addr, &in.req.allow));
	/* Never a bogus address, even where others are allowed. */
	in.req.allow = addr("224.0.0.1");
	ck_assert_int_eq(pol_decide(&nat, &in, &out), POL_BOGUS_ADDRESS);
	in.req.allow = addr("::1");
	ck_assert_int_eq(pol_decide(&nat, &in, &out), POL_BOGUS_ADDRESS);
	/* A bogus source signing itself is refused too. */
	in.src = addr("127.0.0.1");
	in.req.allow = in.src;
	ck_assert_int_eq(pol_decide(&ssh, &in, &out), POL_BOGUS_ADDRESS);
}
END_TEST

START_TEST(require_source_address)
{
	const struct pol_door strict = { open_ssh, 2, false, true };
	struct pol_in in = plain();
	struct pol_out out;

	ck_assert_int_eq(pol_decide(&strict, &in, &out), POL_NO_ADDRESS);
	in.req.allow = in.src;
	ck_assert_int_eq(pol_decide(&strict, &in, &out), POL_OK);
	in.req.allow = addr("198.51.100.9");
	ck_assert_int_eq(pol_decide(&strict, &in, &out), POL_OTHER_ADDRESS);
}
END_TEST

START_TEST(client_expiry)
{
	struct pol_in in = plain();
	struct pol_out out;

	in.expires_s = 0;	/* never */
	in.now_s = INT64_MAX;
	ck_assert_int_eq(pol_decide(&ssh, &in, &out), POL_OK);
	in.expires_s = 2000;
	in.now_s = 1999;
	ck_assert_int_eq(pol_decide(&ssh, &in, &out), POL_OK);
	in.now_s = 2000;	/* from then on */
	ck_assert_int_eq(pol_decide(&ssh, &in, &out), POL_EXPIRED);
	/* It is named before anything else that is wrong. */
	in.req.port = 23;
	in.steps_done = false;
	ck_assert_int_eq(pol_decide(&ssh, &in, &out), POL_EXPIRED);
	ck_assert_str_eq(pol_strerror(POL_EXPIRED), "client expired (expires)");
}
END_TEST

/* The sequence is the last check: a token without it opens nothing. */
START_TEST(steps_checked_last)
{
	struct pol_in in = plain();
	struct pol_out out, before;

	in.steps_done = false;
	memset(&out, 0x5a, sizeof out);
	before = out;
	ck_assert_int_eq(pol_decide(&ssh, &in, &out), POL_SEQUENCE);
	ck_assert_mem_eq(&out, &before, sizeof out);
	in.req.port = 23;
	ck_assert_int_eq(pol_decide(&ssh, &in, &out), POL_PORT);
	in.req.port = 0;
	in.req.allow = addr("198.51.100.9");
	ck_assert_int_eq(pol_decide(&ssh, &in, &out), POL_OTHER_ADDRESS);
}
END_TEST

START_TEST(empty_open_list)
{
	const struct pol_door none = { open_ssh, 0, false, false };
	struct pol_in in = plain();
	struct pol_out out;

	ck_assert_int_eq(pol_decide(&none, &in, &out), POL_PORT);
}
END_TEST

START_TEST(bogus_addresses)
{
	static const char *const bogus[] = { "0.0.0.0", "0.1.2.3",
	    "127.0.0.1", "224.0.0.1", "239.255.255.255", "240.0.0.9",
	    "255.255.255.255", "::", "::1", "ff02::1", "ff0e::5" };
	static const char *const fine[] = { "192.0.2.10", "10.0.0.1",
	    "223.255.255.255", "1.0.0.0", "2001:db8::1", "fe80::1", "::2",
	    "fd00::1" };
	struct sk_addr a;

	for (size_t i = 0; i < sizeof bogus / sizeof bogus[0]; i++) {
		a = addr(bogus[i]);
		ck_assert_msg(pol_addr_bogus(&a), "%s", bogus[i]);
	}
	for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
		a = addr(fine[i]);
		ck_assert_msg(!pol_addr_bogus(&a), "%s", fine[i]);
	}
}
END_TEST

START_TEST(every_reason_has_words)
{
	for (int r = 0; r < POL_MAX; r++) {
		ck_assert_ptr_nonnull(pol_strerror(r));
		for (int q = 0; q < r; q++)
			ck_assert_str_ne(pol_strerror(r), pol_strerror(q));
	}
	ck_assert_str_eq(pol_strerror(POL_MAX), "unknown reason");
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("decide");

	tcase_add_test(tc, plain_knock_opens_first_entry);
	tcase_add_test(tc, port_zero_is_the_first_entry_exactly);
	tcase_add_test(tc, explicit_port_must_be_an_entry);
	tcase_add_test(tc, allow_address_rules);
	tcase_add_test(tc, require_source_address);
	tcase_add_test(tc, client_expiry);
	tcase_add_test(tc, steps_checked_last);
	tcase_add_test(tc, empty_open_list);
	tcase_add_test(tc, bogus_addresses);
	tcase_add_test(tc, every_reason_has_words);
	return check_run("policy", tc);
}
