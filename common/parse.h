/* parse.h: range-checked parsing of config and command-line values. */
#ifndef PARSE_H
#define PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sk.h"

enum parse_err {
	PARSE_OK,
	PARSE_E_EMPTY,		/* nothing where a value is needed */
	PARSE_E_SYNTAX,		/* not a number / not the expected shape */
	PARSE_E_RANGE,		/* a number outside its range */
	PARSE_E_PROTO,		/* protocol other than tcp or udp */
	PARSE_E_TOO_MANY	/* list longer than its capacity */
};

/* parse_strerror(e): what was wrong and what is accepted. */
const char *parse_strerror(enum parse_err e);

/* parse_uint(s, min, max, out): decimal only, no sign, no junk. */
enum parse_err parse_uint(const char *s, uint64_t min, uint64_t max,
    uint64_t *out);
/* parse_port(s, out): 1-65535. */
enum parse_err parse_port(const char *s, uint16_t *out);
/*
 * parse_port_proto(s, default_proto, out): "22/tcp", "53/udp", or "22"
 * meaning default_proto.  Protocol names are case-insensitive.  With a
 * default_proto other than SK_PROTO_TCP/UDP (e.g. 0) the protocol is
 * required: "22" gives PARSE_E_PROTO.
 */
enum parse_err parse_port_proto(const char *s, uint8_t default_proto,
    struct sk_port *out);
/*
 * parse_port_list(s, default_proto, out, out_cap, out_n): entries of
 * parse_port_proto separated by commas and/or blanks; at least one.
 */
enum parse_err parse_port_list(const char *s, uint8_t default_proto,
    struct sk_port *out, size_t out_cap, size_t *out_n);
/*
 * parse_list_next(cur, item, item_len): next item of a list separated by
 * commas and/or blanks (one comma at most between two items).  Sets
 * ${item}/${item_len} (a slice, not NUL-terminated) and advances ${cur}.
 * Returns PARSE_E_EMPTY at the end, PARSE_E_SYNTAX on an empty item (a
 * leading, doubled or trailing comma).
 */
enum parse_err parse_list_next(const char **cur, const char **item,
    size_t *item_len);
/*
 * parse_duration(s, min_s, max_s, out_s): "30", "30s", "5m", "2h", "1d".
 */
enum parse_err parse_duration(const char *s, uint32_t min_s, uint32_t max_s,
    uint32_t *out_s);
/* parse_bool(s, out): yes/no, true/false, on/off, 1/0, any case. */
enum parse_err parse_bool(const char *s, bool *out);
/* parse_proto_name(proto): "tcp", "udp" or "?". */
const char *parse_proto_name(uint8_t proto);
/*
 * parse_token_step_ok(steps, n): whether the last of ${n} steps can carry
 * a signed knock's token, which needs UDP (DESIGN.md); the one place that
 * rule lives.  true for n = 0: no steps at all is another error.
 */
bool parse_token_step_ok(const struct sk_port *steps, size_t n);

#endif
