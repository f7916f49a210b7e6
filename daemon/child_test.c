/*
 * child_test.c: only in a test build (-Dsandbox_test=true).  A UDP
 * datagram whose payload starts with "SKNOCK-SANDBOX-TEST " makes the
 * capture child do what the word after it says, so tests can show that
 * the sandbox kills a child that opens a file, makes a socket or execs,
 * and that a crash, a hang or a lie from the decoder opens no door.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "child.h"
#include "pkt.h"

#define MAGIC	"SKNOCK-SANDBOX-TEST "

static bool
is(const struct pkt_view *v, const char *word)
{
	size_t m = sizeof MAGIC - 1, w = strlen(word);

	return v->payload_len >= m + w &&
	    memcmp(v->payload + m, word, w) == 0;
}

void
child_test_frame(int sock, const uint8_t *frame, size_t caplen, int dlt)
{
	static char *const argv[] = { "true", NULL };
	struct pkt_view v;
	uint8_t junk[PMSG_LEN - 1];

	if (pkt_parse(frame, caplen, dlt, &v) != PKT_OK ||
	    v.proto != SK_PROTO_UDP || v.payload_len < sizeof MAGIC - 1 ||
	    memcmp(v.payload, MAGIC, sizeof MAGIC - 1) != 0)
		return;
	if (is(&v, "open"))
		(void)open("/etc/hostname", O_RDONLY);
	else if (is(&v, "socket"))
		(void)socket(AF_INET, SOCK_DGRAM, 0);
	else if (is(&v, "exec"))
		(void)execv("/bin/true", argv);
	else if (is(&v, "abort"))
		abort();
	else if (is(&v, "hang"))
		for (;;)
			(void)poll(NULL, 0, 60000);
	else if (is(&v, "garbage")) {
		memset(junk, 0x41, sizeof junk);
		(void)send(sock, junk, sizeof junk, MSG_NOSIGNAL);
	}
}
