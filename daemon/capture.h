/* capture.h: libpcap handles, one per interface or the -r file. */
#ifndef SKD_CAPTURE_H
#define SKD_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pcap/pcap.h>

#include "conf.h"
#include "log.h"

#define SKD_IFACE_RETRY_MS	2000	/* wait for a missing interface */
#define SKD_SNAPLEN		512

/* One capture: an interface, or the -r file (logger, counter: cap_init). */
struct capture {
	char		name[CONF_IFNAME_MAX];
	pcap_t		*p;
	int		fd;		/* selectable fd, -1 when down */
	int		dlt;
	bool		is_file;	/* -r: errors end the read, no retry */
	uint64_t	retry_ms;	/* when to try again if down */
	char		lasterr[PCAP_ERRBUF_SIZE];
	char		*iobuf;		/* -r: stdio buffer of the file */
	struct sklog	*log;
	uint64_t	*errors;	/* interface errors counter */
};

/* A captured frame, its timestamp and link type, for cap_drain's caller. */
typedef void cap_packet_fn(void *ctx, const struct pcap_pkthdr *h,
    const uint8_t *frame, int dlt);

void cap_init(struct capture *c, const char *name, struct sklog *log,
    uint64_t *errors);
bool cap_open_live(struct capture *c, const struct conf *conf);
bool cap_open_file(struct capture *c, const char *path);
void cap_close(struct capture *c);
bool cap_refilter(struct capture *c, const struct conf *conf);
int cap_drain(struct capture *c, int max, cap_packet_fn *fn, void *ctx);

#endif
