/*
 * utctime.c: calendar arithmetic in UTC, without the C library's time
 * zone state (timegm/gmtime read TZ and are not pure).  Days from the
 * civil date by the proleptic Gregorian rules.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "utctime.h"

static bool
digits(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return true;
}

static bool
leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned
month_days(unsigned y, unsigned m)
{
	static const unsigned days[12] = { 31, 28, 31, 30, 31, 30, 31, 31,
	    30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* days_from_civil(y, m, d): days since 1970-01-01. */
static int64_t
days_from_civil(unsigned y, unsigned m, unsigned d)
{
	int64_t yy = (int64_t)y - (m <= 2);
	int64_t era = yy / 400;
	int64_t yoe = yy - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

enum utc_err
utc_parse(const char *s, int64_t *out)
{
	unsigned y, mo, d, h = 0, mi = 0, sec = 0;
	size_t n = strlen(s);

	if (n != 10 && n != 20)
		return UTC_E_SYNTAX;
	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !digits(s + 8, 2, &d))
		return UTC_E_SYNTAX;
	if (n == 20 && (s[10] != 'T' || !digits(s + 11, 2, &h) ||
	    s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' ||
	    !digits(s + 17, 2, &sec) || s[19] != 'Z'))
		return UTC_E_SYNTAX;
	if (y < 2000 || mo < 1 || mo > 12 || d < 1 ||
	    d > month_days(y, mo) || h > 23 || mi > 59 || sec > 59)
		return UTC_E_RANGE;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	return UTC_OK;
}

void
utc_format(int64_t t, char out[static UTC_TXT_LEN])
{
	int64_t days = t / 86400, rem = t % 86400;
	/* civil_from_days, the inverse of days_from_civil. */
	int64_t z = days + 719468, era = z / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);

	if (t < 0 || y > 9999) {
		snprintf(out, UTC_TXT_LEN, "(out of range)");
		return;
	}
	/* Each field is in range; the compiler cannot see it, so % again. */
	snprintf(out, UTC_TXT_LEN, "%04u-%02u-%02uT%02u:%02u:%02uZ",
	    (unsigned)y % 10000, (unsigned)m % 100, (unsigned)d % 100,
	    (unsigned)(rem / 3600) % 100, (unsigned)(rem / 60 % 60) % 100,
	    (unsigned)(rem % 60) % 100);
}
