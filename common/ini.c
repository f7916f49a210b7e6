/*
 * ini.c: read an INI file with iniparser 4.1, keeping line numbers.
 *
 * iniparser gives no line numbers, drops the whole file on one syntax
 * error, keeps the last of two equal keys silently, and misreads a few
 * lines ("[]", keys before any section).  So we read the file once,
 * check each line here, remember where every section and key is, and
 * give iniparser only the lines that passed (through a memfd, so both
 * see the same bytes): the values are iniparser's, the rest of the file
 * is still checked after a bad line, and every problem has a line.
 */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <iniparser.h>

#include "ini.h"

#define INI_QUOTE_MAX	60	/* bytes of a bad line quoted in errors */

/*
 * iniparser's error callback takes no context argument, so its messages
 * find their ini through this pointer, set only while iniparser_load
 * runs on this thread.
 */
static _Thread_local struct ini *ini_cb_target;

struct scan {
	const char	*buf;
	size_t		len;
	size_t		pos;
	unsigned	lineno;
	char		*out;
	size_t		out_len;
	struct ini	*ini;
	size_t		items_cap;
	size_t		sec;		/* current section item */
	enum { SEC_NONE, SEC_OK, SEC_BAD, SEC_FULL } sec_state;
};

/* One logical line: physical lines joined by a trailing backslash. */
struct logical {
	char		text[INI_LINE_MAX + 1];
	size_t		text_len;
	unsigned	first_line;
	unsigned	n_phys;
	size_t		start;		/* byte offset of its first line */
	bool		has_nul;
	bool		too_long;
	bool		dangling;	/* ends with "\" at end of file */
};

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	    c == '\r';
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* queue_msg(ini, line, msg): keep it for flush_msgs, or report it now. */
static void
queue_msg(struct ini *ini, unsigned line, const char *msg)
{
	struct ini_msg *m = ini->msgs;
	size_t n = ini->n_msgs;
	char *text = NULL;

	ini->n_err++;
	if (n == ini->msgs_cap) {
		size_t cap = n == 0 ? 16 : 2 * n;

		m = realloc(ini->msgs, cap * sizeof *m);
		if (m != NULL) {
			ini->msgs = m;
			ini->msgs_cap = cap;
		}
	}
	if (m != NULL && (text = strdup(msg)) != NULL) {
		m[n].line = line;
		m[n].seq = (unsigned)n;
		m[n].text = text;
		ini->n_msgs++;
	} else if (ini->report != NULL) {
		ini->report(ini->ctx, msg);	/* out of memory: unsorted */
	}
}

static int
msg_cmp(const void *a, const void *b)
{
	const struct ini_msg *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* flush_msgs(ini): report the queued errors in line order. */
static void
flush_msgs(struct ini *ini)
{
	size_t n = ini->n_msgs;

	if (ini->msgs == NULL)
		return;
	qsort(ini->msgs, n, sizeof ini->msgs[0], msg_cmp);
	for (size_t i = 0; i < n; i++) {
		if (ini->report != NULL)
			ini->report(ini->ctx, ini->msgs[i].text);
		free(ini->msgs[i].text);
	}
	free(ini->msgs);
	ini->msgs = NULL;
	ini->n_msgs = ini->msgs_cap = 0;
}

void
ini_errorf(struct ini *ini, unsigned line, const char *fmt, ...)
{
	char msg[2 * SK_PATH_MAX];
	size_t off;
	va_list ap;
	int n;

	if (ini->n_err > INI_MAX_ERRORS)
		return;
	if (line > 0)
		n = snprintf(msg, sizeof msg, "%s:%u: ", ini->path, line);
	else
		n = snprintf(msg, sizeof msg, "%s: ", ini->path);
	off = n < 0 ? 0 : (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1;
	va_start(ap, fmt);
	vsnprintf(msg + off, sizeof msg - off, fmt, ap);
	va_end(ap);
	if (ini->n_err == INI_MAX_ERRORS) {
		snprintf(msg, sizeof msg, "%s: more than %d errors; the rest "
		    "are not shown", ini->path, INI_MAX_ERRORS);
		line = UINT_MAX;
	}
	/* The file may hold anything: no control bytes reach a terminal. */
	for (char *p = msg; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	queue_msg(ini, line, msg);
}

__attribute__((format(printf, 1, 2)))
static int
ini_errback(const char *fmt, ...)
{
	char msg[512];
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	n = strlen(msg);
	while (n > 0 && is_space(msg[n - 1]))
		msg[--n] = '\0';
	if (ini_cb_target != NULL)
		ini_errorf(ini_cb_target, 0, "%s; check the file", msg);
	return 0;
}

/* read_logical(s, lg): the next logical line from s->pos. */
static void
read_logical(struct scan *s, struct logical *lg)
{
	bool cont;

	lg->text_len = 0;
	lg->first_line = s->lineno + 1;
	lg->n_phys = 0;
	lg->start = s->pos;
	lg->has_nul = lg->too_long = lg->dangling = false;
	do {
		const char *p = s->buf + s->pos;
		const char *nl = memchr(p, '\n', s->len - s->pos);
		size_t raw = nl != NULL ? (size_t)(nl - p) : s->len - s->pos;
		size_t n = raw;

		s->lineno++;
		lg->n_phys++;
		s->pos += nl != NULL ? raw + 1 : raw;
		if (memchr(p, '\0', raw) != NULL)
			lg->has_nul = true;
		while (n > 0 && is_space(p[n - 1]))
			n--;
		cont = n > 0 && p[n - 1] == '\\';
		if (cont)
			n--;
		/* iniparser reads at most ~1022 bytes, spaces included. */
		if (lg->text_len + raw > INI_LINE_MAX)
			lg->too_long = true;
		else {
			memcpy(lg->text + lg->text_len, p, n);
			lg->text_len += n;
		}
	} while (cont && s->pos < s->len);
	lg->dangling = cont;
	lg->text[lg->text_len] = '\0';
}

/* quote(text, buf): at most INI_QUOTE_MAX bytes of a bad line. */
static const char *
quote(const char *text, char buf[static INI_QUOTE_MAX + 4])
{
	size_t n = strlen(text);

	if (n <= INI_QUOTE_MAX)
		return text;
	memcpy(buf, text, INI_QUOTE_MAX);
	memcpy(buf + INI_QUOTE_MAX, "...", 4);
	return buf;
}

static struct ini_item *
new_item(struct scan *s, unsigned line)
{
	struct ini *ini = s->ini;
	struct ini_item *it;

	if (ini->n_items == s->items_cap) {
		size_t cap = s->items_cap == 0 ? 64 : 2 * s->items_cap;
		struct ini_item *n;

		if (cap > INI_MAX_ITEMS)
			cap = INI_MAX_ITEMS;
		n = realloc(ini->items, cap * sizeof *n);
		if (n == NULL) {
			ini_errorf(ini, line, "out of memory");
			return NULL;
		}
		ini->items = n;
		s->items_cap = cap;
	}
	it = &ini->items[ini->n_items];
	memset(it, 0, sizeof *it);
	it->line = line;
	return it;
}

/* room(s, line): false (reported once) when no more items fit. */
static bool
room(struct scan *s, unsigned line)
{
	if (s->sec_state == SEC_FULL)
		return false;
	if (s->ini->n_items < INI_MAX_ITEMS)
		return true;
	ini_errorf(s->ini, line, "more than %d sections and keys; the rest "
	    "of the file is ignored; remove some", INI_MAX_ITEMS);
	s->sec_state = SEC_FULL;
	return false;
}

/* section_name_ok(name): letters, digits, '.', '_', '-', one ':'. */
static bool
section_name_ok(const char *name)
{
	unsigned colons = 0;

	for (const char *p = name; *p != '\0'; p++) {
		if (*p == ':')
			colons++;
		else if (!is_name_char(*p))
			return false;
	}
	return colons <= 1 && name[0] != ':';
}

/* scan_section(s, body, body_len, line): "[...]" with its brackets cut. */
static bool
scan_section(struct scan *s, const char *body, size_t len, unsigned line)
{
	struct ini *ini = s->ini;
	struct ini_item *it;
	char name[INI_NAME_CAP];

	while (len > 0 && is_space(body[0])) {
		body++;
		len--;
	}
	while (len > 0 && is_space(body[len - 1]))
		len--;
	s->sec_state = SEC_BAD;
	if (len == 0) {
		ini_errorf(ini, line, "[]: empty section name; name it, "
		    "e.g. [daemon]");
		return false;
	}
	if (len >= INI_NAME_CAP) {
		ini_errorf(ini, line, "[%.40s...]: section name too long; "
		    "use at most %d bytes", body, INI_NAME_CAP - 1);
		return false;
	}
	memcpy(name, body, len);
	name[len] = '\0';
	if (!section_name_ok(name)) {
		ini_errorf(ini, line, "[%s]: bad section name; use only "
		    "letters, digits, '.', '_', '-' and one ':' (as in "
		    "[door:ssh])", name);
		return false;
	}
	if (!room(s, line) || (it = new_item(s, line)) == NULL)
		return false;
	it->is_section = true;
	memcpy(it->raw, name, len + 1);
	for (size_t i = 0; i <= len; i++)
		it->name[i] = lower(name[i]);
	it->section = ini->n_items;
	for (size_t i = 0; i < ini->n_items; i++) {
		const struct ini_item *o = &ini->items[i];

		if (o->is_section && !o->dup && strcmp(o->name, it->name) == 0) {
			ini_errorf(ini, line, "[%s]: section repeated (first on "
			    "line %u); merge or rename one", name, o->line);
			it->dup = true;
			it->section = i;
			break;
		}
	}
	s->sec = it->section;
	s->sec_state = SEC_OK;
	ini->n_items++;
	return true;
}

/* scan_key(s, text, eq, line): "key = value"; ${eq} points at the '='. */
static bool
scan_key(struct scan *s, const char *text, const char *eq, unsigned line)
{
	struct ini *ini = s->ini;
	struct ini_item *it;
	size_t len = (size_t)(eq - text);
	char q[INI_QUOTE_MAX + 4];

	while (len > 0 && is_space(text[len - 1]))
		len--;
	if (len == 0) {
		ini_errorf(ini, line, "%s: no key before '='; write "
		    "KEY = VALUE", quote(text, q));
		return false;
	}
	if (len >= INI_NAME_CAP || memchr(text, ':', len) != NULL) {
		ini_errorf(ini, line, "%s: bad key name; keys are short "
		    "words such as timeout", quote(text, q));
		return false;
	}
	if (s->sec_state == SEC_NONE) {
		ini_errorf(ini, line, "%s: key before any [section]; move "
		    "it under one", quote(text, q));
		return false;
	}
	if (s->sec_state != SEC_OK)
		return false;	/* its section header was reported */
	if (!room(s, line) || (it = new_item(s, line)) == NULL)
		return false;
	memcpy(it->raw, text, len);
	it->raw[len] = '\0';
	for (size_t i = 0; i <= len; i++)
		it->name[i] = lower(it->raw[i]);
	it->section = s->sec;
	for (size_t i = 0; i < ini->n_items; i++) {
		const struct ini_item *o = &ini->items[i];

		if (!o->is_section && !o->dup && o->section == s->sec &&
		    strcmp(o->name, it->name) == 0) {
			ini_errorf(ini, line, "%s: repeated in [%s] (first "
			    "on line %u); keep one", it->raw,
			    ini->items[s->sec].raw, o->line);
			it->dup = true;
			break;
		}
	}
	ini->n_items++;
	/* iniparser would keep the last; the first is the one we check. */
	return !it->dup;
}

/* scan_line(s, lg): check one logical line; true if iniparser may see it. */
static bool
scan_line(struct scan *s, struct logical *lg)
{
	struct ini *ini = s->ini;
	unsigned line = lg->first_line;
	char *t = lg->text, q[INI_QUOTE_MAX + 4];
	size_t n = lg->text_len;
	const char *eq;

	if (lg->has_nul) {
		ini_errorf(ini, line, "NUL byte in the line; the file must be "
		    "plain text");
		return false;
	}
	if (lg->too_long) {
		ini_errorf(ini, line, "line longer than %d bytes; shorten it",
		    INI_LINE_MAX);
		return false;
	}
	while (n > 0 && is_space(t[0])) {
		t++;
		n--;
	}
	while (n > 0 && is_space(t[n - 1]))
		t[--n] = '\0';
	if (lg->dangling) {
		ini_errorf(ini, line, "%s: ends with '\\' but no line follows; "
		    "remove the '\\'", quote(t, q));
		return false;
	}
	if (n == 0 || t[0] == '#' || t[0] == ';')
		return true;
	if (s->sec_state == SEC_FULL)
		return false;
	if (t[0] == '[') {
		if (t[n - 1] != ']' || memchr(t + 1, ']', n - 2) != NULL ||
		    memchr(t + 1, '[', n - 2) != NULL) {
			ini_errorf(ini, line, "%s: bad section header; write "
			    "[NAME] alone on its line", quote(t, q));
			s->sec_state = SEC_BAD;
			return false;
		}
		return scan_section(s, t + 1, n - 2, line);
	}
	eq = strchr(t, '=');
	if (eq == NULL) {
		ini_errorf(ini, line, "%s: not [SECTION], KEY = VALUE or a "
		    "; comment; fix it or comment it out with ;", quote(t, q));
		return false;
	}
	return scan_key(s, t, eq, line);
}

void
ini_scan(const char *buf, size_t len, char *out, size_t out_cap,
    size_t *out_len, struct ini *ini)
{
	struct scan s = { .buf = buf, .len = len, .out = out, .ini = ini,
	    .sec_state = SEC_NONE };
	struct logical *lg = malloc(sizeof *lg);

	*out_len = 0;
	if (lg == NULL || out_cap < len + 1) {
		ini_errorf(ini, 0, "out of memory");
		free(lg);
		return;
	}
	while (s.pos < len) {
		read_logical(&s, lg);
		if (scan_line(&s, lg)) {
			memcpy(out + s.out_len, buf + lg->start,
			    s.pos - lg->start);
			s.out_len += s.pos - lg->start;
		} else {
			/* Keep the line count so iniparser's lines match. */
			memset(out + s.out_len, '\n', lg->n_phys);
			s.out_len += lg->n_phys;
		}
	}
	if (s.out_len > 0 && out[s.out_len - 1] != '\n')
		out[s.out_len++] = '\n';
	*out_len = s.out_len;
	free(lg);
}

/* grow(b, cap): a bigger read buffer, at most INI_FILE_MAX + 1 bytes. */
static bool
grow(char **b, size_t *cap)
{
	size_t want = *cap < INI_FILE_MAX / 2 ? 2 * *cap : INI_FILE_MAX + 1;
	char *n = realloc(*b, want);

	if (n == NULL)
		return false;
	*b = n;
	*cap = want;
	return true;
}

/* read_file(ini, buf, len): the whole regular file, at most INI_FILE_MAX. */
static bool
read_file(struct ini *ini, char **buf, size_t *len)
{
	struct stat st;
	ssize_t r;
	char *b = NULL;
	size_t n = 0, cap;
	int fd;

	fd = open(ini->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		ini_errorf(ini, 0, "cannot open: %s; check the path",
		    strerror(errno));
		return false;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		ini_errorf(ini, 0, "not a regular file; give the config file");
		goto fail;
	}
	/* Sized by fstat, one byte over to see a file that grew. */
	cap = st.st_size < INI_FILE_MAX ? (size_t)st.st_size + 64 :
	    INI_FILE_MAX + 1;
	if ((b = malloc(cap)) == NULL)
		goto nomem;
	while (n <= INI_FILE_MAX) {
		if (n == cap && !grow(&b, &cap))
			goto nomem;
		r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ini_errorf(ini, 0, "cannot read: %s", strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > INI_FILE_MAX) {
		ini_errorf(ini, 0, "larger than %d bytes; this is not a "
		    "config file", INI_FILE_MAX);
		goto fail;
	}
	close(fd);
	*buf = b;
	*len = n;
	return true;
nomem:
	ini_errorf(ini, 0, "out of memory");
fail:
	free(b);
	close(fd);
	return false;
}

/* parse_text(ini, text, len): iniparser over exactly ${text}. */
static dictionary *
parse_text(struct ini *ini, const char *text, size_t len)
{
	char fd_path[64];
	dictionary *d = NULL;
	size_t off = 0;
	int fd = memfd_create("sknock-ini", MFD_CLOEXEC);

	if (fd < 0)
		goto fallback;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	snprintf(fd_path, sizeof fd_path, "/proc/self/fd/%d", fd);
	if (off != len || access(fd_path, R_OK) != 0) {
		close(fd);
		goto fallback;
	}
	d = iniparser_load(fd_path);
	close(fd);
	return d;
fallback:
	/* No memfd or no /proc: the file itself, if every line passed. */
	return ini->n_err == 0 ? iniparser_load(ini->path) : NULL;
}

bool
ini_open(struct ini *ini, const char *path, conf_report_fn *report,
    void *ctx)
{
	char *buf = NULL, *clean = NULL;
	size_t len, clean_len;
	unsigned errs_before;

	memset(ini, 0, sizeof *ini);
	ini->path = path != NULL ? path : "(null)";
	ini->report = report;
	ini->ctx = ctx;
	if (path == NULL) {
		ini_errorf(ini, 0, "no config file given");
		return false;
	}
	if (!read_file(ini, &buf, &len))
		return false;
	if ((clean = malloc(len + 1)) == NULL) {
		ini_errorf(ini, 0, "out of memory");
		free(buf);
		return false;
	}
	ini_scan(buf, len, clean, len + 1, &clean_len, ini);
	free(buf);
	iniparser_set_error_callback(ini_errback);
	ini_cb_target = ini;
	errs_before = ini->n_err;
	ini->dict = parse_text(ini, clean, clean_len);
	ini_cb_target = NULL;
	free(clean);
	if (ini->dict == NULL && ini->n_err == errs_before)
		ini_errorf(ini, 0, "iniparser could not read the file; check "
		    "its syntax");
	return true;
}

void
ini_close(struct ini *ini)
{
	flush_msgs(ini);
	if (ini->dict != NULL)
		iniparser_freedict(ini->dict);
	free(ini->items);
	ini->dict = NULL;
	ini->items = NULL;
	ini->n_items = 0;
}

const char *
ini_value(const struct ini *ini, size_t key_idx)
{
	const struct ini_item *it = &ini->items[key_idx];
	char key[2 * INI_NAME_CAP + 1];
	const char *v;

	if (ini->dict == NULL || it->is_section)
		return "";
	snprintf(key, sizeof key, "%s:%s", ini->items[it->section].name,
	    it->name);
	v = iniparser_getstring(ini->dict, key, NULL);
	return v != NULL ? v : "";
}
