/* tool.h: small helpers shared by the e2e and wire test tools. */
#ifndef TOOL_H
#define TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

/* tool_now_ms(): CLOCK_MONOTONIC in milliseconds. */
int64_t tool_now_ms(void);
/* tool_num(s, min, max, what): decimal in [min, max], else exit 2. */
long long tool_num(const char *s, long long min, long long max,
    const char *what);
/* tool_touch(path): create an empty file; 0 or -1 (message printed). */
int tool_touch(const char *path);
/* tool_sleep_ms(ms): nanosleep, restarted on EINTR. */
void tool_sleep_ms(long ms);
/*
 * tool_sockaddr(host, port, ss, len): numeric IPv4/IPv6 literal to a
 * sockaddr; false on a bad literal.
 */
bool tool_sockaddr(const char *host, uint16_t port,
    struct sockaddr_storage *ss, socklen_t *len);
/* tool_read_file(path, buf, cap, len): whole file; false on error/overflow. */
bool tool_read_file(const char *path, uint8_t *buf, size_t cap, size_t *len);

/* An AF_PACKET socket that sends whole Ethernet frames out of one interface. */
struct tool_pkt_out {
	int		fd;
	struct sockaddr_ll sll;
	uint8_t		mac[6];		/* the interface's own */
};

/* tool_pkt_open(iface, o): false (errno set) when it cannot. */
bool tool_pkt_open(const char *iface, struct tool_pkt_out *o);
/*
 * tool_pkt_send(o, frame, len): send ${frame} as is (its first 6 bytes
 * are the destination MAC); frames under 60 bytes get zero padding.
 */
bool tool_pkt_send(struct tool_pkt_out *o, const uint8_t *frame, size_t len);

#endif
