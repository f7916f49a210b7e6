/* scope.c: is an address one that no NAT is likely to rewrite? */
#include "scope.h"

static bool
v4_global(const uint8_t *b)
{
	if (b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224)
		return false;	/* this network, private, loopback, mc, 240/4 */
	if (b[0] == 169 && b[1] == 254)
		return false;
	if (b[0] == 172 && (b[1] & 0xf0) == 16)
		return false;
	if (b[0] == 192 && b[1] == 168)
		return false;
	if (b[0] == 100 && (b[1] & 0xc0) == 64)
		return false;	/* 100.64/10, carrier-grade NAT */
	return true;
}

bool
scope_is_global(const struct sk_addr *a)
{
	const uint8_t *b = a->b;

	if (addr_is_v4(a))
		return v4_global(b + 12);
	if (b[0] == 0xff || (b[0] & 0xfe) == 0xfc)
		return false;	/* multicast, ULA */
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
		return false;	/* link-local */
	/* ::, ::1 and the rest of ::/8 (v4-compatible, reserved). */
	return b[0] != 0;
}
