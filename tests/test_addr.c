/* test_addr.c: addr_parse / addr_format and the small predicates. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "check_main.h"

static void
roundtrip(const char *in, const char *want)
{
	struct sk_addr a;
	char buf[ADDR_TXT_LEN];

	ck_assert_int_eq(addr_parse(in, &a), ADDR_OK);
	ck_assert_str_eq(addr_format(&a, buf, sizeof buf), want);
}

START_TEST(parse_v4)
{
	struct sk_addr a;
	static const uint8_t want[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff, 192, 0, 2, 7 };

	ck_assert_int_eq(addr_parse("192.0.2.7", &a), ADDR_OK);
	ck_assert_mem_eq(a.b, want, 16);
	ck_assert(addr_is_v4(&a));
	ck_assert(!addr_is_zero(&a));
	roundtrip("192.0.2.7", "192.0.2.7");
	roundtrip("0.0.0.0", "0.0.0.0");
	roundtrip("255.255.255.255", "255.255.255.255");
}
END_TEST

START_TEST(parse_v6)
{
	struct sk_addr a;

	ck_assert_int_eq(addr_parse("2001:db8::1", &a), ADDR_OK);
	ck_assert_int_eq(a.b[0], 0x20);
	ck_assert_int_eq(a.b[15], 1);
	ck_assert(!addr_is_v4(&a));
	roundtrip("2001:db8::1", "2001:db8::1");
	roundtrip("2001:DB8:0:0:0:0:0:1", "2001:db8::1");	/* RFC 5952 */
	roundtrip("fd00::", "fd00::");
	roundtrip("::1", "::1");
}
END_TEST

START_TEST(parse_v4_mapped_is_v4)
{
	struct sk_addr a, b;

	ck_assert_int_eq(addr_parse("::ffff:192.0.2.7", &a), ADDR_OK);
	ck_assert_int_eq(addr_parse("192.0.2.7", &b), ADDR_OK);
	ck_assert(addr_eq(&a, &b));
	ck_assert(addr_is_v4(&a));
	roundtrip("::ffff:192.0.2.7", "192.0.2.7");
}
END_TEST

START_TEST(parse_zero)
{
	struct sk_addr a;

	ck_assert_int_eq(addr_parse("::", &a), ADDR_OK);
	ck_assert(addr_is_zero(&a));
	ck_assert(!addr_is_v4(&a));
	roundtrip("::", "::");
}
END_TEST

START_TEST(parse_rejects)
{
	static const char *const bad[] = {
		"", " 192.0.2.7", "192.0.2.7 ", "192.0.2", "192.0.2.256",
		"192.0.2.7/24", "localhost", "[2001:db8::1]", "fe80::1%eth0",
		"2001:db8::1::2", "1.2.3.4.5", "::fffff:1.2.3.4", "0x7f.0.0.1",
		"2001:db8:0:0:0:0:0:0:1",
	};
	struct sk_addr a, before;

	memset(&a, 0xaa, sizeof a);
	before = a;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(addr_parse(bad[i], &a) == ADDR_E_SYNTAX,
		    "accepted \"%s\"", bad[i]);
		ck_assert_mem_eq(a.b, before.b, 16);	/* untouched */
	}
	ck_assert_int_eq(addr_parse(NULL, &a), ADDR_E_SYNTAX);
}
END_TEST

START_TEST(from_v4_v6)
{
	static const uint8_t v4[4] = { 10, 1, 2, 3 };
	uint8_t v6[16] = { 0xfd };
	struct sk_addr a, b;

	addr_from_v4(v4, &a);
	ck_assert_int_eq(addr_parse("10.1.2.3", &b), ADDR_OK);
	ck_assert(addr_eq(&a, &b));
	v6[15] = 9;
	addr_from_v6(v6, &a);
	ck_assert_int_eq(addr_parse("fd00::9", &b), ADDR_OK);
	ck_assert(addr_eq(&a, &b));
	b.b[15] ^= 1;
	ck_assert(!addr_eq(&a, &b));
}
END_TEST

START_TEST(format_exact_and_short_buffer)
{
	struct sk_addr a;
	char buf[ADDR_TXT_LEN];
	const char *longest = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe";

	ck_assert_int_eq(addr_parse("192.0.2.7", &a), ADDR_OK);
	ck_assert_str_eq(addr_format(&a, buf, 10), "192.0.2.7");  /* exact */
	ck_assert_str_eq(addr_format(&a, buf, 9), "?");		/* 1 short */
	ck_assert_str_eq(addr_format(&a, buf, 1), "");
	ck_assert_int_eq(addr_parse(longest, &a), ADDR_OK);
	ck_assert_str_eq(addr_format(&a, buf, sizeof buf), longest);
	ck_assert_int_eq(addr_parse("::ffff:255.255.255.254", &a), ADDR_OK);
	ck_assert_str_eq(addr_format(&a, buf, sizeof buf), "255.255.255.254");
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("addr");

	tcase_add_test(tc, parse_v4);
	tcase_add_test(tc, parse_v6);
	tcase_add_test(tc, parse_v4_mapped_is_v4);
	tcase_add_test(tc, parse_zero);
	tcase_add_test(tc, parse_rejects);
	tcase_add_test(tc, from_v4_v6);
	tcase_add_test(tc, format_exact_and_short_buffer);
	return check_run("addr", tc);
}
