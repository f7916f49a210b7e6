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

#define SKD_REPLAY_CAP		8192	/* live nonces remembered (valid MACs) */

/* The file behind a replay cache; cache and logger come at rstore_open. */
struct rstore {
	bool		memory_only;	/* -r: never touch state_dir */
	bool		broken;		/* cannot persist: refuse signed opens */
	int		fd;		/* record file, or -1 */
	char		dir[SK_PATH_MAX];
	size_t		appended;	/* records since the last compaction */
	off_t		next;		/* offset of the next zeroed slot */
	off_t		end;		/* file size: zeroed slots end here */
	struct replay	*cache;
	struct sklog	*log;
};

void rstore_open(struct rstore *s, const char *dir, struct replay *cache,
    int64_t now_s, uint32_t window_s, struct sklog *log);
bool rstore_record(struct rstore *s, const uint8_t *nonce, int64_t ts);
void rstore_close(struct rstore *s);

#endif
