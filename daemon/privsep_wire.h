/*
 * privsep_wire.h: the composition root's glue across the process
 * boundary: the capture child's entry (packet half), the parent's
 * handler for its candidates (decision half), and the -r path that runs
 * both halves in one process through the same message codec.
 */
#ifndef SKD_PRIVSEP_WIRE_H
#define SKD_PRIVSEP_WIRE_H

#include <stdbool.h>
#include <stdint.h>

#include <pcap/pcap.h>

#include "pmsg.h"

struct daemon;

/* wire_start(d): set up d->ps for the configured captures, fork a child. */
void wire_start(struct daemon *d);

/* wire_file_frame(ctx, h, frame, dlt): -r, one frame through both halves. */
void wire_file_frame(void *ctx, const struct pcap_pkthdr *h,
    const uint8_t *frame, int dlt);

/* wire_counters(d): the children's packet counters into d->cnt (live). */
void wire_counters(struct daemon *d);

/* wire_reloaded(d, old_ifaces_same, child_same): replace the child when
 * what it captures or matches changed. */
void wire_reloaded(struct daemon *d, bool ifaces_same, bool child_same);

#endif
