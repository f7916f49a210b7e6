/* check_main.h: the one main() body shared by every Check suite. */
#ifndef CHECK_MAIN_H
#define CHECK_MAIN_H

#include <check.h>
#include <sodium.h>

/*
 * check_run(s): make libsodium ready (keys live in sodium_malloc memory),
 * run suite ${s}, and return the process exit status: 0 if all passed.
 */
static inline int
check_run(Suite *s)
{
	SRunner *sr;
	int failed;

	if (sodium_init() < 0)
		return 1;
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

#endif
