/* netbytes.h: the IPv4 header checksum, for the tools that write frames
 * (fuzz/mkcorpus.c, bench/benchgen.c); big-endian stores are bytes.h's. */
#ifndef NETBYTES_H
#define NETBYTES_H

#include <stddef.h>
#include <stdint.h>

#include "bytes.h"

/* ip_csum(p, len): the Internet checksum of an even-length header. */
static inline uint16_t
ip_csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

#endif
