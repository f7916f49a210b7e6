/* test_parse.c: every parse_* function, its edges and each enum error. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "check_main.h"

START_TEST(uint_valid_and_edges)
{
	uint64_t v = 0;

	ck_assert_int_eq(parse_uint("0", 0, 10, &v), PARSE_OK);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(parse_uint("10", 0, 10, &v), PARSE_OK);
	ck_assert_uint_eq(v, 10);
	ck_assert_int_eq(parse_uint("11", 0, 10, &v), PARSE_E_RANGE);
	ck_assert_int_eq(parse_uint("4", 5, 10, &v), PARSE_E_RANGE);
	ck_assert_int_eq(parse_uint("5", 5, 10, &v), PARSE_OK);
	ck_assert_int_eq(parse_uint("007", 0, 10, &v), PARSE_OK);
	ck_assert_uint_eq(v, 7);
	ck_assert_int_eq(parse_uint("18446744073709551615", 0, UINT64_MAX, &v),
	    PARSE_OK);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_int_eq(parse_uint("18446744073709551616", 0, UINT64_MAX, &v),
	    PARSE_E_RANGE);
	ck_assert_int_eq(parse_uint("99999999999999999999999999", 0, 10, &v),
	    PARSE_E_RANGE);
}
END_TEST

START_TEST(uint_rejects_junk)
{
	static const char *const bad[] = {
		"-1", "+1", " 1", "1 ", "1x", "0x10", "1.0", "1e3", "\t5", "１",
	};
	uint64_t v = 42;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(parse_uint(bad[i], 0, 1000, &v) == PARSE_E_SYNTAX,
		    "accepted \"%s\"", bad[i]);
	ck_assert_uint_eq(v, 42);	/* untouched on error */
	ck_assert_int_eq(parse_uint("", 0, 10, &v), PARSE_E_EMPTY);
	ck_assert_int_eq(parse_uint(NULL, 0, 10, &v), PARSE_E_EMPTY);
}
END_TEST

START_TEST(port_edges)
{
	uint16_t p = 0;

	ck_assert_int_eq(parse_port("1", &p), PARSE_OK);
	ck_assert_uint_eq(p, 1);
	ck_assert_int_eq(parse_port("65535", &p), PARSE_OK);
	ck_assert_uint_eq(p, 65535);
	ck_assert_int_eq(parse_port("0", &p), PARSE_E_RANGE);
	ck_assert_int_eq(parse_port("65536", &p), PARSE_E_RANGE);
	ck_assert_int_eq(parse_port("22/tcp", &p), PARSE_E_SYNTAX);
	ck_assert_int_eq(parse_port("", &p), PARSE_E_EMPTY);
}
END_TEST

START_TEST(port_proto_forms)
{
	struct sk_port sp;

	ck_assert_int_eq(parse_port_proto("22/tcp", SK_PROTO_UDP, &sp),
	    PARSE_OK);
	ck_assert_uint_eq(sp.port, 22);
	ck_assert_uint_eq(sp.proto, SK_PROTO_TCP);
	ck_assert_int_eq(parse_port_proto("53/UDP", SK_PROTO_TCP, &sp),
	    PARSE_OK);
	ck_assert_uint_eq(sp.port, 53);
	ck_assert_uint_eq(sp.proto, SK_PROTO_UDP);
	ck_assert_int_eq(parse_port_proto("9000/Tcp", SK_PROTO_UDP, &sp),
	    PARSE_OK);
	ck_assert_uint_eq(sp.proto, SK_PROTO_TCP);
	ck_assert_int_eq(parse_port_proto("7000", SK_PROTO_UDP, &sp),
	    PARSE_OK);
	ck_assert_uint_eq(sp.port, 7000);
	ck_assert_uint_eq(sp.proto, SK_PROTO_UDP);
	ck_assert_int_eq(parse_port_proto("7000", SK_PROTO_TCP, &sp),
	    PARSE_OK);
	ck_assert_uint_eq(sp.proto, SK_PROTO_TCP);
	ck_assert_int_eq(parse_port_proto("65535/udp", 0, &sp), PARSE_OK);
	ck_assert_uint_eq(sp.port, 65535);
}
END_TEST

START_TEST(port_proto_errors)
{
	struct sk_port sp = { 1234, SK_PROTO_TCP };

	ck_assert_int_eq(parse_port_proto("", SK_PROTO_TCP, &sp),
	    PARSE_E_EMPTY);
	ck_assert_int_eq(parse_port_proto(NULL, SK_PROTO_TCP, &sp),
	    PARSE_E_EMPTY);
	ck_assert_int_eq(parse_port_proto("22/icmp", SK_PROTO_TCP, &sp),
	    PARSE_E_PROTO);
	ck_assert_int_eq(parse_port_proto("22/", SK_PROTO_TCP, &sp),
	    PARSE_E_PROTO);
	ck_assert_int_eq(parse_port_proto("22/tcpx", SK_PROTO_TCP, &sp),
	    PARSE_E_PROTO);
	ck_assert_int_eq(parse_port_proto("22/tc", SK_PROTO_TCP, &sp),
	    PARSE_E_PROTO);
	ck_assert_int_eq(parse_port_proto("22/tcp/udp", SK_PROTO_TCP, &sp),
	    PARSE_E_PROTO);
	ck_assert_int_eq(parse_port_proto("22", 0, &sp), PARSE_E_PROTO);
	ck_assert_int_eq(parse_port_proto("/tcp", SK_PROTO_TCP, &sp),
	    PARSE_E_SYNTAX);
	ck_assert_int_eq(parse_port_proto("x/tcp", SK_PROTO_TCP, &sp),
	    PARSE_E_SYNTAX);
	ck_assert_int_eq(parse_port_proto(" 22/tcp", SK_PROTO_TCP, &sp),
	    PARSE_E_SYNTAX);
	ck_assert_int_eq(parse_port_proto("0/tcp", SK_PROTO_TCP, &sp),
	    PARSE_E_RANGE);
	ck_assert_int_eq(parse_port_proto("65536/udp", SK_PROTO_TCP, &sp),
	    PARSE_E_RANGE);
	ck_assert_uint_eq(sp.port, 1234);	/* untouched on error */
}
END_TEST

START_TEST(port_list_separators)
{
	struct sk_port l[SK_MAX_STEPS];
	size_t n = 99;

	ck_assert_int_eq(parse_port_list("7000/tcp, 8000/udp, 9000/udp",
	    SK_PROTO_TCP, l, SK_MAX_STEPS, &n), PARSE_OK);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(l[0].port, 7000);
	ck_assert_uint_eq(l[0].proto, SK_PROTO_TCP);
	ck_assert_uint_eq(l[1].port, 8000);
	ck_assert_uint_eq(l[1].proto, SK_PROTO_UDP);
	ck_assert_uint_eq(l[2].port, 9000);
	ck_assert_uint_eq(l[2].proto, SK_PROTO_UDP);
	ck_assert_int_eq(parse_port_list("1 2\t3,4 ,5, 6 , 7", SK_PROTO_UDP,
	    l, SK_MAX_STEPS, &n), PARSE_OK);
	ck_assert_uint_eq(n, 7);
	ck_assert_uint_eq(l[6].port, 7);
	ck_assert_uint_eq(l[6].proto, SK_PROTO_UDP);
	ck_assert_int_eq(parse_port_list("  22  ", SK_PROTO_TCP, l,
	    SK_MAX_STEPS, &n), PARSE_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(l[0].port, 22);
}
END_TEST

START_TEST(port_list_errors)
{
	struct sk_port l[4];
	size_t n;

	ck_assert_int_eq(parse_port_list("", SK_PROTO_TCP, l, 4, &n),
	    PARSE_E_EMPTY);
	ck_assert_int_eq(parse_port_list(" \t ", SK_PROTO_TCP, l, 4, &n),
	    PARSE_E_EMPTY);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(parse_port_list(",22", SK_PROTO_TCP, l, 4, &n),
	    PARSE_E_SYNTAX);
	ck_assert_int_eq(parse_port_list("22,", SK_PROTO_TCP, l, 4, &n),
	    PARSE_E_SYNTAX);
	ck_assert_int_eq(parse_port_list("22,,23", SK_PROTO_TCP, l, 4, &n),
	    PARSE_E_SYNTAX);
	ck_assert_int_eq(parse_port_list("22 , , 23", SK_PROTO_TCP, l, 4, &n),
	    PARSE_E_SYNTAX);
	ck_assert_int_eq(parse_port_list("22;23", SK_PROTO_TCP, l, 4, &n),
	    PARSE_E_SYNTAX);
	ck_assert_int_eq(parse_port_list("22/sctp", SK_PROTO_TCP, l, 4, &n),
	    PARSE_E_PROTO);
	ck_assert_int_eq(parse_port_list("22, 70000", SK_PROTO_TCP, l, 4, &n),
	    PARSE_E_RANGE);
	ck_assert_int_eq(parse_port_list("1,2,3,4", SK_PROTO_TCP, l, 4, &n),
	    PARSE_OK);	/* exactly the capacity */
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(parse_port_list("1,2,3,4,5", SK_PROTO_TCP, l, 4, &n),
	    PARSE_E_TOO_MANY);
	ck_assert_int_eq(parse_port_list(NULL, SK_PROTO_TCP, l, 4, &n),
	    PARSE_E_EMPTY);
}
END_TEST

START_TEST(list_next_items)
{
	const char *cur = " any, eth0  wlan0 ", *it;
	size_t len;

	ck_assert_int_eq(parse_list_next(&cur, &it, &len), PARSE_OK);
	ck_assert_uint_eq(len, 3);
	ck_assert(strncmp(it, "any", len) == 0);
	ck_assert_int_eq(parse_list_next(&cur, &it, &len), PARSE_OK);
	ck_assert(strncmp(it, "eth0", len) == 0 && len == 4);
	ck_assert_int_eq(parse_list_next(&cur, &it, &len), PARSE_OK);
	ck_assert(strncmp(it, "wlan0", len) == 0 && len == 5);
	ck_assert_int_eq(parse_list_next(&cur, &it, &len), PARSE_E_EMPTY);
	ck_assert_int_eq(parse_list_next(&cur, &it, &len), PARSE_E_EMPTY);
}
END_TEST

START_TEST(duration_units)
{
	uint32_t s = 0;

	ck_assert_int_eq(parse_duration("30", 1, 86400, &s), PARSE_OK);
	ck_assert_uint_eq(s, 30);
	ck_assert_int_eq(parse_duration("30s", 1, 86400, &s), PARSE_OK);
	ck_assert_uint_eq(s, 30);
	ck_assert_int_eq(parse_duration("5m", 1, 86400, &s), PARSE_OK);
	ck_assert_uint_eq(s, 300);
	ck_assert_int_eq(parse_duration("2h", 1, 86400, &s), PARSE_OK);
	ck_assert_uint_eq(s, 7200);
	ck_assert_int_eq(parse_duration("1d", 1, 86400, &s), PARSE_OK);
	ck_assert_uint_eq(s, 86400);
	ck_assert_int_eq(parse_duration("1H", 1, 86400, &s), PARSE_OK);
	ck_assert_uint_eq(s, 3600);
	ck_assert_int_eq(parse_duration("4294967295", 0, UINT32_MAX, &s),
	    PARSE_OK);
	ck_assert_uint_eq(s, UINT32_MAX);
}
END_TEST

START_TEST(duration_errors)
{
	uint32_t s = 77;

	ck_assert_int_eq(parse_duration("0s", 1, 86400, &s), PARSE_E_RANGE);
	ck_assert_int_eq(parse_duration("86401", 1, 86400, &s), PARSE_E_RANGE);
	ck_assert_int_eq(parse_duration("2d", 1, 86400, &s), PARSE_E_RANGE);
	ck_assert_int_eq(parse_duration("4294967296", 0, UINT32_MAX, &s),
	    PARSE_E_RANGE);
	ck_assert_int_eq(parse_duration("49711d", 0, UINT32_MAX, &s),
	    PARSE_E_RANGE);	/* overflows 32 bits */
	ck_assert_int_eq(parse_duration("99999999999999999999999h", 0,
	    UINT32_MAX, &s), PARSE_E_RANGE);
	ck_assert_int_eq(parse_duration("", 1, 10, &s), PARSE_E_EMPTY);
	ck_assert_int_eq(parse_duration(NULL, 1, 10, &s), PARSE_E_EMPTY);
	ck_assert_int_eq(parse_duration("s", 1, 10, &s), PARSE_E_SYNTAX);
	ck_assert_int_eq(parse_duration("5w", 1, 10, &s), PARSE_E_SYNTAX);
	ck_assert_int_eq(parse_duration("5 s", 1, 10, &s), PARSE_E_SYNTAX);
	ck_assert_int_eq(parse_duration("5ms", 1, 10, &s), PARSE_E_SYNTAX);
	ck_assert_int_eq(parse_duration("-5", 1, 10, &s), PARSE_E_SYNTAX);
	ck_assert_int_eq(parse_duration("1.5m", 1, 100, &s), PARSE_E_SYNTAX);
	ck_assert_uint_eq(s, 77);
}
END_TEST

START_TEST(bool_words)
{
	static const char *const yes[] = { "yes", "YES", "true", "On", "1" };
	static const char *const no[] = { "no", "No", "FALSE", "off", "0" };
	bool b;

	for (size_t i = 0; i < 5; i++) {
		b = false;
		ck_assert_int_eq(parse_bool(yes[i], &b), PARSE_OK);
		ck_assert(b);
		ck_assert_int_eq(parse_bool(no[i], &b), PARSE_OK);
		ck_assert(!b);
	}
	ck_assert_int_eq(parse_bool("", &b), PARSE_E_EMPTY);
	ck_assert_int_eq(parse_bool(NULL, &b), PARSE_E_EMPTY);
	ck_assert_int_eq(parse_bool("y", &b), PARSE_E_SYNTAX);
	ck_assert_int_eq(parse_bool("2", &b), PARSE_E_SYNTAX);
	ck_assert_int_eq(parse_bool("yes ", &b), PARSE_E_SYNTAX);
	ck_assert_int_eq(parse_bool("yesno", &b), PARSE_E_SYNTAX);
}
END_TEST

START_TEST(names_and_messages)
{
	ck_assert_str_eq(parse_proto_name(SK_PROTO_TCP), "tcp");
	ck_assert_str_eq(parse_proto_name(SK_PROTO_UDP), "udp");
	ck_assert_str_eq(parse_proto_name(1), "?");
	for (int e = PARSE_OK; e <= PARSE_E_TOO_MANY; e++)
		ck_assert(strlen(parse_strerror((enum parse_err)e)) > 0);
	ck_assert(strstr(parse_strerror(PARSE_E_PROTO), "tcp or udp") != NULL);
	ck_assert_str_ne(parse_strerror(PARSE_E_RANGE),
	    parse_strerror(PARSE_E_SYNTAX));
}
END_TEST

START_TEST(token_step_is_udp)
{
	struct sk_port st[3] = { { 7000, SK_PROTO_TCP }, { 8000, SK_PROTO_UDP },
	    { 9000, SK_PROTO_TCP } };

	ck_assert(parse_token_step_ok(st, 0));
	ck_assert(!parse_token_step_ok(st, 1));
	ck_assert(parse_token_step_ok(st, 2));
	ck_assert(!parse_token_step_ok(st, 3));
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, uint_valid_and_edges);
	tcase_add_test(tc, uint_rejects_junk);
	tcase_add_test(tc, port_edges);
	tcase_add_test(tc, port_proto_forms);
	tcase_add_test(tc, port_proto_errors);
	tcase_add_test(tc, port_list_separators);
	tcase_add_test(tc, port_list_errors);
	tcase_add_test(tc, list_next_items);
	tcase_add_test(tc, duration_units);
	tcase_add_test(tc, duration_errors);
	tcase_add_test(tc, bool_words);
	tcase_add_test(tc, names_and_messages);
	tcase_add_test(tc, token_step_is_udp);
	return check_run("parse", tc);
}
