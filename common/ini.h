/*
 * ini.h: INI text parsed into iniparser's dictionary, with the line
 * number of every section and key (iniparser keeps none), for conf.c
 * and kconf.c.  Parsing is over a buffer; ini_file.c reads files.
 */
#ifndef INI_H
#define INI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sk.h"

#define INI_LINE_MAX	1000		/* bytes per line, joined lines too */
#define INI_FILE_MAX	(1024 * 1024)	/* bytes per file */
#define INI_MAX_ITEMS	4096		/* section headers plus keys */
#define INI_NAME_CAP	128		/* section or key name incl. NUL */
#define INI_MAX_ERRORS	200		/* reported per file, then one more */
#define INI_MSG_MAX	(2 * SK_PATH_MAX)	/* one error line */

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
	const char		*path;		/* name used in messages */
	struct _dictionary_	*dict;		/* iniparser's; NULL if none */
	struct ini_item		*items;
	size_t			n_items;
	size_t			items_cap;
	sk_report_fn		*report;
	void			*ctx;
	unsigned		n_err;
	struct ini_msg		*msgs;
	size_t			n_msgs;
	size_t			msgs_cap;
};

/*
 * ini_parse(buf, len, name, report, ctx, ini): check every line of the
 * ${len} bytes at ${buf} (no NUL needed) and report each problem as
 * "NAME:LINE: ..." (NUL bytes, long lines, lines that are neither
 * "[section]", "key = value" nor a comment, keys outside a section,
 * repeated sections and keys); the lines that pass go into an iniparser
 * dictionary, values read as iniparser 4.1 reads them (quotes and
 * comments removed), so the rest of the text is still checked after a
 * bad line.  ${name} must outlive ${ini}.  Returns false only when
 * memory ran out (reported).  Allocates.  Call ini_close in any case: it
 * sends the errors to ${report} in line order (at most INI_MAX_ERRORS,
 * then one line saying there are more) and frees.
 */
bool ini_parse(const char *buf, size_t len, const char *name,
    sk_report_fn *report, void *ctx, struct ini *ini);

/*
 * ini_open(ini, path, report, ctx): ini_read_file, then ini_parse.
 * Returns false if nothing could be read.  Does file I/O (ini_file.c).
 */
bool ini_open(struct ini *ini, const char *path, sk_report_fn *report,
    void *ctx);

/* ini_close(ini): report the queued errors in line order, then free. */
void ini_close(struct ini *ini);

/* ini_flush(ini): report the errors queued so far, in line order (ini_msg.c). */
void ini_flush(struct ini *ini);

/*
 * ini_read_file(path, buf, len, report, ctx): the whole regular file at
 * ${path}, at most INI_FILE_MAX bytes, into a malloc'd ${buf} (free it);
 * on failure reports "PATH: problem; fix" and returns false.  Does file
 * I/O (ini_file.c).  ini_read_fd(fd, name, ...) does the same for an
 * open descriptor the caller has checked (it is not closed).
 */
bool ini_read_file(const char *path, char **buf, size_t *len,
    sk_report_fn *report, void *ctx);
bool ini_read_fd(int fd, const char *name, char **buf, size_t *len,
    sk_report_fn *report, void *ctx);

/*
 * ini_value(ini, key_idx): the value of the key item ${key_idx} as
 * iniparser holds it; "" if none.
 */
const char *ini_value(const struct ini *ini, size_t key_idx);

/*
 * ini_key_index(keys, name): the index of ${name} in the NULL-ended
 * ${keys}, or SIZE_MAX (so names after a NULL are never found).
 */
size_t ini_key_index(const char *const *keys, const char *name);

/*
 * ini_next_key(ini, sec, k): advance ${k} to the next key item of
 * section item ${sec}, in file order, repeated ones skipped; start with
 * *k = sec.  false at the end.
 */
bool ini_next_key(const struct ini *ini, size_t sec, size_t *k);

/*
 * ini_errorf(ini, line, fmt, ...): count and queue "PATH:LINE: MSG"
 * ("PATH: MSG" if line is 0) for ini_close to report.
 */
void ini_errorf(struct ini *ini, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * ini_format(out, cap, name, line, fmt, ...): "NAME:LINE: MSG" ("NAME:
 * MSG" if line is 0) with control bytes replaced by '?', as every error
 * line is; for errors found after ini_close.  Returns ${out}.
 */
char *ini_format(char *out, size_t cap, const char *name, unsigned line,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/*
 * ini_secret(text): does ${text} hold something that looks like a key
 * (43 or more base64 characters in a row)?  Such values are never
 * quoted in an error.
 */
bool ini_secret(const char *text);

/*
 * Value helpers for key item ${k} (ini_get.c): each parses
 * ini_value(ini, k) and on failure reports "PATH:LINE: key = value:
 * problem; fix" (${example} is the fix's "e.g."; a value that looks like
 * a key is not shown), leaves ${out} alone and returns false.
 */
void ini_bad(struct ini *ini, size_t k, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* ini_section_bad(ini, sec, fmt, ...): "PATH:LINE: [section]: problem". */
void ini_section_bad(struct ini *ini, size_t sec, const char *fmt, ...)
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
/*
 * ini_dup_path(ini, k, example): a malloc'd copy of an absolute path of
 * at most SK_PATH_MAX - 1 bytes, or NULL (reported).
 */
char *ini_dup_path(struct ini *ini, size_t k, const char *example);
/* ini_unknown_key(ini, k, where, accepted): accepted is NULL-terminated. */
void ini_unknown_key(struct ini *ini, size_t k, const char *where,
    const char *const *accepted);

/* ini_name_ok(name): a door or client name: [a-z0-9._-], 1-63 bytes. */
bool ini_name_ok(const char *name);

#endif
