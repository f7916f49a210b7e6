/* test_key.c: key_* decode/encode, key files on disk, subkeys. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "key.h"
#include "check_main.h"

/* Vector 1's master key: bytes 0..31. */
static const char key_txt[] = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

/* Per-tcase scratch directory, made and removed by the parent process. */
static char tmp_dir[] = "/tmp/sknock-test-key-XXXXXX";

static void
tmp_setup(void)
{
	if (mkdtemp(tmp_dir) == NULL) {
		perror("mkdtemp");
		abort();
	}
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	return remove(path);
}

static void
tmp_teardown(void)
{
	(void)nftw(tmp_dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* tmp_path(name, out): ${tmp_dir}/name. */
static void
tmp_path(const char *name, char out[static SK_PATH_MAX])
{
	ck_assert_int_lt(snprintf(out, SK_PATH_MAX, "%s/%s", tmp_dir, name),
	    SK_PATH_MAX);
}

/* write_file(name, data, len, mode, path): a fresh file with that mode. */
static void
write_file(const char *name, const void *data, size_t len, mode_t mode,
    char path[static SK_PATH_MAX])
{
	int fd;

	tmp_path(name, path);
	(void)unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	ck_assert_int_eq(fchmod(fd, mode), 0);
	ck_assert_int_eq(close(fd), 0);
}

static void
master_0_31(uint8_t master[static SK_KEY_LEN])
{
	for (size_t i = 0; i < SK_KEY_LEN; i++)
		master[i] = (uint8_t)i;
}

static enum key_err
decode_str(const char *s, uint8_t master[static SK_KEY_LEN])
{
	return key_decode(s, strlen(s), master);
}

/* wrap(pre, post, buf, buf_len): pre || key_txt || post. */
static void
wrap(const char *pre, const char *post, char *buf, size_t buf_len)
{
	ck_assert_int_lt(snprintf(buf, buf_len, "%s%s%s", pre, key_txt, post),
	    (int)buf_len);
}

START_TEST(decode_valid)
{
	uint8_t m[SK_KEY_LEN], want[SK_KEY_LEN];

	master_0_31(want);
	ck_assert_int_eq(decode_str(key_txt, m), KEY_OK);
	ck_assert_mem_eq(m, want, SK_KEY_LEN);
}
END_TEST

START_TEST(decode_allows_blanks_and_one_newline)
{
	static const char *const ok[][2] = {
		{ "", "\n" }, { "", "\r\n" }, { "  ", "" }, { "\t", " \t" },
		{ "", "  \n" }, { " ", " \n " }, { "", "\n\t" },
	};
	char buf[128];
	uint8_t m[SK_KEY_LEN], want[SK_KEY_LEN];

	master_0_31(want);
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		wrap(ok[i][0], ok[i][1], buf, sizeof buf);
		memset(m, 0, sizeof m);
		ck_assert_msg(decode_str(buf, m) == KEY_OK, "case %zu", i);
		ck_assert_mem_eq(m, want, SK_KEY_LEN);
	}
}
END_TEST

START_TEST(decode_refuses_other_text)
{
	static const char *const bad[][2] = {
		{ "", "\n\n" }, { "\n", "" }, { "", "\nx" }, { "#", "" },
		{ "", ";" }, { "", "\v" }, { "key = ", "" }, { "", "\r" },
	};
	char buf[128];
	uint8_t m[SK_KEY_LEN];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		wrap(bad[i][0], bad[i][1], buf, sizeof buf);
		ck_assert_msg(decode_str(buf, m) == KEY_E_SYNTAX, "case %zu",
		    i);
	}
	/* A NUL inside the text is not the end of it. */
	memcpy(buf, key_txt, sizeof key_txt);
	buf[10] = '\0';
	ck_assert_int_eq(key_decode(buf, sizeof key_txt - 1, m), KEY_E_SYNTAX);
	/* A blank inside the key is not "surrounding". */
	memcpy(buf, key_txt, sizeof key_txt);
	buf[20] = ' ';
	ck_assert_int_eq(decode_str(buf, m), KEY_E_SYNTAX);
}
END_TEST

START_TEST(decode_refuses_other_alphabets)
{
	uint8_t m[SK_KEY_LEN];

	/* URL-safe alphabet: '-' and '_' in place of '+' and '/'. */
	ck_assert_int_eq(decode_str("__79_Pv6-fj39vX08_Lx8O_u7ezr6uno5-bl5OPi4eA=",
	    m), KEY_E_SYNTAX);
	ck_assert_int_eq(decode_str("//79/Pv6+fj39vX08/Lx8O/u7ezr6uno5+bl5OPi4eA=",
	    m), KEY_OK);
	/* Hex is not base64 of 32 bytes, nor are its characters misread. */
	ck_assert_int_eq(decode_str("000102030405060708090a0b0c0d0e0f"
	    "101112131415161718191a1b1c1d1e1f", m), KEY_E_LENGTH);
}
END_TEST

START_TEST(decode_refuses_wrong_length)
{
	uint8_t m[SK_KEY_LEN];
	char buf[128];

	ck_assert_int_eq(decode_str("", m), KEY_E_LENGTH);
	ck_assert_int_eq(decode_str(" \n", m), KEY_E_LENGTH);
	/* 30 bytes (40 chars), 31 bytes ("=="), 33 bytes (44, no pad). */
	ck_assert_int_eq(decode_str("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd",
	    m), KEY_E_LENGTH);
	ck_assert_int_eq(decode_str("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==",
	    m), KEY_E_LENGTH);
	ck_assert_int_eq(decode_str("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g",
	    m), KEY_E_LENGTH);
	/* One character short (padding cut), one long, two keys. */
	ck_assert_int_eq(key_decode(key_txt, sizeof key_txt - 2, m),
	    KEY_E_LENGTH);
	snprintf(buf, sizeof buf, "%sA", key_txt);
	ck_assert_int_eq(decode_str(buf, m), KEY_E_LENGTH);
	snprintf(buf, sizeof buf, "%s%s", key_txt, key_txt);
	ck_assert_int_eq(decode_str(buf, m), KEY_E_LENGTH);
}
END_TEST

START_TEST(decode_refuses_bad_padding)
{
	uint8_t m[SK_KEY_LEN];

	/* '=' in the middle, no padding where one is due, spare bits set. */
	ck_assert_int_eq(decode_str("AAECAwQFBgcICQoL=A0ODxAREhMUFRYXGBkaGxwdHh8=",
	    m), KEY_E_SYNTAX);
	ck_assert_int_eq(decode_str("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8A",
	    m), KEY_E_LENGTH);
	ck_assert_int_eq(decode_str("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9=",
	    m), KEY_E_SYNTAX);
	ck_assert_int_eq(decode_str("============================================",
	    m), KEY_E_SYNTAX);
}
END_TEST

START_TEST(encode_round_trip)
{
	uint8_t m[SK_KEY_LEN], back[SK_KEY_LEN];
	char txt[KEY_B64_LEN + 1];

	master_0_31(m);
	memset(txt, 'x', sizeof txt);
	key_encode(m, txt);
	ck_assert_str_eq(txt, key_txt);
	for (int i = 0; i < 64; i++) {
		key_generate(m);
		key_encode(m, txt);
		ck_assert_uint_eq(strlen(txt), KEY_B64_LEN);
		ck_assert_int_eq(key_decode(txt, KEY_B64_LEN, back), KEY_OK);
		ck_assert_mem_eq(back, m, SK_KEY_LEN);
	}
}
END_TEST

START_TEST(generate_is_random)
{
	uint8_t a[SK_KEY_LEN], b[SK_KEY_LEN], zero[SK_KEY_LEN] = { 0 };

	key_generate(a);
	key_generate(b);
	ck_assert_mem_ne(a, b, SK_KEY_LEN);
	ck_assert_mem_ne(a, zero, SK_KEY_LEN);
}
END_TEST

START_TEST(derive_gives_distinct_subkeys)
{
	uint8_t m[SK_KEY_LEN];
	struct sk_key *k = key_new(), *k2 = key_new();
	struct sk_key zero;

	ck_assert_ptr_nonnull(k);
	ck_assert_ptr_nonnull(k2);
	memset(&zero, 0, sizeof zero);
	ck_assert_mem_eq(k, &zero, sizeof zero);
	master_0_31(m);
	key_derive(m, k);
	ck_assert_mem_ne(k->mac, k->enc, SK_KEY_LEN);
	ck_assert_mem_ne(k->mac, m, SK_KEY_LEN);
	m[31] ^= 1;
	key_derive(m, k2);
	ck_assert_mem_ne(k->mac, k2->mac, SK_KEY_LEN);
	ck_assert_mem_ne(k->enc, k2->enc, SK_KEY_LEN);
	key_free(k2);
	key_free(k);
	key_free(NULL);
}
END_TEST

START_TEST(strerror_names_every_error)
{
	for (int e = KEY_OK; e <= KEY_E_EXISTS; e++) {
		const char *s = key_strerror((enum key_err)e);

		ck_assert_ptr_nonnull(s);
		ck_assert_str_ne(s, "unknown key error");
		for (int f = KEY_OK; f < e; f++)
			ck_assert_str_ne(s, key_strerror((enum key_err)f));
	}
}
END_TEST

/* load_expect(path, want, msg): key_load's result, with ${out} untouched
 * on failure and a message that names the file. */
static struct sk_key *
load_expect(const char *path, enum key_err want, char *msg, size_t msg_len)
{
	struct sk_key *k = NULL;

	msg[0] = '\0';
	ck_assert_msg(key_load(path, &k, msg, msg_len) == want,
	    "%s: want %s, got: %s", path, key_strerror(want), msg);
	ck_assert_msg(strstr(msg, path) != NULL, "message \"%s\" does not "
	    "name %s", msg, path);
	if (want != KEY_OK)
		ck_assert_ptr_null(k);
	else
		ck_assert_ptr_nonnull(k);
	return k;
}

START_TEST(load_mode_0600)
{
	char path[SK_PATH_MAX], msg[SK_PATH_MAX * 3];
	uint8_t m[SK_KEY_LEN];
	struct sk_key want, *k;

	write_file("k", key_txt, strlen(key_txt), 0600, path);
	k = load_expect(path, KEY_OK, msg, sizeof msg);
	master_0_31(m);
	key_derive(m, &want);
	ck_assert_mem_eq(k->mac, want.mac, SK_KEY_LEN);
	ck_assert_mem_eq(k->enc, want.enc, SK_KEY_LEN);
	key_free(k);
	write_file("k4", "\t AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8= \n", 48,
	    0400, path);
	key_free(load_expect(path, KEY_OK, msg, sizeof msg));
}
END_TEST

START_TEST(load_refuses_group_other_modes)
{
	static const mode_t modes[] = { 0640, 0644, 0604, 0660, 0606, 0610,
	    0601, 0620, 0602, 0700 | 0007, 0400 | 0040 };
	char path[SK_PATH_MAX], msg[SK_PATH_MAX * 3], want[SK_PATH_MAX + 64];

	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		write_file("k", key_txt, strlen(key_txt), modes[i], path);
		load_expect(path, KEY_E_PERM, msg, sizeof msg);
		snprintf(want, sizeof want, "mode %04o", (unsigned)modes[i]);
		ck_assert_msg(strstr(msg, want) != NULL, "\"%s\" lacks \"%s\"",
		    msg, want);
		snprintf(want, sizeof want, "chmod 600 %s", path);
		ck_assert_msg(strstr(msg, want) != NULL, "\"%s\" lacks \"%s\"",
		    msg, want);
	}
}
END_TEST

START_TEST(load_missing_file)
{
	char path[SK_PATH_MAX], msg[SK_PATH_MAX * 3];
	struct sk_key *k = NULL;

	tmp_path("absent", path);
	load_expect(path, KEY_E_OPEN, msg, sizeof msg);
	errno = 0;
	ck_assert_int_eq(key_load(path, &k, NULL, 0), KEY_E_OPEN);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_null(k);
}
END_TEST

START_TEST(load_size_limits)
{
	char path[SK_PATH_MAX], msg[SK_PATH_MAX * 3], big[KEY_FILE_MAX + 1];

	write_file("empty", "", 0, 0600, path);
	load_expect(path, KEY_E_SIZE, msg, sizeof msg);
	/* Exactly KEY_FILE_MAX bytes is read (and here, it is a good key). */
	memset(big, ' ', sizeof big);
	memcpy(big + KEY_FILE_MAX - KEY_B64_LEN - 1, key_txt, KEY_B64_LEN);
	big[KEY_FILE_MAX - 1] = '\n';
	write_file("max", big, KEY_FILE_MAX, 0600, path);
	key_free(load_expect(path, KEY_OK, msg, sizeof msg));
	write_file("over", big, KEY_FILE_MAX + 1, 0600, path);
	load_expect(path, KEY_E_SIZE, msg, sizeof msg);
}
END_TEST

START_TEST(load_refuses_non_regular)
{
	char path[SK_PATH_MAX], msg[SK_PATH_MAX * 3];

	tmp_path("dir", path);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	load_expect(path, KEY_E_TYPE, msg, sizeof msg);
	/* A FIFO must not hang the loader. */
	tmp_path("fifo", path);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	load_expect(path, KEY_E_TYPE, msg, sizeof msg);
	load_expect("/dev/null", KEY_E_TYPE, msg, sizeof msg);
}
END_TEST

START_TEST(load_follows_symlink_checks_target)
{
	char target[SK_PATH_MAX], link_path[SK_PATH_MAX];
	char msg[SK_PATH_MAX * 3];

	write_file("real", key_txt, strlen(key_txt), 0600, target);
	tmp_path("link", link_path);
	ck_assert_int_eq(symlink(target, link_path), 0);
	key_free(load_expect(link_path, KEY_OK, msg, sizeof msg));
	ck_assert_int_eq(chmod(target, 0644), 0);
	load_expect(link_path, KEY_E_PERM, msg, sizeof msg);
}
END_TEST

START_TEST(load_bad_contents)
{
	char path[SK_PATH_MAX], msg[SK_PATH_MAX * 3];

	/* Truncated: the first 30 characters of a key. */
	write_file("trunc", key_txt, 30, 0600, path);
	load_expect(path, KEY_E_LENGTH, msg, sizeof msg);
	write_file("trunc1", key_txt, KEY_B64_LEN - 1, 0600, path);
	load_expect(path, KEY_E_LENGTH, msg, sizeof msg);
	write_file("garbage", "not a key at all!\n", 18, 0600, path);
	load_expect(path, KEY_E_SYNTAX, msg, sizeof msg);
	write_file("two", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n\n",
	    46, 0600, path);
	load_expect(path, KEY_E_SYNTAX, msg, sizeof msg);
}
END_TEST

START_TEST(save_creates_0600_and_loads)
{
	char path[SK_PATH_MAX], msg[SK_PATH_MAX * 3], buf[128];
	uint8_t m[SK_KEY_LEN];
	struct sk_key want, *k;
	struct stat st;
	ssize_t n;
	int fd;

	tmp_path("new.key", path);
	key_generate(m);
	umask(0);	/* a lax umask must not loosen the key file */
	ck_assert_int_eq(key_save(path, m, msg, sizeof msg), KEY_OK);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0600);
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof buf);
	close(fd);
	ck_assert_int_eq(n, KEY_B64_LEN + 1);
	ck_assert_int_eq(buf[KEY_B64_LEN], '\n');
	k = load_expect(path, KEY_OK, msg, sizeof msg);
	key_derive(m, &want);
	ck_assert_mem_eq(k->mac, want.mac, SK_KEY_LEN);
	ck_assert_mem_eq(k->enc, want.enc, SK_KEY_LEN);
	key_free(k);
}
END_TEST

START_TEST(save_never_overwrites)
{
	char path[SK_PATH_MAX], link_path[SK_PATH_MAX], msg[SK_PATH_MAX * 3];
	char buf[64];
	uint8_t m[SK_KEY_LEN];
	ssize_t n;
	int fd;

	write_file("old.key", "old\n", 4, 0600, path);
	key_generate(m);
	ck_assert_int_eq(key_save(path, m, msg, sizeof msg), KEY_E_EXISTS);
	ck_assert_ptr_nonnull(strstr(msg, path));
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof buf);
	close(fd);
	ck_assert_int_eq(n, 4);
	ck_assert_mem_eq(buf, "old\n", 4);
	/* Nor through a symlink, dangling or not. */
	tmp_path("dangling", link_path);
	ck_assert_int_eq(symlink("/nonexistent-sknock-target", link_path), 0);
	ck_assert_int_eq(key_save(link_path, m, msg, sizeof msg),
	    KEY_E_EXISTS);
}
END_TEST

START_TEST(save_into_missing_dir)
{
	char path[SK_PATH_MAX], msg[SK_PATH_MAX * 3];
	uint8_t m[SK_KEY_LEN];

	tmp_path("no/such/dir.key", path);
	key_generate(m);
	ck_assert_int_eq(key_save(path, m, msg, sizeof msg), KEY_E_OPEN);
	ck_assert_ptr_nonnull(strstr(msg, path));
	ck_assert_int_eq(key_save(path, m, NULL, 0), KEY_E_OPEN);
}
END_TEST

int
main(void)
{
	TCase *text = tcase_create("text"), *file = tcase_create("file");

	tcase_add_test(text, decode_valid);
	tcase_add_test(text, decode_allows_blanks_and_one_newline);
	tcase_add_test(text, decode_refuses_other_text);
	tcase_add_test(text, decode_refuses_other_alphabets);
	tcase_add_test(text, decode_refuses_wrong_length);
	tcase_add_test(text, decode_refuses_bad_padding);
	tcase_add_test(text, encode_round_trip);
	tcase_add_test(text, generate_is_random);
	tcase_add_test(text, derive_gives_distinct_subkeys);
	tcase_add_test(text, strerror_names_every_error);
	tcase_add_unchecked_fixture(file, tmp_setup, tmp_teardown);
	tcase_add_test(file, load_mode_0600);
	tcase_add_test(file, load_refuses_group_other_modes);
	tcase_add_test(file, load_missing_file);
	tcase_add_test(file, load_size_limits);
	tcase_add_test(file, load_refuses_non_regular);
	tcase_add_test(file, load_follows_symlink_checks_target);
	tcase_add_test(file, load_bad_contents);
	tcase_add_test(file, save_creates_0600_and_loads);
	tcase_add_test(file, save_never_overwrites);
	tcase_add_test(file, save_into_missing_dir);
	return check_run_cases("key", (TCase *[]){ text, file }, 2);
}
