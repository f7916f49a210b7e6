/* opens.h: the doors open now, each with the time its close falls due. */
#ifndef SKD_OPENS_H
#define SKD_OPENS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "sk.h"

#define SKD_MAX_OPENS		4096	/* doors open at once */

/* An open door awaiting its close. */
struct open_ent {
	char		door[SK_NAME_MAX];
	char		client[SK_NAME_MAX];
	struct sk_addr	addr;
	uint16_t	port;
	uint8_t		proto;
	uint32_t	timeout_s;
	uint64_t	close_ms;	/* knock clock */
};

struct opens {
	struct open_ent	*v;
	size_t		n;
	size_t		cap;
	uint64_t	next_ms;	/* no close is due before this */
};

void opens_init(struct opens *o);
void opens_free(struct opens *o);
struct open_ent *opens_find(struct opens *o, const struct open_ent *key);
struct open_ent *opens_add(struct opens *o, const struct open_ent *e);
uint64_t opens_deadline(const struct opens *o);
bool opens_pop_due(struct opens *o, uint64_t now_ms, struct open_ent *out);

#endif
