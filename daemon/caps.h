/* caps.h: this process's capability sets, read with capget(2). */
#ifndef SK_CAPS_H
#define SK_CAPS_H

#include <stdbool.h>
#include <stdint.h>

/* CAP_x as a bit of a set that caps_read returns. */
#define CAPS_BIT(cap)	((uint64_t)1 << (cap))

/*
 * caps_read(effective, permitted): the calling thread's two sets, bit n
 * for capability n; false (errno set) if capget fails.
 */
bool caps_read(uint64_t *effective, uint64_t *permitted);

#endif
