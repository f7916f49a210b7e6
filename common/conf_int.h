/*
 * conf_int.h: what conf.c (door sections, the order of a parse),
 * conf_daemon.c ([daemon]) and conf_client.c (client sections,
 * clients_dir files) share.  Not for use outside them.
 */
#ifndef CONF_INT_H
#define CONF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "conf.h"
#include "ini.h"

/* The main file, kept open until conf_finish resolves door clients. */
struct conf_parse {
	struct ini	ini;
	size_t		door_sec[SK_MAX_DOORS];		/* section items */
	size_t		door_clients[SK_MAX_DOORS];	/* key item, 0 = none */
	unsigned	n_err_told;	/* of ini.n_err, returned already */
	bool		too_large;	/* not read at all: no more errors */
};

/*
 * conf_section_name(ini, sec, prefix_len, out, what): NAME of
 * [door:NAME] into ${out} (copied even when bad); false if reported.
 */
bool conf_section_name(struct ini *ini, size_t sec, size_t prefix_len,
    char *out, const char *what);

/* conf_name_is(have, name, len): ${have} is the ${len} bytes at ${name}. */
static inline bool
conf_name_is(const char *have, const char *name, size_t len)
{
	return strlen(have) == len && memcmp(have, name, len) == 0;
}

/* conf_door_find_n(c, name, len): conf_door_find of a slice. */
int conf_door_find_n(const struct conf *c, const char *name, size_t len);

/* conf_add_file(c, name): a copy of ${name} that lives as long as ${c}. */
const char *conf_add_file(struct conf *c, const char *name);

/* conf_door_add_client(d, idx): append; false when memory runs out. */
bool conf_door_add_client(struct conf_door *d, uint32_t idx);

/* conf_load_daemon(ini, sec, c): the [daemon] section (conf_daemon.c). */
void conf_load_daemon(struct ini *ini, size_t sec, struct conf *c);

/*
 * conf_load_client(ini, sec, c): one [client:NAME] section: key,
 * key_next, expires, doors (resolved now: the doors are known).
 */
void conf_load_client(struct ini *ini, size_t sec, struct conf *c);

#endif
