/* htab.c: fixed-capacity keyed table with an age list (see htab.h). */
#include "htab.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* Head of each record: age list links (free list through next), hash. */
struct hnode {
	uint32_t	prev;
	uint32_t	next;
	uint32_t	hash;
};

#define REC_ALIGN	8
#define ROUND_UP(n)	(((n) + REC_ALIGN - 1) / REC_ALIGN * REC_ALIGN)

/*
 * Records are [hnode | key | value], one per slot, so a lookup and an
 * update touch one or two cache lines.  An index position is 32 bits:
 * slot + 1 in the low ${slot_bits} (0 = empty, so calloc'd pages stay
 * untouched) and the top bits of the hash above them, which spare most
 * record reads on a probe.  Slots are handed out from ${fresh} (never
 * used) or the free list, so memory is only touched as the table fills.
 */
struct htab {
	size_t		cap;
	size_t		key_len;
	size_t		val_off;
	size_t		stride;
	size_t		count;
	uint32_t	mask;		/* index size - 1 */
	uint32_t	slot_bits;
	uint32_t	slot_mask;
	uint32_t	head;		/* oldest */
	uint32_t	tail;		/* newest */
	uint32_t	free_head;
	uint32_t	fresh;		/* slots below this have been used */
	uint32_t	*index;
	uint8_t		*recs;
	uint8_t		seed[crypto_shorthash_KEYBYTES];
};

static struct hnode *
node(const struct htab *h, uint32_t slot)
{
	return (struct hnode *)(void *)(h->recs + (size_t)slot * h->stride);
}

const void *
htab_key(const struct htab *h, uint32_t slot)
{
	return h->recs + (size_t)slot * h->stride + sizeof(struct hnode);
}

void *
htab_val(const struct htab *h, uint32_t slot)
{
	return h->recs + (size_t)slot * h->stride + h->val_off;
}

static uint32_t
hash_key(const struct htab *h, const void *key)
{
	uint8_t out[crypto_shorthash_BYTES];
	uint32_t v;

	crypto_shorthash(out, key, h->key_len, h->seed);
	memcpy(&v, out, sizeof v);
	return v;
}

struct htab *
htab_new(size_t cap, size_t key_len, size_t val_len)
{
	struct htab *h;
	size_t n = 2;
	uint32_t bits = 1;

	if (cap == 0 || cap > HTAB_CAP_MAX || key_len == 0 ||
	    key_len > HTAB_KEY_MAX || val_len > HTAB_VAL_MAX ||
	    sodium_init() < 0)
		return NULL;
	while (n < cap * 2)
		n *= 2;
	while (((size_t)1 << bits) <= cap)	/* room for slot + 1 */
		bits++;
	if ((h = calloc(1, sizeof *h)) == NULL)
		return NULL;
	h->cap = cap;
	h->key_len = key_len;
	h->val_off = ROUND_UP(sizeof(struct hnode) + key_len);
	h->stride = ROUND_UP(h->val_off + val_len);
	h->mask = (uint32_t)(n - 1);
	h->slot_bits = bits;
	h->slot_mask = (uint32_t)(((uint64_t)1 << bits) - 1);
	h->index = calloc(n, sizeof *h->index);
	h->recs = calloc(cap, h->stride);
	if (h->index == NULL || h->recs == NULL) {
		htab_free(h);
		return NULL;
	}
	randombytes_buf(h->seed, sizeof h->seed);
	h->free_head = h->head = h->tail = HTAB_NONE;
	return h;
}

void
htab_free(struct htab *h)
{
	if (h == NULL)
		return;
	free(h->index);
	free(h->recs);
	free(h);
}

void *
htab_owner_new(size_t size, size_t cap, size_t key_len, size_t val_len)
{
	struct htab **owner;

	/* A struct's first member sits at its address (C17 6.7.2.1). */
	if (size < sizeof *owner || (owner = calloc(1, size)) == NULL)
		return NULL;
	if ((*owner = htab_new(cap, key_len, val_len)) == NULL) {
		free(owner);
		return NULL;
	}
	return owner;
}

void
htab_owner_free(void *owner)
{
	if (owner == NULL)
		return;
	htab_free(*(struct htab **)owner);
	free(owner);
}

static uint32_t
tag_of(const struct htab *h, uint32_t hv)
{
	return hv >> h->slot_bits << h->slot_bits;
}

uint32_t
htab_find(const struct htab *h, const void *key, uint32_t *hv_out)
{
	uint32_t hv = hash_key(h, key);
	uint32_t tag = tag_of(h, hv);
	uint32_t i, e;

	*hv_out = hv;
	/* At most half full, so an empty position ends every probe. */
	for (i = hv & h->mask; (e = h->index[i]) != 0; i = (i + 1) & h->mask) {
		if ((e & ~h->slot_mask) == tag &&
		    memcmp(htab_key(h, (e & h->slot_mask) - 1), key,
		    h->key_len) == 0)
			return (e & h->slot_mask) - 1;
	}
	return HTAB_NONE;
}

static void
list_unlink(struct htab *h, uint32_t slot)
{
	struct hnode *n = node(h, slot);

	if (n->prev != HTAB_NONE)
		node(h, n->prev)->next = n->next;
	else
		h->head = n->next;
	if (n->next != HTAB_NONE)
		node(h, n->next)->prev = n->prev;
	else
		h->tail = n->prev;
	n->prev = n->next = HTAB_NONE;
}

static void
list_append(struct htab *h, uint32_t slot)
{
	struct hnode *n = node(h, slot);

	n->prev = h->tail;
	n->next = HTAB_NONE;
	if (h->tail != HTAB_NONE)
		node(h, h->tail)->next = slot;
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

/* Empty the index position of ${slot}, shifting later entries back. */
static void
index_delete(struct htab *h, uint32_t slot)
{
	uint32_t i, j, e;

	for (i = node(h, slot)->hash & h->mask;
	    (h->index[i] & h->slot_mask) != slot + 1; i = (i + 1) & h->mask)
		;
	for (j = i;;) {
		j = (j + 1) & h->mask;
		if ((e = h->index[j]) == 0)
			break;
		if (stays(node(h, (e & h->slot_mask) - 1)->hash & h->mask, i,
		    j))
			continue;
		h->index[i] = e;
		i = j;
	}
	h->index[i] = 0;
}

void
htab_remove(struct htab *h, uint32_t slot)
{
	list_unlink(h, slot);
	index_delete(h, slot);
	node(h, slot)->next = h->free_head;
	h->free_head = slot;
	h->count--;
}

uint32_t
htab_insert(struct htab *h, const void *key, uint32_t hv, uint32_t *evicted)
{
	uint32_t i, slot;

	*evicted = HTAB_NONE;
	if (h->count == h->cap) {
		*evicted = h->head;
		htab_remove(h, h->head);
	}
	if (h->free_head != HTAB_NONE) {
		slot = h->free_head;
		h->free_head = node(h, slot)->next;
	} else {
		slot = h->fresh++;
	}
	memcpy(h->recs + (size_t)slot * h->stride + sizeof(struct hnode), key,
	    h->key_len);
	for (i = hv & h->mask; h->index[i] != 0; i = (i + 1) & h->mask)
		;
	h->index[i] = tag_of(h, hv) | (slot + 1);
	node(h, slot)->hash = hv;
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
	return node(h, slot)->next;
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
	if (h->count > 0)
		memset(h->index, 0, ((size_t)h->mask + 1) * sizeof *h->index);
	h->free_head = h->head = h->tail = HTAB_NONE;
	h->fresh = 0;
	h->count = 0;
}
