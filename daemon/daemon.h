/*
 * daemon.h: the composition root's state: every module's struct, owned
 * by main and passed down to the loop, the knock path and the capture
 * child's wiring (privsep_wire.c).
 * Modules never see it; they get their own struct and explicit
 * arguments.
 */
#ifndef SKD_DAEMON_H
#define SKD_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "clock.h"
#include "counters.h"
#include "dconf.h"
#include "hook.h"
#include "log.h"
#include "metrics.h"
#include "opens.h"
#include "privsep.h"
#include "rate.h"
#include "reloadctl.h"
#include "replay.h"
#include "rstore.h"
#include "seq.h"
#include "srccheck.h"
#include "timing.h"

struct opts {
	const char	*conf_path;
	const char	*pcap_file;	/* -r */
	char		ifaces[SK_MAX_IFACES][CONF_IFNAME_MAX];	/* -i */
	size_t		n_ifaces;
	bool		foreground;	/* -f */
	bool		dry_run;	/* -n */
	bool		test_config;	/* -t */
	bool		verbose;	/* -v */
	const char	*reload_pid;	/* --reload PID */
};

struct daemon {
	struct opts		o;
	struct counters		cnt;
	struct sklog		log;
	struct dconf		*dc;
	struct seq_table	*seq;
	struct rate_table	*rate;
	struct replay		*replay;
	int64_t			replay_expired_s;
	struct rstore		store;
	struct opens		opens;
	struct localaddrs	local;
	struct hooks		hooks;
	struct capture		caps[SK_MAX_IFACES];	/* the child opens them */
	size_t			n_caps;
	struct privsep		ps;	/* the capture child (live) */
	struct metrics		metrics;	/* metrics_file */
	bool			ready_sent;
	int			sigfd;
	bool			stopping;
	struct reloadctl	rctl;	/* who waits for the reload */
	struct skclock		clk;	/* the knock clock */
	uint64_t		file_due_ms;	/* -r: opens_deadline, cached */
	struct open_timing	tm;	/* the candidate in hand (timing.h) */
};

#endif
