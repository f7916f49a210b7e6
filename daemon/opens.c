/* opens.c: the doors open now, each with the time its close falls due. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "htab.h"
#include "opens.h"

/* Key: door name id (1), address (16), port (2, big-endian), proto (1). */
#define OKEY_LEN	20

/* One open door; indexed by its htab slot. */
struct oslot {
	struct open_ent	e;
	uint64_t	hook_ms;	/* when its open hook last ran */
	uint32_t	heap_pos;	/* where it is in the close heap */
	uint8_t		name;		/* index into o->names */
};

void
opens_init(struct opens *o)
{
	memset(o, 0, sizeof *o);
}

void
opens_free(struct opens *o)
{
	htab_free(o->idx);
	free(o->slots);
	free(o->heap);
	memset(o, 0, sizeof *o);
}

/* Tables of the full size; calloc'd, so only what is used is touched. */
static bool
alloc_tables(struct opens *o)
{
	if (o->idx != NULL)
		return true;
	o->idx = htab_new(SKD_OPENS_TOTAL, OKEY_LEN, 0);
	o->slots = calloc(SKD_OPENS_TOTAL, sizeof *o->slots);
	o->heap = calloc(SKD_OPENS_TOTAL, sizeof *o->heap);
	if (o->idx == NULL || o->slots == NULL || o->heap == NULL) {
		opens_free(o);
		return false;
	}
	return true;
}

/*
 * The id of door ${name}, a new one if it has no doors open (names
 * outlive a reload that drops the door, as long as it has doors open);
 * -1 if every id is in use.
 */
static int
name_id(struct opens *o, const char *name)
{
	int free_id = -1;

	for (int i = 0; i < SKD_OPENS_NAMES; i++) {
		if (o->per_door[i] == 0) {
			if (free_id < 0)
				free_id = i;
			continue;
		}
		if (strcmp(o->names[i], name) == 0)
			return i;
	}
	if (free_id < 0)
		return -1;
	snprintf(o->names[free_id], sizeof o->names[free_id], "%s", name);
	return free_id;
}

static void
make_key(uint8_t key[static OKEY_LEN], int id, const struct open_ent *e)
{
	key[0] = (uint8_t)id;
	memcpy(key + 1, e->addr.b, sizeof e->addr.b);
	key[17] = (uint8_t)(e->port >> 8);
	key[18] = (uint8_t)e->port;
	key[19] = e->proto;
}

static uint64_t
close_at(const struct opens *o, size_t pos)
{
	return o->slots[o->heap[pos]].e.close_ms;
}

static void
heap_set(struct opens *o, size_t pos, uint32_t slot)
{
	o->heap[pos] = slot;
	o->slots[slot].heap_pos = (uint32_t)pos;
}

/* Restore the heap order around ${pos}, whichever way it is broken. */
static void
heap_fix(struct opens *o, size_t pos)
{
	uint32_t slot = o->heap[pos];
	uint64_t t = o->slots[slot].e.close_ms;

	while (pos > 0 && close_at(o, (pos - 1) / 2) > t) {
		heap_set(o, pos, o->heap[(pos - 1) / 2]);
		pos = (pos - 1) / 2;
	}
	for (;;) {
		size_t c = 2 * pos + 1;

		if (c >= o->n)
			break;
		if (c + 1 < o->n && close_at(o, c + 1) < close_at(o, c))
			c++;
		if (close_at(o, c) >= t)
			break;
		heap_set(o, pos, o->heap[c]);
		pos = c;
	}
	heap_set(o, pos, slot);
}

/* A door open again: its close moves; its hook runs at most once a second. */
static enum opens_res
refresh(struct opens *o, uint32_t s, const struct open_ent *e,
    uint64_t now_ms)
{
	struct oslot *os = &o->slots[s];

	os->e = *e;
	heap_fix(o, os->heap_pos);
	if (now_ms >= os->hook_ms && now_ms - os->hook_ms < 1000)
		return OPENS_QUIET;
	os->hook_ms = now_ms;
	return OPENS_REFRESH;
}

/*
 * opens_add(o, e, now_ms): remember ${e}, or refresh the entry already
 * there for the same door, address, port and protocol (its close moves
 * to e->close_ms).  OPENS_NEW and OPENS_REFRESH mean the open hook is to
 * run; OPENS_QUIET is a refresh within a second of the last hook run.
 * OPENS_FULL when this door already has SKD_OPENS_PER_DOOR open (each
 * door has its own share, so an unsigned door that anyone can fill
 * cannot starve a signed one), OPENS_NOMEM if memory runs out.
 */
enum opens_res
opens_add(struct opens *o, const struct open_ent *e, uint64_t now_ms)
{
	uint8_t key[OKEY_LEN];
	uint32_t s, hv, evicted;
	int id;

	if (!alloc_tables(o))
		return OPENS_NOMEM;
	id = name_id(o, e->door);
	if (id < 0)
		return OPENS_FULL;
	make_key(key, id, e);
	s = htab_find(o->idx, key, &hv);
	if (s != HTAB_NONE)
		return refresh(o, s, e, now_ms);
	if (o->per_door[id] >= SKD_OPENS_PER_DOOR || o->n >= SKD_OPENS_TOTAL)
		return OPENS_FULL;
	s = htab_insert(o->idx, key, hv, &evicted);
	o->slots[s] = (struct oslot){ .e = *e, .hook_ms = now_ms,
	    .name = (uint8_t)id };
	o->per_door[id]++;
	heap_set(o, o->n++, s);
	heap_fix(o, o->n - 1);
	return OPENS_NEW;
}

/* opens_deadline(o): the earliest close (SKD_NO_DEADLINE if none). */
uint64_t
opens_deadline(const struct opens *o)
{
	return o->n == 0 ? SKD_NO_DEADLINE : close_at(o, 0);
}

/*
 * opens_pop_due(o, now_ms, out): remove the earliest entry whose close
 * is due at ${now_ms} into ${out}; false if none is due.  O(1) when
 * nothing is due, so -r can call it per packet; O(log n) otherwise.
 */
bool
opens_pop_due(struct opens *o, uint64_t now_ms, struct open_ent *out)
{
	uint32_t s;

	if (o->n == 0 || close_at(o, 0) > now_ms)
		return false;
	s = o->heap[0];
	*out = o->slots[s].e;
	o->per_door[o->slots[s].name]--;
	if (--o->n > 0) {
		heap_set(o, 0, o->heap[o->n]);
		heap_fix(o, 0);
	}
	htab_remove(o->idx, s);
	return true;
}
