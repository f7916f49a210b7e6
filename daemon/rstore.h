/* rstore.h: the replay cache persisted in state_dir, fsync'd per record. */
#ifndef SKD_RSTORE_H
#define SKD_RSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "log.h"
#include "replay.h"
#include "sk.h"

/* Live nonces remembered (valid MACs), each for REPLAY_KEEP_S. */
#define SKD_REPLAY_CAP		65536

/*
 * The file behind a replay cache; cache and logger come at rstore_open.
 * Set fd and dfd to -1 before the first rstore_open.
 */
struct rstore {
	bool		memory_only;	/* -r: never touch state_dir */
	bool		broken;		/* cannot persist: refuse signed opens */
	bool		started;	/* rstore_open has run (the start) */
	bool		loaded;		/* the file was read whole once */
	bool		lost;		/* it could not be: rstore_refused */
	int64_t		start_s;	/* the first rstore_open, unix seconds */
	int		dfd;		/* state_dir (O_DIRECTORY), or -1 */
	int		fd;		/* the record file, or -1 */
	off_t		next;		/* offset of the next zeroed slot */
	off_t		end;		/* file size: zeroed slots end here */
	char		dir[SK_PATH_MAX];
	size_t		appended;	/* records since the last compaction */
	struct replay	*cache;
	struct sklog	*log;
};

void rstore_open(struct rstore *s, const char *dir, struct replay *cache,
    int64_t now_s, uint32_t window_s, struct sklog *log);
bool rstore_record(struct rstore *s, const uint8_t *nonce, int64_t ts);
/*
 * rstore_refused(s, ts): the cache could not be read at the start, so a
 * nonce of a token timestamped before the start may have been lost:
 * refuse it.  (Such a token is out of any window, and so refused anyway,
 * REPLAY_KEEP_S after the start.)
 */
bool rstore_refused(const struct rstore *s, int64_t ts);
void rstore_close(struct rstore *s);

#endif
