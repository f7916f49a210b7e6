/* parse.c: strict, range-checked parsing of config and command-line values. */
#include <string.h>
#include <strings.h>

#include "parse.h"

#define PARSE_MAX_DURATION_S	UINT32_MAX

const char *
parse_strerror(enum parse_err e)
{
	switch (e) {
	case PARSE_OK:
		return "no error";
	case PARSE_E_EMPTY:
		return "empty; a value is needed";
	case PARSE_E_SYNTAX:
		return "not in the expected form";
	case PARSE_E_RANGE:
		return "number out of range";
	case PARSE_E_PROTO:
		return "unknown protocol; use tcp or udp";
	case PARSE_E_TOO_MANY:
		return "too many entries";
	}
	return "unknown error";
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

/* parse_uint_n(s, len, ...): parse_uint over exactly ${len} bytes. */
static enum parse_err
parse_uint_n(const char *s, size_t len, uint64_t min, uint64_t max,
    uint64_t *out)
{
	uint64_t v = 0;
	bool overflow = false;

	if (len == 0)
		return PARSE_E_EMPTY;
	for (size_t i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return PARSE_E_SYNTAX;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			overflow = true;
		else
			v = v * 10 + d;
	}
	if (overflow || v < min || v > max)
		return PARSE_E_RANGE;
	*out = v;
	return PARSE_OK;
}

/* parse_uint(s, min, max, out): decimal only, no sign, blanks or junk. */
enum parse_err
parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	if (s == NULL)
		return PARSE_E_EMPTY;
	return parse_uint_n(s, strlen(s), min, max, out);
}

/* parse_port(s, out): 1-65535. */
enum parse_err
parse_port(const char *s, uint16_t *out)
{
	uint64_t v;
	enum parse_err e = parse_uint(s, 1, 65535, &v);

	if (e == PARSE_OK)
		*out = (uint16_t)v;
	return e;
}

static bool
name_eq(const char *s, size_t len, const char *name)
{
	return strlen(name) == len && strncasecmp(s, name, len) == 0;
}

/* parse_port_proto_n(s, len, ...): parse_port_proto over ${len} bytes. */
static enum parse_err
parse_port_proto_n(const char *s, size_t len, uint8_t default_proto,
    struct sk_port *out)
{
	const char *slash = memchr(s, '/', len);
	size_t port_len = slash != NULL ? (size_t)(slash - s) : len;
	uint8_t proto = default_proto;
	uint64_t port;
	enum parse_err e;

	if (len == 0)
		return PARSE_E_EMPTY;
	e = parse_uint_n(s, port_len, 1, 65535, &port);
	if (e == PARSE_E_EMPTY)
		return PARSE_E_SYNTAX;	/* "/tcp": the port is missing */
	if (e != PARSE_OK)
		return e;
	if (slash != NULL) {
		const char *p = slash + 1;
		size_t p_len = len - port_len - 1;

		if (name_eq(p, p_len, "tcp"))
			proto = SK_PROTO_TCP;
		else if (name_eq(p, p_len, "udp"))
			proto = SK_PROTO_UDP;
		else
			return PARSE_E_PROTO;
	} else if (proto != SK_PROTO_TCP && proto != SK_PROTO_UDP) {
		return PARSE_E_PROTO;
	}
	out->port = (uint16_t)port;
	out->proto = proto;
	return PARSE_OK;
}

/*
 * parse_port_proto(s, default_proto, out): "22/tcp", "53/udp", or "22"
 * meaning default_proto (PARSE_E_PROTO if that is neither tcp nor udp).
 */
enum parse_err
parse_port_proto(const char *s, uint8_t default_proto, struct sk_port *out)
{
	if (s == NULL)
		return PARSE_E_EMPTY;
	return parse_port_proto_n(s, strlen(s), default_proto, out);
}

/*
 * parse_list_next(cur, item, item_len): items are separated by one comma
 * and/or blanks.  Sets ${item} (not NUL-terminated) and advances ${cur}.
 * PARSE_E_EMPTY at the end of the list; PARSE_E_SYNTAX for an empty item
 * (leading, doubled or trailing comma).
 */
enum parse_err
parse_list_next(const char **cur, const char **item, size_t *item_len)
{
	const char *p = *cur;
	size_t n = 0;

	while (is_blank(*p))
		p++;
	if (*p == '\0') {
		*cur = p;
		return PARSE_E_EMPTY;
	}
	if (*p == ',')
		return PARSE_E_SYNTAX;
	while (p[n] != '\0' && p[n] != ',' && !is_blank(p[n]))
		n++;
	*item = p;
	*item_len = n;
	p += n;
	while (is_blank(*p))
		p++;
	if (*p == ',') {
		p++;
		while (is_blank(*p))
			p++;
		if (*p == '\0' || *p == ',')
			return PARSE_E_SYNTAX;
	}
	*cur = p;
	return PARSE_OK;
}

/*
 * parse_port_list(s, default_proto, out, out_cap, out_n): at least one
 * parse_port_proto entry; on error ${out_n} holds the entries parsed.
 */
enum parse_err
parse_port_list(const char *s, uint8_t default_proto, struct sk_port *out,
    size_t out_cap, size_t *out_n)
{
	const char *cur = s, *item;
	size_t item_len;
	enum parse_err e;

	*out_n = 0;
	if (s == NULL)
		return PARSE_E_EMPTY;
	while ((e = parse_list_next(&cur, &item, &item_len)) == PARSE_OK) {
		if (*out_n >= out_cap)
			return PARSE_E_TOO_MANY;
		e = parse_port_proto_n(item, item_len, default_proto,
		    &out[*out_n]);
		if (e != PARSE_OK)
			return e;
		(*out_n)++;
	}
	if (e != PARSE_E_EMPTY)
		return e;
	return *out_n == 0 ? PARSE_E_EMPTY : PARSE_OK;
}

/* unit_seconds(c): seconds per unit suffix, 0 if unknown. */
static uint32_t
unit_seconds(char c)
{
	switch (c) {
	case 's': case 'S':
		return 1;
	case 'm': case 'M':
		return 60;
	case 'h': case 'H':
		return 3600;
	case 'd': case 'D':
		return 86400;
	}
	return 0;
}

/*
 * parse_duration(s, min_s, max_s, out_s): digits with an optional unit
 * s, m, h or d (any case); the result in seconds must be in
 * [min_s, max_s].
 */
enum parse_err
parse_duration(const char *s, uint32_t min_s, uint32_t max_s,
    uint32_t *out_s)
{
	size_t len, num_len;
	uint32_t mult = 1;
	uint64_t v;
	enum parse_err e;

	if (s == NULL || *s == '\0')
		return PARSE_E_EMPTY;
	len = strlen(s);
	num_len = len;
	if (s[len - 1] < '0' || s[len - 1] > '9') {
		mult = unit_seconds(s[len - 1]);
		if (mult == 0)
			return PARSE_E_SYNTAX;
		num_len = len - 1;
	}
	e = parse_uint_n(s, num_len, 0, PARSE_MAX_DURATION_S / mult, &v);
	if (e == PARSE_E_EMPTY)
		return PARSE_E_SYNTAX;	/* a unit alone, "s" */
	if (e != PARSE_OK)
		return e;
	v *= mult;
	if (v < min_s || v > max_s)
		return PARSE_E_RANGE;
	*out_s = (uint32_t)v;
	return PARSE_OK;
}

/* parse_bool(s, out): yes/no, true/false, on/off, 1/0, any case. */
enum parse_err
parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	if (s == NULL || *s == '\0')
		return PARSE_E_EMPTY;
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return PARSE_OK;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return PARSE_OK;
		}
	}
	return PARSE_E_SYNTAX;
}

bool
parse_token_step_ok(const struct sk_port *steps, size_t n)
{
	return n == 0 || steps[n - 1].proto == SK_PROTO_UDP;
}

/* parse_proto_name(proto): "tcp", "udp" or "?". */
const char *
parse_proto_name(uint8_t proto)
{
	switch (proto) {
	case SK_PROTO_TCP:
		return "tcp";
	case SK_PROTO_UDP:
		return "udp";
	}
	return "?";
}
