/* bpf.h: the capture filter text compiled from the configured doors. */
#ifndef SK_BPF_H
#define SK_BPF_H	/* not BPF_H: <pcap/bpf.h> defines that opcode */

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"

/*
 * bpf_filter_text(c, with_vlan, buf, buf_len): a pcap filter that passes
 * every TCP/UDP packet to any door's sequence port (IPv4 and IPv6), every
 * IPv6 packet whose first next-header is not TCP/UDP (extension headers
 * must reach the decoder), and, when ${with_vlan}, every VLAN-tagged
 * frame.  It must never drop a packet the decoder would accept.
 * Steps become "tcp dst port N" / "udp dst port N" (each pair once), so
 * the other protocol to a step's port, which is no step, stays in the
 * kernel.  "vlan" compiles only for link types with VLAN support (pass
 * with_vlan only for Ethernet) and comes last, since libpcap shifts the
 * offsets of every term after it.  Returns false if buf_len is too small.
 */
bool bpf_filter_text(const struct conf *c, bool with_vlan, char *buf,
    size_t buf_len);

#endif
