/* key.c: client master keys, their key files and derived subkeys. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "fdio.h"
#include "key.h"

enum { KEY_ID_MAC = 1, KEY_ID_ENC = 2 };

const char *
key_strerror(enum key_err e)
{
	switch (e) {
	case KEY_OK:
		return "ok";
	case KEY_E_OPEN:
		return "cannot open, read or write the key file";
	case KEY_E_PERM:
		return "key file is accessible by group or others; chmod 600 it";
	case KEY_E_TYPE:
		return "key file is not a regular file";
	case KEY_E_SIZE:
		return "key file is empty or larger than 256 bytes; it should "
		    "hold one line of 44 base64 characters";
	case KEY_E_SYNTAX:
		return "key is not base64 (original alphabet, padded); "
		    "make a new one with knock --keygen";
	case KEY_E_LENGTH:
		return "key is not 32 bytes (44 base64 characters); "
		    "make a new one with knock --keygen";
	case KEY_E_MEM:
		return "out of secure memory for the key";
	case KEY_E_EXISTS:
		return "key file already exists; will not overwrite it";
	}
	return "unknown key error";
}

struct sk_key *
key_new(void)
{
	struct sk_key *k;

	if ((k = sodium_malloc(sizeof *k)) == NULL)
		return NULL;
	sodium_memzero(k, sizeof *k);
	return k;
}

void
key_free(struct sk_key *k)
{
	if (k == NULL)
		return;
	/* sodium_free wipes too; this keeps the promise explicit. */
	sodium_memzero(k, sizeof *k);
	sodium_free(k);
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool
is_b64_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
}

/*
 * trim_key_text(txt, txt_len, start, len): the base64 core of ${txt}
 * without leading blanks and without trailing blanks around at most one
 * newline ("\n" or "\r\n").  Anything else stays in the core.
 */
static void
trim_key_text(const char *txt, size_t txt_len, size_t *start, size_t *len)
{
	size_t b = 0, e = txt_len;

	while (b < e && is_blank(txt[b]))
		b++;
	while (e > b && is_blank(txt[e - 1]))
		e--;
	if (e > b && txt[e - 1] == '\n') {
		e--;
		if (e > b && txt[e - 1] == '\r')
			e--;
		while (e > b && is_blank(txt[e - 1]))
			e--;
	}
	*start = b;
	*len = e - b;
}

enum key_err
key_decode(const char *txt, size_t txt_len, uint8_t master[static SK_KEY_LEN])
{
	size_t b, n, i, bin_len = 0;
	const char *core, *end = NULL;

	trim_key_text(txt, txt_len, &b, &n);
	core = txt + b;
	/* A stray character (a second newline, a NUL, '-') is a syntax error. */
	for (i = 0; i < n; i++)
		if (!is_b64_char(core[i]))
			return KEY_E_SYNTAX;
	if (n != KEY_B64_LEN)
		return KEY_E_LENGTH;
	errno = 0;
	if (sodium_base642bin(master, SK_KEY_LEN, core, n, NULL, &bin_len,
	    &end, sodium_base64_VARIANT_ORIGINAL) != 0) {
		sodium_memzero(master, SK_KEY_LEN);
		/* 44 characters ending "==" hold 31 bytes: too long for 32. */
		return errno == ERANGE ? KEY_E_LENGTH : KEY_E_SYNTAX;
	}
	if (end != core + n) {
		sodium_memzero(master, SK_KEY_LEN);
		return KEY_E_SYNTAX;
	}
	if (bin_len != SK_KEY_LEN) {
		sodium_memzero(master, SK_KEY_LEN);
		return KEY_E_LENGTH;
	}
	return KEY_OK;
}

void
key_encode(const uint8_t master[static SK_KEY_LEN],
    char out[static KEY_B64_LEN + 1])
{
	sodium_bin2base64(out, KEY_B64_LEN + 1, master, SK_KEY_LEN,
	    sodium_base64_VARIANT_ORIGINAL);
}

void
key_derive(const uint8_t master[static SK_KEY_LEN], struct sk_key *out)
{
	/* Cannot fail: the lengths are within crypto_kdf's bounds. */
	(void)crypto_kdf_derive_from_key(out->mac, sizeof out->mac,
	    KEY_ID_MAC, KEY_CTX, master);
	(void)crypto_kdf_derive_from_key(out->enc, sizeof out->enc,
	    KEY_ID_ENC, KEY_CTX, master);
}

void
key_generate(uint8_t master[static SK_KEY_LEN])
{
	randombytes_buf(master, SK_KEY_LEN);
}

__attribute__((format(printf, 3, 4)))
static void
set_msg(char *msg, size_t msg_len, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	if (msg != NULL && msg_len > 0) {
		va_start(ap, fmt);
		vsnprintf(msg, msg_len, fmt, ap);
		va_end(ap);
	}
	errno = saved;
}

/* check_key_fd(fd, path, msg, msg_len): regular, private, sane size. */
static enum key_err
check_key_fd(int fd, const char *path, char *msg, size_t msg_len)
{
	struct stat st;

	if (fstat(fd, &st) != 0) {
		set_msg(msg, msg_len, "%s: cannot stat key file: %s", path,
		    strerror(errno));
		return KEY_E_OPEN;
	}
	if (!S_ISREG(st.st_mode)) {
		set_msg(msg, msg_len, "%s: not a regular file; give the path "
		    "of a key file made by knock --keygen", path);
		return KEY_E_TYPE;
	}
	if ((st.st_mode & 077) != 0) {
		set_msg(msg, msg_len, "%s: mode %04o lets group/others read "
		    "it; run chmod 600 %s", path,
		    (unsigned)(st.st_mode & 07777), path);
		return KEY_E_PERM;
	}
	if (st.st_size <= 0 || st.st_size > KEY_FILE_MAX) {
		set_msg(msg, msg_len, "%s: size %lld bytes; a key file holds "
		    "one line of %d base64 characters (make one with "
		    "knock --keygen)", path, (long long)st.st_size,
		    KEY_B64_LEN);
		return KEY_E_SIZE;
	}
	return KEY_OK;
}

/* key_read_master(path, master, msg, msg_len): open, check, read, decode. */
enum key_err
key_read_master(const char *path, uint8_t master[static SK_KEY_LEN],
    char *msg, size_t msg_len)
{
	char buf[KEY_FILE_MAX + 1];
	size_t len = 0;
	enum key_err err;
	int fd;

	/* Follow symlinks (keys are often linked) but check what opened.
	 * O_NONBLOCK keeps a FIFO from hanging us before fstat refuses it. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		set_msg(msg, msg_len, "%s: cannot open key file: %s; check "
		    "the path and that this user may read it", path,
		    strerror(errno));
		return KEY_E_OPEN;
	}
	if ((err = check_key_fd(fd, path, msg, msg_len)) != KEY_OK)
		goto out;
	if (!fd_read_all(fd, buf, sizeof buf, &len)) {
		set_msg(msg, msg_len, "%s: cannot read key file: %s", path,
		    strerror(errno));
		err = KEY_E_OPEN;
		goto out;
	}
	/* The file may have changed between fstat and read. */
	if (len == 0 || len > KEY_FILE_MAX) {
		set_msg(msg, msg_len, "%s: %s", path,
		    key_strerror(KEY_E_SIZE));
		err = KEY_E_SIZE;
		goto out;
	}
	if ((err = key_decode(buf, len, master)) != KEY_OK)
		set_msg(msg, msg_len, "%s: %s", path, key_strerror(err));
out:
	sodium_memzero(buf, sizeof buf);
	close(fd);
	return err;
}

enum key_err
key_load(const char *path, struct sk_key **out, char *msg, size_t msg_len)
{
	uint8_t master[SK_KEY_LEN];
	struct sk_key *k = NULL;
	enum key_err err;

	set_msg(msg, msg_len, "%s: ok", path);
	if ((err = key_read_master(path, master, msg, msg_len)) != KEY_OK)
		goto out;
	if ((k = key_new()) == NULL) {
		set_msg(msg, msg_len, "%s: %s", path, key_strerror(KEY_E_MEM));
		err = KEY_E_MEM;
		goto out;
	}
	key_derive(master, k);
	*out = k;
	err = KEY_OK;
out:
	sodium_memzero(master, sizeof master);
	return err;
}

enum key_err
key_save(const char *path, const uint8_t master[static SK_KEY_LEN],
    char *msg, size_t msg_len)
{
	char line[KEY_B64_LEN + 2];
	enum key_err err = KEY_OK;
	int fd, saved;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd < 0 && errno == EEXIST) {
		set_msg(msg, msg_len, "%s: already exists; will not overwrite "
		    "a key file: remove it first or choose another name", path);
		return KEY_E_EXISTS;
	}
	if (fd < 0) {
		set_msg(msg, msg_len, "%s: cannot create key file: %s; check "
		    "that the directory exists and is writable", path,
		    strerror(errno));
		return KEY_E_OPEN;
	}
	key_encode(master, line);
	line[KEY_B64_LEN] = '\n';
	line[KEY_B64_LEN + 1] = '\0';
	/* umask can only remove bits, but state the mode we promise. */
	if (fchmod(fd, 0600) != 0 || !fd_write_all(fd, line, KEY_B64_LEN + 1) ||
	    fsync(fd) != 0) {
		set_msg(msg, msg_len, "%s: cannot write key file: %s; it has "
		    "been removed, try again", path, strerror(errno));
		err = KEY_E_OPEN;
	}
	if (close(fd) != 0 && err == KEY_OK) {
		set_msg(msg, msg_len, "%s: cannot write key file: %s; it has "
		    "been removed, try again", path, strerror(errno));
		err = KEY_E_OPEN;
	}
	if (err != KEY_OK) {
		saved = errno;
		(void)unlink(path);
		errno = saved;
	} else
		set_msg(msg, msg_len, "%s: key saved", path);
	sodium_memzero(line, sizeof line);
	return err;
}
