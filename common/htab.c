/* htab.c: fixed-capacity keyed index with an age list (see htab.h). */
#include "htab.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* One index position: the key's hash (low bits) and its slot. */
struct hpos {
	uint32_t	hash;
	uint32_t	slot;	/* HTAB_NONE = empty */
};

/* Per slot: age list links (free list through next) and index position. */
struct hnode {
	uint32_t	prev;
	uint32_t	next;
	uint32_t	pos;
};

struct htab {
	size_t		cap;
	size_t		key_len;
	size_t		count;
	uint32_t	mask;		/* index size - 1 */
	uint32_t	head;		/* oldest */
	uint32_t	tail;		/* newest */
	uint32_t	free_head;
	struct hpos	*index;
	struct hnode	*nodes;
	uint8_t		*keys;
	uint8_t		seed[crypto_shorthash_KEYBYTES];
};

static uint32_t
hash_key(const struct htab *h, const void *key)
{
	uint8_t out[crypto_shorthash_BYTES];
	uint32_t v;

	crypto_shorthash(out, key, h->key_len, h->seed);
	memcpy(&v, out, sizeof v);
	return v;
}

static void
reset_lists(struct htab *h)
{
	uint32_t i;

	for (i = 0; i <= h->mask; i++)
		h->index[i].slot = HTAB_NONE;
	for (i = 0; i < h->cap; i++) {
		h->nodes[i].prev = HTAB_NONE;
		h->nodes[i].next = i + 1 < h->cap ? i + 1 : HTAB_NONE;
		h->nodes[i].pos = HTAB_NONE;
	}
	h->free_head = 0;
	h->head = h->tail = HTAB_NONE;
	h->count = 0;
}

struct htab *
htab_new(size_t cap, size_t key_len)
{
	struct htab *h;
	size_t n = 2;

	if (cap == 0 || cap > HTAB_CAP_MAX || key_len == 0 ||
	    key_len > HTAB_KEY_MAX || sodium_init() < 0)
		return NULL;
	while (n < cap * 2)
		n *= 2;
	if ((h = calloc(1, sizeof *h)) == NULL)
		return NULL;
	h->cap = cap;
	h->key_len = key_len;
	h->mask = (uint32_t)(n - 1);
	h->index = calloc(n, sizeof *h->index);
	h->nodes = calloc(cap, sizeof *h->nodes);
	h->keys = calloc(cap, key_len);
	if (h->index == NULL || h->nodes == NULL || h->keys == NULL) {
		htab_free(h);
		return NULL;
	}
	randombytes_buf(h->seed, sizeof h->seed);
	reset_lists(h);
	return h;
}

void
htab_free(struct htab *h)
{
	if (h == NULL)
		return;
	free(h->index);
	free(h->nodes);
	free(h->keys);
	free(h);
}

const void *
htab_key(const struct htab *h, uint32_t slot)
{
	return h->keys + (size_t)slot * h->key_len;
}

uint32_t
htab_find(const struct htab *h, const void *key)
{
	uint32_t hv = hash_key(h, key);
	uint32_t i = hv & h->mask;

	/* At most half full, so an empty position ends every probe. */
	for (;;) {
		const struct hpos *p = &h->index[i];

		if (p->slot == HTAB_NONE)
			return HTAB_NONE;
		if (p->hash == hv &&
		    memcmp(htab_key(h, p->slot), key, h->key_len) == 0)
			return p->slot;
		i = (i + 1) & h->mask;
	}
}

static void
list_unlink(struct htab *h, uint32_t slot)
{
	struct hnode *n = &h->nodes[slot];

	if (n->prev != HTAB_NONE)
		h->nodes[n->prev].next = n->next;
	else
		h->head = n->next;
	if (n->next != HTAB_NONE)
		h->nodes[n->next].prev = n->prev;
	else
		h->tail = n->prev;
	n->prev = n->next = HTAB_NONE;
}

static void
list_append(struct htab *h, uint32_t slot)
{
	struct hnode *n = &h->nodes[slot];

	n->prev = h->tail;
	n->next = HTAB_NONE;
	if (h->tail != HTAB_NONE)
		h->nodes[h->tail].next = slot;
	else
		h->head = slot;
	h->tail = slot;
}

/* True if home position k lies cyclically in (i, j]: the entry at j stays. */
static int
stays(uint32_t k, uint32_t i, uint32_t j)
{
	if (i <= j)
		return i < k && k <= j;
	return i < k || k <= j;
}

/* Empty index position i by shifting later entries of its run back. */
static void
index_delete(struct htab *h, uint32_t i)
{
	uint32_t j = i;

	for (;;) {
		j = (j + 1) & h->mask;
		if (h->index[j].slot == HTAB_NONE)
			break;
		if (stays(h->index[j].hash & h->mask, i, j))
			continue;
		h->index[i] = h->index[j];
		h->nodes[h->index[i].slot].pos = i;
		i = j;
	}
	h->index[i].slot = HTAB_NONE;
}

void
htab_remove(struct htab *h, uint32_t slot)
{
	list_unlink(h, slot);
	index_delete(h, h->nodes[slot].pos);
	h->nodes[slot].pos = HTAB_NONE;
	h->nodes[slot].next = h->free_head;
	h->free_head = slot;
	h->count--;
}

uint32_t
htab_insert(struct htab *h, const void *key, uint32_t *evicted)
{
	uint32_t hv, i, slot;

	*evicted = HTAB_NONE;
	if (h->count == h->cap) {
		*evicted = h->head;
		htab_remove(h, h->head);
	}
	slot = h->free_head;
	h->free_head = h->nodes[slot].next;
	memcpy(h->keys + (size_t)slot * h->key_len, key, h->key_len);
	hv = hash_key(h, key);
	for (i = hv & h->mask; h->index[i].slot != HTAB_NONE;
	    i = (i + 1) & h->mask)
		;
	h->index[i].hash = hv;
	h->index[i].slot = slot;
	h->nodes[slot].pos = i;
	list_append(h, slot);
	h->count++;
	return slot;
}

void
htab_touch(struct htab *h, uint32_t slot)
{
	if (h->tail == slot)
		return;
	list_unlink(h, slot);
	list_append(h, slot);
}

uint32_t
htab_oldest(const struct htab *h)
{
	return h->head;
}

uint32_t
htab_next(const struct htab *h, uint32_t slot)
{
	return h->nodes[slot].next;
}

size_t
htab_count(const struct htab *h)
{
	return h->count;
}

size_t
htab_cap(const struct htab *h)
{
	return h->cap;
}

void
htab_clear(struct htab *h)
{
	reset_lists(h);
}
