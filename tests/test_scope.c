/* test_scope.c: which source addresses the client signs by itself. */
#include <check.h>

#include "addr.h"
#include "scope.h"
#include "check_main.h"

static bool
global(const char *txt)
{
	struct sk_addr a;

	ck_assert_msg(addr_parse(txt, &a) == ADDR_OK, "bad test address %s",
	    txt);
	return scope_is_global(&a);
}

START_TEST(global_unicast)
{
	static const char *const yes[] = { "1.1.1.1", "8.8.8.8",
	    "198.51.100.7", "203.0.113.1", "192.0.2.2", "100.63.255.255",
	    "100.128.0.0", "172.15.255.255", "172.32.0.0", "169.253.1.1",
	    "192.169.0.1", "223.255.255.255", "2001:db8::1", "2a00:1450::1",
	    "2600::", "fbff::1", "fec0::1", "100::1" };

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		ck_assert_msg(global(yes[i]), "%s should be global", yes[i]);
}
END_TEST

START_TEST(nat_likely_or_not_unicast)
{
	static const char *const no[] = { "10.0.0.1", "10.255.255.255",
	    "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1",
	    "100.127.255.255", "169.254.10.1", "127.0.0.1", "127.1.2.3",
	    "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.1.1.1", "240.0.0.1",
	    "255.255.255.255", "fc00::1", "fd00:66::2", "fe80::1",
	    "febf::1", "::1", "::", "ff02::1", "::ffff:10.0.0.1",
	    "::ffff:192.168.0.1" };

	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		ck_assert_msg(!global(no[i]), "%s should not be global", no[i]);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, global_unicast);
	tcase_add_test(tc, nat_likely_or_not_unicast);
	return check_run("scope", tc);
}
