/*
 * replaystore.c: the replay cache file in state_dir, fdatasync'd per
 * record.  Records are written into zeroed slots that are already part
 * of the file (allocated, written and fsync'd ahead of time), so the
 * fdatasync before a door opens flushes one data block and no metadata:
 * on ext4 that is no journal commit, a third of an append's cost.  A
 * zero record is timestamp 0, long expired, so the loader skips the
 * slots not yet used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"
#include "rstore.h"

#define RS_FILE		"replay"
#define RS_TMP		"replay.tmp"
#define RS_READ_MAX	((size_t)SKD_REPLAY_CAP * REPLAY_REC_LEN * 4)
#define RS_SLACK	(256 * REPLAY_REC_LEN)	/* zeroed slots made ahead */

static int
path_in(const struct rstore *s, const char *name, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s", s->dir, name);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Read the whole file into the cache; ENOENT is an empty cache. */
static bool
load(struct rstore *s, const char *path, int64_t now_s, uint32_t window_s)
{
	struct stat st;
	uint8_t *buf;
	size_t len = 0;
	size_t added;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return errno == ENOENT;
	if (fstat(fd, &st) == -1) {
		close(fd);
		return false;
	}
	if ((size_t)st.st_size > RS_READ_MAX) {
		log_warnx(s->log, "%s: %lld bytes, reading the last %zu", path,
		    (long long)st.st_size, RS_READ_MAX);
		lseek(fd, (off_t)(st.st_size - (off_t)RS_READ_MAX) /
		    REPLAY_REC_LEN * REPLAY_REC_LEN, SEEK_SET);
	}
	buf = malloc(RS_READ_MAX);
	if (buf == NULL) {
		close(fd);
		errno = ENOMEM;
		return false;
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, RS_READ_MAX - len);

		if (n == 0 || len == RS_READ_MAX)
			break;
		if (n == -1) {
			if (errno == EINTR)
				continue;
			free(buf);
			close(fd);
			return false;
		}
		len += (size_t)n;
	}
	close(fd);
	added = replay_decode(buf, len, s->cache, now_s, window_s);
	free(buf);
	log_info(s->log, "replay cache %s: %zu live nonces of %zu records",
	    path, added, len / REPLAY_REC_LEN);
	return true;
}

static bool
pwrite_all(int fd, const uint8_t *buf, size_t len, off_t off)
{
	while (len > 0) {
		ssize_t n = pwrite(fd, buf, len, off);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
		off += n;
	}
	return true;
}

/* RS_SLACK more zeroed slots at the end, durable before any is used. */
static bool
extend(struct rstore *s)
{
	static const uint8_t zero[RS_SLACK];

	if (!pwrite_all(s->fd, zero, sizeof zero, s->end) || fsync(s->fd) == -1)
		return false;
	s->end += (off_t)sizeof zero;
	return true;
}

/*
 * Rewrite the file with the live records only, then zeroed slots: tmp,
 * fsync, rename.
 */
static bool
compact(struct rstore *s)
{	char tmp[SK_PATH_MAX + 16], path[SK_PATH_MAX + 16];
	size_t cap = replay_count(s->cache) * REPLAY_REC_LEN;
	uint8_t *buf = malloc(cap ? cap : 1);
	size_t len;
	bool ok;
	int fd, dfd;

	if (buf == NULL || path_in(s, RS_TMP, tmp, sizeof tmp) == -1 ||
	    path_in(s, RS_FILE, path, sizeof path) == -1) {
		free(buf);
		errno = ENAMETOOLONG;
		return false;
	}
	len = replay_encode(s->cache, buf, cap);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ok = fd != -1 && fd_write_all(fd, buf, len) && fsync(fd) == 0;
	free(buf);
	if (fd != -1 && close(fd) == -1)
		ok = false;
	if (!ok || rename(tmp, path) == -1) {
		int e = errno;

		unlink(tmp);
		errno = e;
		return false;
	}
	dfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd != -1) {
		fsync(dfd);
		close(dfd);
	}
	if (s->fd != -1)
		close(s->fd);
	s->fd = open(path, O_WRONLY | O_CLOEXEC);
	s->appended = 0;
	s->next = s->end = (off_t)len;
	return s->fd != -1 && extend(s);
}

/*
 * rstore_open(s, dir, cache, now_s, window_s, log): load ${dir}/replay
 * into ${cache} (nonces live at ${now_s} within ${window_s}), then
 * rewrite it with the live records.  Any failure marks the store
 * broken, so signed doors refuse to open (fail closed) until a reload
 * succeeds in opening it; the daemon itself keeps running.  With -r
 * nothing touches disk.
 */
void
rstore_open(struct rstore *s, const char *dir, struct replay *cache,
    int64_t now_s, uint32_t window_s, struct sklog *log)
{
	char path[SK_PATH_MAX + 16];

	s->fd = -1;
	s->broken = false;
	s->appended = 0;
	s->cache = cache;
	s->log = log;
	if (s->memory_only)
		return;
	snprintf(s->dir, sizeof s->dir, "%s", dir);
	if (mkdir(s->dir, 0700) == -1 && errno != EEXIST) {
		log_err(s->log, "state_dir %s: cannot create it; signed doors "
		    "stay shut until it exists (mkdir -m 700 %s, then SIGHUP)",
		    s->dir, s->dir);
		s->broken = true;
		return;
	}
	if (path_in(s, RS_FILE, path, sizeof path) == -1 ||
	    !load(s, path, now_s, window_s)) {
		log_err(s->log, "%s/" RS_FILE ": cannot read the replay cache; "
		    "signed doors stay shut until it is readable", s->dir);
		s->broken = true;
		return;
	}
	if (!compact(s)) {
		log_err(s->log, "%s/" RS_FILE ": cannot write the replay "
		    "cache; signed doors stay shut until it is writable",
		    s->dir);
		s->broken = true;
	}
}

/*
 * rstore_record(s, nonce, ts): write one record into the next zeroed
 * slot and fdatasync it (more slots first if none is left).  false
 * (errno set) means the nonce is not safely on disk and the door must
 * not open.  The file is compacted once it holds far more records than
 * are live.
 */
bool
rstore_record(struct rstore *s, const uint8_t *nonce, int64_t ts)
{	uint8_t rec[REPLAY_REC_LEN];

	if (s->memory_only)
		return true;
	if (s->broken || s->fd == -1) {
		errno = EIO;
		return false;
	}
	replay_encode_rec(nonce, ts, rec);
	if ((s->next + (off_t)sizeof rec > s->end && !extend(s)) ||
	    !pwrite_all(s->fd, rec, sizeof rec, s->next) ||
	    fdatasync(s->fd) == -1) {
		int e = errno;

		/* Rewrite from memory: the file matches the cache again. */
		compact(s);
		errno = e;
		return false;
	}
	s->next += (off_t)sizeof rec;
	if (++s->appended > 1024 &&
	    s->appended > 2 * replay_count(s->cache) && !compact(s)) {
		log_err(s->log, "%s/" RS_FILE ": compaction failed", s->dir);
		s->broken = s->fd == -1;
	}
	return true;
}

void
rstore_close(struct rstore *s)
{
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
}
