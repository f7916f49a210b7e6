/* addr.c: binary IPv4/IPv6 addresses held as 16 bytes (v4 as ::ffff:a.b.c.d). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"

static const uint8_t v4_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/*
 * addr_parse(txt, out): inet_pton as IPv4 first, then IPv6.  inet_pton
 * already refuses names, brackets, scope ids, blanks and trailing junk.
 */
enum addr_err
addr_parse(const char *txt, struct sk_addr *out)
{
	uint8_t buf[16];

	if (txt == NULL)
		return ADDR_E_SYNTAX;
	if (inet_pton(AF_INET, txt, buf) == 1) {
		addr_from_v4(buf, out);
		return ADDR_OK;
	}
	if (inet_pton(AF_INET6, txt, buf) == 1) {
		addr_from_v6(buf, out);
		return ADDR_OK;
	}
	return ADDR_E_SYNTAX;
}

/* addr_from_v4(v4, out): ${out} = ::ffff:v4. */
void
addr_from_v4(const uint8_t v4[static 4], struct sk_addr *out)
{
	memcpy(out->b, v4_prefix, sizeof v4_prefix);
	memcpy(out->b + sizeof v4_prefix, v4, 4);
}

/* addr_from_v6(v6, out): ${out} = v6 as is. */
void
addr_from_v6(const uint8_t v6[static 16], struct sk_addr *out)
{
	memcpy(out->b, v6, sizeof out->b);
}

/* addr_is_v4(a): true for the v4-mapped form ::ffff:0:0/96. */
bool
addr_is_v4(const struct sk_addr *a)
{
	return memcmp(a->b, v4_prefix, sizeof v4_prefix) == 0;
}

/* addr_is_zero(a): true for ::, meaning "no address". */
bool
addr_is_zero(const struct sk_addr *a)
{
	static const uint8_t zero[16];

	return memcmp(a->b, zero, sizeof zero) == 0;
}

bool
addr_eq(const struct sk_addr *a, const struct sk_addr *b)
{
	return memcmp(a->b, b->b, sizeof a->b) == 0;
}

/*
 * addr_format(a, buf, buf_len): inet_ntop of the v4 part for mapped
 * addresses, of all 16 bytes otherwise; "?" when ${buf} is too small.
 */
const char *
addr_format(const struct sk_addr *a, char *buf, size_t buf_len)
{
	const char *r;

	if (buf == NULL || buf_len == 0)
		return buf;
	if (addr_is_v4(a))
		r = inet_ntop(AF_INET, a->b + sizeof v4_prefix, buf,
		    (socklen_t)buf_len);
	else
		r = inet_ntop(AF_INET6, a->b, buf, (socklen_t)buf_len);
	if (r == NULL) {
		if (buf_len >= 2)
			memcpy(buf, "?", 2);
		else
			buf[0] = '\0';
	}
	return buf;
}
