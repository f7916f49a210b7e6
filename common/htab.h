/* htab.h: fixed-capacity keyed table with an age list, for hot-path state. */
#ifndef HTAB_H
#define HTAB_H

#include <stddef.h>
#include <stdint.h>

/*
 * An htab maps fixed-length keys to slots 0..cap-1, each holding a
 * fixed-length value next to its key.  Lookups are O(1): open
 * addressing with linear probing over a power-of-two index at most half
 * full, hashed with SipHash under a random per-table key, so spoofed
 * sources cannot force collisions.  Slots sit on an age list (oldest
 * first): insertion and htab_touch() make a slot the newest, and a full
 * table evicts the oldest.  All memory is allocated (zeroed, and so
 * untouched until used) by htab_new(); nothing is allocated afterwards.
 */

#define HTAB_NONE	UINT32_MAX
#define HTAB_KEY_MAX	32
#define HTAB_VAL_MAX	64
#define HTAB_CAP_MAX	((size_t)1 << 28)

struct htab;

/*
 * htab_new(cap, key_len, val_len): 1 <= cap <= HTAB_CAP_MAX,
 * 1 <= key_len <= HTAB_KEY_MAX, val_len <= HTAB_VAL_MAX; NULL otherwise
 * or out of memory.  Values are 8-byte aligned.
 */
struct htab *htab_new(size_t cap, size_t key_len, size_t val_len);
void htab_free(struct htab *h);
/*
 * htab_owner_new(size, cap, key_len, val_len): for a module that keeps
 * its table behind its own struct: a zeroed ${size}-byte struct whose
 * first member, a struct htab *, holds htab_new(cap, key_len, val_len);
 * NULL when that fails or out of memory.  htab_owner_free(owner) frees
 * both; NULL is a no-op.
 */
void *htab_owner_new(size_t size, size_t cap, size_t key_len,
    size_t val_len);
void htab_owner_free(void *owner);

/*
 * htab_find(h, key, hv): slot holding ${key}, or HTAB_NONE; ${*hv} gets
 * the key's hash for a following htab_insert (hashing is the main cost).
 */
uint32_t htab_find(const struct htab *h, const void *key, uint32_t *hv);
/*
 * htab_insert(h, key, hv, evicted): add ${key}, which htab_find just
 * reported absent with hash ${hv}, as the newest slot.  When full, the
 * oldest slot is removed first and its number stored in ${evicted}
 * (else HTAB_NONE); it is also the slot returned.
 */
uint32_t htab_insert(struct htab *h, const void *key, uint32_t hv,
    uint32_t *evicted);
void htab_remove(struct htab *h, uint32_t slot);
/* htab_touch(h, slot): make ${slot} the newest. */
void htab_touch(struct htab *h, uint32_t slot);
/* htab_oldest(h), htab_next(h, slot): walk live slots oldest first. */
uint32_t htab_oldest(const struct htab *h);
uint32_t htab_next(const struct htab *h, uint32_t slot);
const void *htab_key(const struct htab *h, uint32_t slot);
/* htab_val(h, slot): the slot's value; set it after htab_insert. */
void *htab_val(const struct htab *h, uint32_t slot);
size_t htab_count(const struct htab *h);
size_t htab_cap(const struct htab *h);
void htab_clear(struct htab *h);

#endif
