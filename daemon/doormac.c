/* doormac.c: each signed door's client keys, prepared to check MACs. */
#include <stdbool.h>
#include <stdlib.h>

#include <sodium.h>

#include "doormac.h"
#include "token.h"

/* Who a prepared key belongs to: not secret, so plain memory. */
struct who {
	uint32_t		client;
	const struct sk_key	*key;
};

struct doormac {
	struct tok_mac_key	*st;	/* sodium_allocarray, n slots */
	struct who		*who;	/* calloc, n slots */
	size_t			n;
	size_t			first[SK_MAX_DOORS + 1];	/* door i: */
	/* slots first[i] .. first[i + 1] - 1 */
};

/* Keys of the signed door ${door}: 1 or 2 a client. */
static size_t
door_keys(const struct conf_door *door, struct sk_key *const *keys,
    struct sk_key *const *keys_next)
{
	size_t n = 0;

	if (!door->is_signed)
		return 0;
	for (size_t i = 0; i < door->n_clients; i++)
		n += (keys[door->clients[i]] != NULL) +
		    (keys_next[door->clients[i]] != NULL);
	return n;
}

/* Fill door ${d}'s slots from first[d]; false if a name is unusable. */
static bool
fill_door(struct doormac *m, const struct conf_door *door, size_t d,
    struct sk_key *const *keys, struct sk_key *const *keys_next)
{
	size_t s = m->first[d];

	for (size_t i = 0; i < door->n_clients && door->is_signed; i++) {
		uint32_t cl = door->clients[i];
		const struct sk_key *ks[2] = { keys[cl], keys_next[cl] };

		for (int j = 0; j < 2; j++) {
			if (ks[j] == NULL)
				continue;
			if (tok_mac_prepare(&m->st[s], ks[j], door->name)
			    != TOK_OK)
				return false;
			m->who[s].client = cl;
			m->who[s].key = ks[j];
			s++;
		}
	}
	return true;
}

struct doormac *
doormac_new(const struct conf *c, struct sk_key *const *keys,
    struct sk_key *const *keys_next)
{
	struct doormac *m = calloc(1, sizeof *m);

	if (m == NULL || c->n_doors > SK_MAX_DOORS)
		goto fail;
	for (size_t d = 0; d < c->n_doors; d++)
		m->first[d + 1] = m->first[d] + door_keys(&c->doors[d], keys,
		    keys_next);
	m->n = m->first[c->n_doors];
	for (size_t d = c->n_doors; d < SK_MAX_DOORS; d++)
		m->first[d + 1] = m->n;
	/* One block for every door: thousands of keys, one mapping. */
	m->st = sodium_allocarray(m->n + 1, sizeof *m->st);
	m->who = calloc(m->n + 1, sizeof *m->who);
	if (m->st == NULL || m->who == NULL)
		goto fail;
	for (size_t d = 0; d < c->n_doors; d++)
		if (!fill_door(m, &c->doors[d], d, keys, keys_next))
			goto fail;
	return m;
fail:
	doormac_free(m);
	return NULL;
}

void
doormac_free(struct doormac *m)
{
	if (m == NULL)
		return;
	/* sodium_free wipes the block before it unmaps it. */
	if (m->st != NULL)
		sodium_free(m->st);
	free(m->who);
	free(m);
}

size_t
doormac_keys(const struct doormac *m, size_t door)
{
	/* NULL: keys dropped (the capture child), so nothing to try. */
	if (m == NULL || door >= SK_MAX_DOORS)
		return 0;
	return m->first[door + 1] - m->first[door];
}

int
doormac_find(const struct doormac *m, size_t door, const uint8_t *pkt,
    size_t pkt_len, const struct sk_key **key)
{
	if (m == NULL || door >= SK_MAX_DOORS)
		return -1;
	for (size_t s = m->first[door]; s < m->first[door + 1]; s++) {
		if (tok_check_mac_prepared(pkt, pkt_len, &m->st[s]) == TOK_OK) {
			*key = m->who[s].key;
			return (int)m->who[s].client;
		}
	}
	return -1;
}
