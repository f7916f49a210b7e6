/* opens.c: the doors open now, each with the time its close falls due. */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "opens.h"

void
opens_init(struct opens *o)
{
	memset(o, 0, sizeof *o);
	o->next_ms = SKD_NO_DEADLINE;
}

void
opens_free(struct opens *o)
{
	free(o->v);
	memset(o, 0, sizeof *o);
}

/* opens_find(o, key): the entry for the same door, address, port, proto. */
struct open_ent *
opens_find(struct opens *o, const struct open_ent *key)
{
	for (size_t i = 0; i < o->n; i++) {
		struct open_ent *e = &o->v[i];

		if (e->port == key->port && e->proto == key->proto &&
		    addr_eq(&e->addr, &key->addr) &&
		    strcmp(e->door, key->door) == 0)
			return e;
	}
	return NULL;
}

/*
 * opens_add(o, e): remember ${e}, or refresh the entry already there for
 * the same door/address/port (its close moves to e->close_ms).  Returns
 * NULL when SKD_MAX_OPENS doors are open or memory runs out.
 */
struct open_ent *
opens_add(struct opens *o, const struct open_ent *e)
{
	struct open_ent *old = opens_find(o, e);

	if (e->close_ms < o->next_ms)
		o->next_ms = e->close_ms;
	if (old != NULL) {
		*old = *e;
		return old;
	}
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 16;
		struct open_ent *v;

		if (o->n >= SKD_MAX_OPENS)
			return NULL;
		if (cap > SKD_MAX_OPENS)
			cap = SKD_MAX_OPENS;
		v = realloc(o->v, cap * sizeof *v);
		if (v == NULL)
			return NULL;
		o->v = v;
		o->cap = cap;
	}
	o->v[o->n] = *e;
	return &o->v[o->n++];
}

/*
 * opens_deadline(o): no close falls due before this (SKD_NO_DEADLINE if
 * none is open).  O(1): a cached bound that opens_pop_due makes exact.
 */
uint64_t
opens_deadline(const struct opens *o)
{
	return o->next_ms;
}

/*
 * opens_pop_due(o, now_ms, out): remove the earliest entry whose close
 * is due at ${now_ms} into ${out}; false if none is due.  Before the
 * cached deadline it costs one comparison, so -r can call it per packet.
 */
bool
opens_pop_due(struct opens *o, uint64_t now_ms, struct open_ent *out)
{
	size_t best = o->n;

	if (now_ms < o->next_ms)
		return false;
	for (size_t i = 0; i < o->n; i++)
		if (best == o->n || o->v[i].close_ms < o->v[best].close_ms)
			best = i;
	if (best == o->n || o->v[best].close_ms > now_ms) {
		o->next_ms = best == o->n ? SKD_NO_DEADLINE :
		    o->v[best].close_ms;
		return false;
	}
	*out = o->v[best];
	o->v[best] = o->v[--o->n];
	o->next_ms = 0;		/* rescan on the next call */
	return true;
}
