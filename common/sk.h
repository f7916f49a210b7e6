/* sk.h: limits and small types shared by every part of sknock. */
#ifndef SK_H
#define SK_H

#include <stddef.h>
#include <stdint.h>

#define SK_KEY_LEN	32	/* master key and each subkey, bytes */
#define SK_MAX_STEPS	16	/* sequence steps per door */
#define SK_MAX_OPEN	16	/* open entries per door */
#define SK_MAX_DOORS	64
#define SK_MAX_CLIENTS	65535	/* [client:NAME] sections, all files */
#define SK_MAX_IFACES	16
#define SK_NAME_MAX	64	/* door/client/alias name incl. NUL */
#define SK_PATH_MAX	4096

enum { SK_PROTO_TCP = 6, SK_PROTO_UDP = 17 };

/* Receives one complete error line ("file:line: key = value: problem; fix"). */
typedef void sk_report_fn(void *ctx, const char *msg);

/* One (port, protocol) pair: a sequence step or an open entry. */
struct sk_port {
	uint16_t	port;	/* host order, 1-65535 */
	uint8_t		proto;	/* SK_PROTO_TCP or SK_PROTO_UDP */
};

#endif
