/*
 * replaystore.c: the replay cache file in state_dir, fdatasync'd per
 * record.  Records are written into zeroed slots that are already part
 * of the file (allocated, written and fsync'd ahead of time), so the
 * fdatasync before a door opens flushes one data block and no metadata:
 * on ext4 that is no journal commit, a third of an append's cost.  The
 * loader skips all-zero slots (replay.h).
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
/* Compaction keeps the file near its live size; far more is not ours. */
#define RS_READ_MAX	(REPLAY_HDR_LEN + (size_t)SKD_REPLAY_CAP * \
			    REPLAY_REC_LEN * 4)
#define RS_SLACK	(256 * REPLAY_REC_LEN)	/* zeroed slots made ahead */
/* Files in state_dir: never follow a link, never block on a FIFO. */
#define RS_OPEN_FLAGS	(O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)

/*
 * Open state_dir once (made 0700 if missing) and check it: a directory
 * owned by our effective uid that group and others cannot write, or
 * someone else could swap the files in it.  Every file is then opened
 * relative to it.
 */
static bool
open_dir(struct rstore *s)
{
	struct stat st;

	if (mkdir(s->dir, 0700) == -1 && errno != EEXIST) {
		log_err(s->log, "state_dir %s: cannot create it; signed doors "
		    "stay shut until it exists (mkdir -m 700 %s, then "
		    "reload)", s->dir, s->dir);
		return false;
	}
	s->dfd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dfd == -1 || fstat(s->dfd, &st) == -1) {
		log_err(s->log, "state_dir %s: cannot open it as a directory; "
		    "signed doors stay shut until it can be", s->dir);
		return false;
	}
	if (st.st_uid != geteuid() || (st.st_mode & 022) != 0) {
		log_errx(s->log, "state_dir %s: owner uid %u, mode %04o: must "
		    "be owned by uid %u and not writable by group or others, "
		    "so no one else can swap the replay cache; signed doors "
		    "stay shut (chown %u %s && chmod 700 %s, then reload)",
		    s->dir, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777),
		    (unsigned)geteuid(), (unsigned)geteuid(), s->dir, s->dir);
		return false;
	}
	return true;
}

/* Decode an opened regular file; NULL if it was whole and sound. */
static const char *
decode_file(struct rstore *s, int fd, const struct stat *st, int64_t now_s,
    uint32_t window_s)
{
	size_t want = (size_t)st->st_size < RS_READ_MAX ?
	    (size_t)st->st_size : RS_READ_MAX, len;
	uint8_t *buf = malloc(want ? want : 1);
	struct replay_load ld;
	enum replay_err e;

	if (buf == NULL || !fd_read_all(fd, buf, want, &len)) {
		free(buf);
		return "cannot be read";
	}
	e = replay_decode(buf, len, s->cache, now_s, window_s, &ld);
	free(buf);
	log_info(s->log, "replay cache %s/" RS_FILE ": %zu live nonces of "
	    "%zu records (%zu expired, %zu timestamped in the future and "
	    "dropped, %zu with a bad checksum)", s->dir, ld.added,
	    ld.records - ld.empty, ld.old, ld.future, ld.bad);
	if (e != REPLAY_OK)
		return replay_strerror(e);
	return (size_t)st->st_size > RS_READ_MAX ? "too large: not all read" :
	    NULL;
}

/*
 * Load state_dir/replay into the cache.  NULL if it held everything it
 * should; else why nonces may have been lost (missing, not a regular
 * file, unreadable, corrupt).  A link or FIFO is neither followed nor
 * read: compaction then replaces the name with a regular file.
 */
static const char *
load(struct rstore *s, int64_t now_s, uint32_t window_s)
{
	const char *why;
	struct stat st;
	int fd;

	fd = openat(s->dfd, RS_FILE, O_RDONLY | RS_OPEN_FLAGS);
	if (fd == -1 && errno == ENOENT)
		return "missing (a first start, or lost in a crash)";
	if (fd == -1 && errno == ELOOP)
		return "a symbolic link: refused, not followed";
	if (fd == -1 || fstat(fd, &st) == -1)
		why = "cannot be opened";
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file (a FIFO, device or directory): "
		    "refused, not read";
	else if (st.st_uid != geteuid())
		why = "owned by another user: refused, not read";
	else
		why = decode_file(s, fd, &st, now_s, window_s);
	if (fd != -1)
		close(fd);
	return why;
}

static bool
pwrite_all(int fd, const uint8_t *buf, size_t len, off_t off)
{
	while (len > 0) {
		ssize_t n = pwrite(fd, buf, len, off);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			return false;
		}
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
 * Rewrite the file with the live records only, then zeroed slots: a
 * fresh replay.tmp (O_EXCL, so nothing already there is written
 * through), fsync, rename over replay, fsync the directory.  The new
 * file's fd takes the records; on failure the old one (if any) stays.
 */
static bool
compact(struct rstore *s)
{
	size_t len = replay_image_len(s->cache), cap = len + RS_SLACK;
	uint8_t *buf = calloc(1, cap);
	bool ok;
	int fd, e;

	if (buf == NULL) {
		errno = ENOMEM;
		return false;
	}
	len = replay_encode(s->cache, buf, cap);
	(void)unlinkat(s->dfd, RS_TMP, 0);
	fd = openat(s->dfd, RS_TMP, O_WRONLY | O_CREAT | O_EXCL | RS_OPEN_FLAGS,
	    0600);
	ok = fd != -1 && fd_write_all(fd, buf, cap) && fsync(fd) == 0 &&
	    renameat(s->dfd, RS_TMP, s->dfd, RS_FILE) == 0;
	free(buf);
	if (!ok) {
		e = errno;
		if (fd != -1)
			close(fd);
		(void)unlinkat(s->dfd, RS_TMP, 0);
		errno = e;
		return false;
	}
	(void)fsync(s->dfd);
	if (s->fd != -1)
		close(s->fd);
	s->fd = fd;
	s->next = (off_t)len;
	s->end = (off_t)cap;
	s->appended = 0;
	return true;
}

/*
 * rstore_open(s, dir, cache, now_s, window_s, log): open and check
 * state_dir, load state_dir/replay into ${cache}, then rewrite it with
 * the live records.  A state_dir that cannot be used marks the store
 * broken (signed doors refuse to open, fail closed, until a reload
 * finds it usable).  Until a file has been read whole once, a file
 * that cannot be (missing, corrupt, not a regular file) is logged and
 * marks the store lost: see rstore_refused.  A file that cannot be
 * written is retried at the next record.  With -r nothing touches disk.
 */
void
rstore_open(struct rstore *s, const char *dir, struct replay *cache,
    int64_t now_s, uint32_t window_s, struct sklog *log)
{
	const char *why;

	s->cache = cache;
	s->log = log;
	s->fd = s->dfd = -1;
	s->broken = false;
	s->appended = 0;
	if (!s->started)
		s->start_s = now_s;
	s->started = true;
	if (s->memory_only)
		return;
	snprintf(s->dir, sizeof s->dir, "%s", dir);
	if (!open_dir(s)) {
		s->broken = true;
		return;
	}
	why = load(s, now_s, window_s);
	if (why == NULL) {
		s->loaded = true;
	} else if (!s->loaded) {
		s->lost = true;
		log_warnx(s->log, "%s/" RS_FILE ": %s; nonces seen before the "
		    "start may be lost, so tokens timestamped before the start "
		    "(%lld) are refused until they are out of any window",
		    s->dir, why, (long long)s->start_s);
	} else if (why != NULL) {
		log_warnx(s->log, "%s/" RS_FILE ": %s; the nonces in memory "
		    "are kept", s->dir, why);
	}
	if (!compact(s))
		log_err(s->log, "%s/" RS_FILE ": cannot write the replay "
		    "cache; signed doors stay shut until it is writable",
		    s->dir);
}

bool
rstore_refused(const struct rstore *s, int64_t ts)
{
	return s->lost && ts < s->start_s;
}

/*
 * One record into the next zeroed slot (more slots first if none is
 * left), fdatasync'd.  A slot left half written is zeroed again, or the
 * file is rewritten at the next record if even that fails.
 */
static bool
put_record(struct rstore *s, const uint8_t *rec, size_t len)
{
	static const uint8_t zero[REPLAY_REC_LEN];
	int e;

	if (s->next + (off_t)len > s->end && !extend(s))
		return false;
	if (pwrite_all(s->fd, rec, len, s->next) && fdatasync(s->fd) == 0) {
		s->next += (off_t)len;
		return true;
	}
	e = errno;
	if (!pwrite_all(s->fd, zero, sizeof zero, s->next)) {
		close(s->fd);
		s->fd = -1;
	}
	errno = e;
	return false;
}

/*
 * rstore_record(s, nonce, ts): the nonce (already in the cache) onto
 * disk, fdatasync'd.  false (errno set) means it is not safely on disk
 * and the door must not open; a full disk (no room for more slots)
 * works again once space is freed.  The file is compacted once it holds
 * far more records than are live.
 */
bool
rstore_record(struct rstore *s, const uint8_t *nonce, int64_t ts)
{
	uint8_t rec[REPLAY_REC_LEN];

	if (s->memory_only)
		return true;
	if (s->broken) {
		errno = EIO;
		return false;
	}
	if (s->fd == -1)	/* not yet written: the image holds the nonce */
		return compact(s);
	replay_encode_rec(nonce, ts, rec);
	if (!put_record(s, rec, sizeof rec))
		return false;
	if (++s->appended > 1024 &&
	    s->appended > 2 * replay_count(s->cache) && !compact(s))
		log_err(s->log, "%s/" RS_FILE ": compaction failed; appending "
		    "to the old file", s->dir);
	return true;
}

void
rstore_close(struct rstore *s)
{
	if (s->fd != -1)
		close(s->fd);
	if (s->dfd != -1)
		close(s->dfd);
	s->fd = s->dfd = -1;
}
