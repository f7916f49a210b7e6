/* srccheck.h: sources no real client can have (forged or bogus ones). */
#ifndef SKD_SRCCHECK_H
#define SKD_SRCCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

/* This host's addresses, for spotting forged sources. */
struct localaddrs {
	struct sk_addr	*v;
	size_t		n;
	size_t		cap;
	uint64_t	fetched_ms;
	bool		fetched;
	int		nl_fd;		/* address change events, or -1 */
};

bool src_bogus(const struct sk_addr *a);
bool src_forged(struct localaddrs *l, bool live, const struct sk_addr *src,
    const struct sk_addr *dst);
void local_watch(struct localaddrs *l);
void local_changed(struct localaddrs *l);
void local_free(struct localaddrs *l);

#endif
