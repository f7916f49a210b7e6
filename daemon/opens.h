/* opens.h: the doors open now, each with the time its close falls due. */
#ifndef SKD_OPENS_H
#define SKD_OPENS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "sk.h"
#include "timing.h"

#define SKD_OPENS_PER_DOOR	4096	/* open at once, per door */
#define SKD_OPENS_NAMES		(2 * SK_MAX_DOORS)	/* incl. reloaded away */
#define SKD_OPENS_TOTAL		(SK_MAX_DOORS * SKD_OPENS_PER_DOOR)

/* An open door awaiting its close. */
struct open_ent {
	char		door[SK_NAME_MAX];
	char		client[SK_NAME_MAX];
	struct sk_addr	addr;
	uint16_t	port;
	uint8_t		proto;
	uint32_t	timeout_s;
	uint64_t	close_ms;	/* knock clock */
	struct open_timing tm;		/* where the open's time went (-v) */
};

struct oslot;
struct htab;

/*
 * The doors open now: a hash index on (door, address, port, protocol)
 * and a heap of closes, both allocated at their full size on the first
 * open (calloc'd, so memory is touched only as doors open).
 */
struct opens {
	struct htab	*idx;		/* key -> slot */
	struct oslot	*slots;		/* by htab slot */
	uint32_t	*heap;		/* slots, earliest close first */
	size_t		n;		/* open now */
	uint32_t	per_door[SKD_OPENS_NAMES];	/* open now, by name id */
	char		names[SKD_OPENS_NAMES][SK_NAME_MAX];
};

enum opens_res {
	OPENS_NEW,	/* newly open: run the open hook */
	OPENS_REFRESH,	/* was open: close moved, run the open hook again */
	OPENS_QUIET,	/* was open: close moved, hook ran < 1 s ago */
	OPENS_FULL,	/* this door has SKD_OPENS_PER_DOOR open */
	OPENS_NOMEM
};

void opens_init(struct opens *o);
void opens_free(struct opens *o);
enum opens_res opens_add(struct opens *o, const struct open_ent *e,
    uint64_t now_ms);
uint64_t opens_deadline(const struct opens *o);
bool opens_pop_due(struct opens *o, uint64_t now_ms, struct open_ent *out);

#endif
