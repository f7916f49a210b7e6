/*
 * ini.c: INI text into an iniparser 4.1 dictionary, keeping line numbers.
 *
 * iniparser gives no line numbers, drops the whole file on one syntax
 * error, keeps the last of two equal keys silently, misreads a few lines
 * ("[]", keys before any section), and reads only from a path.  So we
 * check each line here, remember where every section and key is, read
 * each value as iniparser_load would, and put the lines that passed into
 * iniparser's own dictionary (dictionary_new/dictionary_set): the rest
 * of the text is still checked after a bad line, every problem has a
 * line, and no file, memfd or /proc is needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dictionary.h>
#include <iniparser.h>

#include "ini.h"

#define INI_QUOTE_MAX	60	/* bytes of a bad line quoted in errors */

struct scan {
	const char	*buf;
	size_t		len;
	size_t		pos;
	unsigned	lineno;
	struct ini	*ini;
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

/* quote(text, buf): at most INI_QUOTE_MAX bytes of a bad line; no key. */
static const char *
quote(const char *text, char buf[static INI_QUOTE_MAX + 4])
{
	size_t n = strlen(text);

	if (ini_secret(text))
		return "(a line that looks like a key, not shown)";
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

	if (ini->n_items == ini->items_cap) {
		size_t cap = ini->items_cap == 0 ? 64 : 2 * ini->items_cap;
		struct ini_item *n;

		if (cap > INI_MAX_ITEMS)
			cap = INI_MAX_ITEMS;
		n = realloc(ini->items, cap * sizeof *n);
		if (n == NULL) {
			ini_errorf(ini, line, "out of memory");
			return NULL;
		}
		ini->items = n;
		ini->items_cap = cap;
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
	/* iniparser keeps a section as a key without a value. */
	if (!it->dup && dictionary_set(ini->dict, it->name, NULL) != 0) {
		ini_errorf(ini, line, "out of memory");
		return false;
	}
	return true;
}

/*
 * value_of(v, out): the text after '=' as iniparser 4.1's line parser
 * reads it: a value opening with a quote runs to the matching quote (or
 * the end), blanks kept; any other runs to the first ';' or '#', blanks
 * trimmed; "" and '' are empty.
 */
static void
value_of(const char *v, char out[static INI_LINE_MAX + 1])
{
	size_t n;

	while (is_space(*v))
		v++;
	if ((*v == '"' || *v == '\'') && v[1] != '\0' && v[1] != *v) {
		const char *end = strchr(v + 1, *v);

		n = end != NULL ? (size_t)(end - v - 1) : strlen(v + 1);
		memcpy(out, v + 1, n);
		out[n] = '\0';
		return;
	}
	n = strcspn(v, ";#");
	while (n > 0 && is_space(v[n - 1]))
		n--;
	memcpy(out, v, n);
	out[n] = '\0';
	if (strcmp(out, "\"\"") == 0 || strcmp(out, "''") == 0)
		out[0] = '\0';
}

/* set_value(ini, it, v): "section:key" = value in iniparser's dictionary. */
static bool
set_value(struct ini *ini, const struct ini_item *it, const char *v)
{
	char key[2 * INI_NAME_CAP + 1], val[INI_LINE_MAX + 1];

	snprintf(key, sizeof key, "%s:%s", ini->items[it->section].name,
	    it->name);
	value_of(v, val);
	if (dictionary_set(ini->dict, key, val) != 0) {
		ini_errorf(ini, it->line, "out of memory");
		return false;
	}
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
	if (it->dup)
		return false;
	return set_value(ini, it, eq + 1);
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

/* scan(buf, len, ini): every line into ini->items and ini->dict. */
static void
scan(const char *buf, size_t len, struct ini *ini)
{
	struct scan s = { .buf = buf, .len = len, .ini = ini,
	    .sec_state = SEC_NONE };
	struct logical *lg = malloc(sizeof *lg);

	if (lg == NULL) {
		ini_errorf(ini, 0, "out of memory");
		return;
	}
	while (s.pos < len) {
		read_logical(&s, lg);
		(void)scan_line(&s, lg);
	}
	free(lg);
}

bool
ini_parse(const char *buf, size_t len, const char *name,
    sk_report_fn *report, void *ctx, struct ini *ini)
{
	memset(ini, 0, sizeof *ini);
	ini->path = name != NULL ? name : "(null)";
	ini->report = report;
	ini->ctx = ctx;
	ini->dict = dictionary_new(0);
	if (ini->dict == NULL) {
		ini_errorf(ini, 0, "out of memory");
		return false;
	}
	if (len > INI_FILE_MAX)
		ini_errorf(ini, 0, "larger than %d bytes; this is not a config "
		    "file", INI_FILE_MAX);
	else
		scan(buf, len, ini);
	return true;
}

void
ini_close(struct ini *ini)
{
	ini_flush(ini);
	if (ini->dict != NULL)
		iniparser_freedict(ini->dict);
	free(ini->items);
	ini->dict = NULL;
	ini->items = NULL;
	ini->n_items = ini->items_cap = 0;
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
	v = dictionary_get(ini->dict, key, NULL);
	return v != NULL ? v : "";
}

size_t
ini_key_index(const char *const *keys, const char *name)
{
	for (size_t i = 0; keys[i] != NULL; i++)
		if (strcmp(keys[i], name) == 0)
			return i;
	return SIZE_MAX;
}

bool
ini_next_key(const struct ini *ini, size_t sec, size_t *k)
{
	for ((*k)++; *k < ini->n_items; (*k)++) {
		const struct ini_item *it = &ini->items[*k];

		if (!it->is_section && !it->dup && it->section == sec)
			return true;
	}
	return false;
}
