/* check_main.h: the one main() body shared by every Check suite. */
#ifndef CHECK_MAIN_H
#define CHECK_MAIN_H

#include <stddef.h>

#include <check.h>
#include <sodium.h>

/*
 * check_run_cases(name, tcs, n): make libsodium ready (keys live in
 * sodium_malloc memory), run the ${n} test cases ${tcs} as suite ${name},
 * and return the process exit status: 0 if all passed.
 */
static inline int
check_run_cases(const char *name, TCase *const *tcs, size_t n)
{
	Suite *s;
	SRunner *sr;
	int failed;

	if (sodium_init() < 0)
		return 1;
	s = suite_create(name);
	for (size_t i = 0; i < n; i++)
		suite_add_tcase(s, tcs[i]);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

/* check_run(name, tc): suite ${name} of the one test case ${tc}. */
static inline int
check_run(const char *name, TCase *tc)
{
	return check_run_cases(name, &tc, 1);
}

#endif
