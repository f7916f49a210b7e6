/*
 * ini.h: an INI file read through iniparser, with the line number of
 * every section and key (iniparser keeps none), for conf.c and kconf.c.
 */
#ifndef INI_H
#define INI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"	/* conf_report_fn */
#include "sk.h"

#define INI_LINE_MAX	1000		/* bytes per line, joined lines too */
#define INI_FILE_MAX	(1024 * 1024)	/* bytes per file */
#define INI_MAX_ITEMS	4096		/* section headers plus keys */
#define INI_NAME_CAP	128		/* section or key name incl. NUL */
#define INI_MAX_ERRORS	200		/* reported per file, then one more */

/* One section header or key line. */
struct ini_item {
	unsigned	line;		/* 1-based, first physical line */
	bool		is_section;
	bool		dup;		/* repeats an earlier one; reported */
	size_t		section;	/* key: index of its section's first header */
	char		name[INI_NAME_CAP];	/* lowercased, as iniparser has it */
	char		raw[INI_NAME_CAP];	/* as written */
};

/* An error line held back so that all of them go out in line order. */
struct ini_msg {
	unsigned	line;
	unsigned	seq;
	char		*text;
};

struct ini {
	const char		*path;
	struct _dictionary_	*dict;		/* NULL when nothing parsed */
	struct ini_item		*items;
	size_t			n_items;
	conf_report_fn		*report;
	void			*ctx;
	unsigned		n_err;
	struct ini_msg		*msgs;
	size_t			n_msgs;
	size_t			msgs_cap;
};

/*
 * ini_open(ini, path, report, ctx): read ${path} (a regular file of at
 * most INI_FILE_MAX bytes), check every line, report each problem (NUL
 * bytes, long lines, lines that are neither "[section]", "key = value"
 * nor a comment, keys outside a section, repeated sections and keys),
 * then hand the lines that passed to iniparser, so the rest of the file
 * can still be checked.  Returns false if nothing could be read.
 * Allocates and does file I/O.  Call ini_close in any case: it sends
 * the errors to ${report} in line order (at most INI_MAX_ERRORS, then
 * one line saying there are more) and frees.
 */
bool ini_open(struct ini *ini, const char *path, conf_report_fn *report,
    void *ctx);
void ini_close(struct ini *ini);

/*
 * ini_value(ini, key_idx): the value of the key item ${key_idx} as
 * iniparser parsed it (quotes and comments removed); "" if none.
 */
const char *ini_value(const struct ini *ini, size_t key_idx);

/*
 * ini_errorf(ini, line, fmt, ...): count and queue "PATH:LINE: MSG"
 * ("PATH: MSG" if line is 0) for ini_close to report.
 */
void ini_errorf(struct ini *ini, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * ini_scan(buf, len, out, out_cap, out_len, ini): the line checker behind
 * ini_open: fills ini->items (grown with realloc; ini->items NULL and
 * n_items 0 on entry), reports through ini_errorf, and
 * writes to ${out} the text iniparser may read (bad lines emptied, line
 * count kept, a final newline).  ${out_cap} >= len + 1.  Exposed for
 * tests.
 */
void ini_scan(const char *buf, size_t len, char *out, size_t out_cap,
    size_t *out_len, struct ini *ini);

#endif

/*
 * Value helpers for key item ${k}: each parses ini_value(ini, k) and on
 * failure reports "PATH:LINE: key = value: problem; fix" (${example}
 * is the fix's "e.g."), leaves ${out} alone and returns false.
 */
void ini_bad(struct ini *ini, size_t k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool ini_get_ports(struct ini *ini, size_t k, struct sk_port *out,
    size_t cap, size_t *n, const char *example);
bool ini_get_port(struct ini *ini, size_t k, struct sk_port *out,
    const char *example);
bool ini_get_duration(struct ini *ini, size_t k, uint32_t lo, uint32_t hi,
    const char *example, uint32_t *out);
bool ini_get_uint32(struct ini *ini, size_t k, uint32_t lo, uint32_t hi,
    const char *example, uint32_t *out);
bool ini_get_bool(struct ini *ini, size_t k, bool *out);
/* ini_get_string(ini, k, out, cap): any non-empty value shorter than cap. */
bool ini_get_string(struct ini *ini, size_t k, char *out, size_t cap);
/* ini_get_path(ini, k, out, cap, example): an absolute path. */
bool ini_get_path(struct ini *ini, size_t k, char *out, size_t cap,
    const char *example);
/* ini_unknown_key(ini, k, where, accepted): accepted is NULL-terminated. */
void ini_unknown_key(struct ini *ini, size_t k, const char *where,
    const char *const *accepted);

/* ini_name_ok(name): a door or client name: [a-z0-9._-], 1-63 bytes. */
bool ini_name_ok(const char *name);
