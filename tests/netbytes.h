/*
 * netbytes.h: the Internet checksum, for the test tools that build frames
 * (frame.h, daemon/mkpcap.c, wire/sendraw.c, bench/benchgen.c,
 * fuzz/mkcorpus.c); their big-endian stores are common/bytes.h's.
 */
#ifndef NETBYTES_H
#define NETBYTES_H

#include <stddef.h>
#include <stdint.h>

#include "bytes.h"

/* csum_add(sum, p, len): add ${len} bytes as 16-bit words (odd: pad 0). */
static inline uint32_t
csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len % 2 != 0)
		sum += (uint32_t)(p[len - 1] << 8);
	return sum;
}

/* csum_fold(sum): the ones' complement of the folded sum. */
static inline uint16_t
csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* ip_csum(p, len): the checksum of an IPv4 header. */
static inline uint16_t
ip_csum(const uint8_t *p, size_t len)
{
	return csum_fold(csum_add(0, p, len));
}

#endif
