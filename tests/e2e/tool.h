/* tool.h: small helpers shared by the e2e and wire test tools. */
#ifndef TOOL_H
#define TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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

#endif
