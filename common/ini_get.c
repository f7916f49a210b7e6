/*
 * ini_get.c: typed values of an ini key, each bad one reported as
 * "PATH:LINE: key = value: problem; fix".
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"
#include "parse.h"

void
ini_bad(struct ini *ini, size_t k, const char *fmt, ...)
{
	const char *v = ini_value(ini, k), *name = ini->items[k].raw;
	char problem[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(problem, sizeof problem, fmt, ap);
	va_end(ap);
	/* A key pasted where its file's path belongs stays out of the log. */
	if (ini_secret(v))
		v = "(not shown: it looks like a key)";
	if (ini_secret(name))
		name = "(a name that looks like a key, not shown)";
	ini_errorf(ini, ini->items[k].line, "%s = %s: %s", name, v, problem);
}

void
ini_section_bad(struct ini *ini, size_t sec, const char *fmt, ...)
{
	char problem[INI_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(problem, sizeof problem, fmt, ap);
	va_end(ap);
	ini_errorf(ini, ini->items[sec].line, "[%s]: %s", ini->items[sec].raw,
	    problem);
}

/* nth_item(list, idx, buf, cap): item ${idx} of a list, "" if none. */
static const char *
nth_item(const char *list, size_t idx, char *buf, size_t cap)
{
	const char *cur = list, *it = "";
	size_t len = 0;

	for (size_t i = 0; i <= idx; i++)
		if (parse_list_next(&cur, &it, &len) != PARSE_OK)
			return "";
	if (len >= cap)
		len = cap - 1;
	memcpy(buf, it, len);
	buf[len] = '\0';
	return buf;
}

/* port_problem(ini, k, e, item, cap, example): one port parse error. */
static void
port_problem(struct ini *ini, size_t k, enum parse_err e, const char *item,
    size_t cap, const char *example)
{
	const char *sep = *item != '\0' ? ": " : "";

	switch (e) {
	case PARSE_E_EMPTY:
		ini_bad(ini, k, "empty; use e.g. %s", example);
		break;
	case PARSE_E_RANGE:
		ini_bad(ini, k, "%s%sport not in 1-65535; use e.g. %s", item,
		    sep, example);
		break;
	case PARSE_E_PROTO:
		ini_bad(ini, k, "%s%sprotocol not tcp or udp; use e.g. %s",
		    item, sep, example);
		break;
	case PARSE_E_TOO_MANY:
		ini_bad(ini, k, "more than %zu entries; use at most %zu", cap,
		    cap);
		break;
	default:
		ini_bad(ini, k, "%s%snot PORT/PROTO; use e.g. %s", item, sep,
		    example);
		break;
	}
}

bool
ini_get_ports(struct ini *ini, size_t k, struct sk_port *out, size_t cap,
    size_t *n, const char *example)
{
	const char *v = ini_value(ini, k);
	struct sk_port tmp[SK_MAX_STEPS > SK_MAX_OPEN ? SK_MAX_STEPS :
	    SK_MAX_OPEN];
	size_t got;
	char item[32];
	enum parse_err e;

	if (cap > sizeof tmp / sizeof tmp[0])
		cap = sizeof tmp / sizeof tmp[0];
	e = parse_port_list(v, SK_PROTO_TCP, tmp, cap, &got);
	if (e != PARSE_OK) {
		port_problem(ini, k, e, e == PARSE_E_TOO_MANY ? "" :
		    nth_item(v, got, item, sizeof item), cap, example);
		return false;
	}
	memcpy(out, tmp, got * sizeof tmp[0]);
	*n = got;
	return true;
}

bool
ini_get_port(struct ini *ini, size_t k, struct sk_port *out,
    const char *example)
{
	enum parse_err e = parse_port_proto(ini_value(ini, k), SK_PROTO_TCP,
	    out);

	if (e != PARSE_OK)
		port_problem(ini, k, e, "", 1, example);
	return e == PARSE_OK;
}

bool
ini_get_duration(struct ini *ini, size_t k, uint32_t lo, uint32_t hi,
    const char *example, uint32_t *out)
{
	enum parse_err e = parse_duration(ini_value(ini, k), lo, hi, out);

	if (e == PARSE_E_RANGE)
		ini_bad(ini, k, "not in %" PRIu32 "-%" PRIu32 " seconds; use "
		    "e.g. %s", lo, hi, example);
	else if (e != PARSE_OK)
		ini_bad(ini, k, "not a duration; use seconds, or a number "
		    "with s, m, h or d, e.g. %s", example);
	return e == PARSE_OK;
}

bool
ini_get_uint32(struct ini *ini, size_t k, uint32_t lo, uint32_t hi,
    const char *example, uint32_t *out)
{
	uint64_t v;
	enum parse_err e = parse_uint(ini_value(ini, k), lo, hi, &v);

	if (e == PARSE_E_RANGE)
		ini_bad(ini, k, "not in %" PRIu32 "-%" PRIu32 "; use e.g. %s",
		    lo, hi, example);
	else if (e != PARSE_OK)
		ini_bad(ini, k, "not a whole number; use e.g. %s", example);
	else
		*out = (uint32_t)v;
	return e == PARSE_OK;
}

bool
ini_get_bool(struct ini *ini, size_t k, bool *out)
{
	enum parse_err e = parse_bool(ini_value(ini, k), out);

	if (e != PARSE_OK)
		ini_bad(ini, k, "not yes or no; use yes or no");
	return e == PARSE_OK;
}

bool
ini_get_string(struct ini *ini, size_t k, char *out, size_t cap)
{
	const char *v = ini_value(ini, k);
	size_t n = strlen(v);

	if (n == 0) {
		ini_bad(ini, k, "empty; give a value or remove the line");
		return false;
	}
	if (n >= cap) {
		ini_bad(ini, k, "longer than %zu bytes; shorten it", cap - 1);
		return false;
	}
	memcpy(out, v, n + 1);
	return true;
}

bool
ini_get_path(struct ini *ini, size_t k, char *out, size_t cap,
    const char *example)
{
	const char *v = ini_value(ini, k);

	if (v[0] != '/') {
		ini_bad(ini, k, "not an absolute path; use e.g. %s", example);
		return false;
	}
	return ini_get_string(ini, k, out, cap);
}

char *
ini_dup_path(struct ini *ini, size_t k, const char *example)
{
	const char *v = ini_value(ini, k);
	char *p;

	if (v[0] != '/') {
		ini_bad(ini, k, "not an absolute path; use e.g. %s", example);
		return NULL;
	}
	if (strlen(v) >= SK_PATH_MAX) {
		ini_bad(ini, k, "longer than %d bytes; shorten it",
		    SK_PATH_MAX - 1);
		return NULL;
	}
	if ((p = strdup(v)) == NULL)
		ini_errorf(ini, ini->items[k].line, "out of memory");
	return p;
}

void
ini_unknown_key(struct ini *ini, size_t k, const char *where,
    const char *const *accepted)
{
	char list[512];
	size_t off = 0;

	list[0] = '\0';
	for (size_t i = 0; accepted[i] != NULL && off < sizeof list; i++) {
		int n = snprintf(list + off, sizeof list - off, "%s%s",
		    i > 0 ? ", " : "", accepted[i]);

		if (n < 0)
			break;
		off += (size_t)n;
	}
	ini_bad(ini, k, "unknown key in %s; use one of: %s", where, list);
}

bool
ini_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= SK_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}
