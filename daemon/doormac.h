/* doormac.h: each signed door's client keys, prepared to check MACs. */
#ifndef SKD_DOORMAC_H
#define SKD_DOORMAC_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"
#include "key.h"

struct doormac;

/*
 * doormac_new(c, keys, keys_next): for each signed door of ${c}, one
 * prepared MAC key (tok_mac_prepare) per key of its clients, in the
 * door's client order, key before key_next: the order DESIGN.md's step
 * 2 tries them in.  ${keys} and ${keys_next} are by client index (NULL
 * = none) and must outlive the table.  The prepared states are as
 * secret as the keys: one sodium_malloc block, wiped when freed.  NULL
 * when out of memory.
 */
struct doormac *doormac_new(const struct conf *c, struct sk_key *const *keys,
    struct sk_key *const *keys_next);
/* doormac_free(m): wipe and free; NULL is a no-op. */
void doormac_free(struct doormac *m);
/*
 * doormac_keys(m, door): how many keys a token to ${door} is tried with
 * (0 for a NULL ${m}: keys dropped, and doormac_find then finds none).
 */
size_t doormac_keys(const struct doormac *m, size_t door);
/*
 * doormac_find(m, door, pkt, pkt_len, key): the client index of the
 * first key of ${door} whose MAC verifies on ${pkt}, ${*key} the key
 * that did; -1 if none does.  Each try is constant time.
 */
int doormac_find(const struct doormac *m, size_t door, const uint8_t *pkt,
    size_t pkt_len, const struct sk_key **key);

#endif
