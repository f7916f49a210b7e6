/* bpf.h: the capture filter text compiled from the configured doors. */
#ifndef BPF_H
#define BPF_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"

/*
 * bpf_filter_text(c, with_vlan, buf, buf_len): a pcap filter that passes
 * every TCP/UDP packet to any door's sequence port (IPv4 and IPv6), every
 * IPv6 packet whose first next-header is not TCP/UDP (extension headers
 * must reach the decoder), and, when ${with_vlan}, every VLAN-tagged
 * frame.  It must never drop a packet the decoder would accept.
 * Returns false if buf_len is too small.
 */
bool bpf_filter_text(const struct conf *c, bool with_vlan, char *buf,
    size_t buf_len);

#endif
