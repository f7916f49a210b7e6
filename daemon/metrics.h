/* metrics.h: the counters as a Prometheus text file (metrics_file). */
#ifndef SKD_METRICS_H
#define SKD_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "counters.h"

#define METRICS_EVERY_MS	15000

/* What metrics.c keeps: where to write, and when next. */
struct metrics {
	char		*path;		/* NULL: no metrics_file */
	uint64_t	next_ms;	/* monotonic; SKD_NO_DEADLINE if none */
};

/*
 * metrics_set(m, path, now_ms): (re)configure; a new path is written at
 * once, the same path keeps its schedule.  false if memory runs out.
 */
bool metrics_set(struct metrics *m, const char *path, uint64_t now_ms);
void metrics_free(struct metrics *m);

/* metrics_deadline(m): when the next write is due (for poll). */
uint64_t metrics_deadline(const struct metrics *m);

/*
 * metrics_format(v, out, cap): the Prometheus text format (version
 * 0.0.4) of every counter, names prefixed "sknock_", each family with
 * "# HELP" and "# TYPE"; returns its length, or 0 if ${cap} is too small.
 */
size_t metrics_format(const struct counters_view *v, char *out, size_t cap);

/*
 * metrics_write(m, v, now_ms, err, err_len): write the file as PATH.tmp,
 * then rename it over PATH, so a reader (node_exporter's textfile
 * collector) never sees half a file; the next write is due 15 s later.
 * false with ${err} set on failure (the next try is still scheduled).
 * Does file I/O.
 */
bool metrics_write(struct metrics *m, const struct counters_view *v,
    uint64_t now_ms, char *err, size_t err_len);

#endif
