/* utctime.h: UTC dates and times as config values (expires = ...). */
#ifndef UTCTIME_H
#define UTCTIME_H

#include <stdint.h>

#define UTC_TXT_LEN	21	/* "YYYY-MM-DDTHH:MM:SSZ" and NUL */

enum utc_err {
	UTC_OK,
	UTC_E_SYNTAX,	/* not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ */
	UTC_E_RANGE	/* a month, day, hour... that does not exist */
};

/*
 * utc_parse(s, out): "YYYY-MM-DD" (midnight UTC) or
 * "YYYY-MM-DDTHH:MM:SSZ", years 2000-9999, every field checked (no
 * 2026-02-30, no 24:00:00, no leap second); ${out} gets unix seconds.
 */
enum utc_err utc_parse(const char *s, int64_t *out);

/* utc_format(t, out): "YYYY-MM-DDTHH:MM:SSZ" for t >= 0. */
void utc_format(int64_t t, char out[static UTC_TXT_LEN]);

#endif
