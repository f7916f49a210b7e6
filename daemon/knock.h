/* knock.h: one packet through sequence matching and token verification. */
#ifndef SKD_KNOCK_H
#define SKD_KNOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "counters.h"
#include "opens.h"

struct daemon;

void knock_packet(struct daemon *d, const uint8_t *frame, size_t caplen,
    int dlt);
void knock_fire_closes(struct daemon *d);
void knock_decision(struct daemon *d, bool open,
    const struct open_ent *e);
const char *knock_rej_name(enum skd_rej r);

#endif
