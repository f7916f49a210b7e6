/* addr.h: binary IPv4/IPv6 addresses, always held as 16 bytes. */
#ifndef ADDR_H
#define ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ADDR_TXT_LEN	46	/* INET6_ADDRSTRLEN */

/* IPv6, or IPv4 as the mapped form ::ffff:a.b.c.d; all zero = "none". */
struct sk_addr {
	uint8_t	b[16];
};

enum addr_err { ADDR_OK, ADDR_E_SYNTAX };

/*
 * addr_parse(txt, out): accept a numeric IPv4 ("192.0.2.7"), IPv6
 * ("2001:db8::1") or v4-mapped ("::ffff:192.0.2.7") address; no names,
 * no brackets, no scope ids.  ${out} is untouched on error.
 */
enum addr_err addr_parse(const char *txt, struct sk_addr *out);
void addr_from_v4(const uint8_t v4[static 4], struct sk_addr *out);
void addr_from_v6(const uint8_t v6[static 16], struct sk_addr *out);
bool addr_is_v4(const struct sk_addr *a);
bool addr_is_zero(const struct sk_addr *a);
bool addr_eq(const struct sk_addr *a, const struct sk_addr *b);
/*
 * addr_format(a, buf, buf_len): dotted quad for v4-mapped addresses,
 * RFC 5952 text otherwise.  Returns buf ("?" in it if buf_len is too small).
 */
const char *addr_format(const struct sk_addr *a, char *buf, size_t buf_len);

#endif
