/* test_vectors.c: known-answer vectors for wire protocol v1, both ways. */
#include <check.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "addr.h"
#include "key.h"
#include "token.h"
#include "check_main.h"

#define VEC_FILE	"token-v1.txt"
#define VEC_MAX		16
#define LINE_MAX_LEN	512

struct vec {
	int		id;
	char		key_b64[LINE_MAX_LEN];
	char		door[SK_NAME_MAX];
	uint8_t		nonce[TOK_NONCE_LEN];
	struct tok_req	req;
	uint8_t		k_mac[SK_KEY_LEN];
	uint8_t		k_enc[SK_KEY_LEN];
	uint8_t		plain[TOK_PLAIN_LEN];
	uint8_t		token[TOK_WIRE_LEN];
	unsigned	seen;	/* one bit per field below */
};

enum {
	F_KEY = 1, F_DOOR = 2, F_NONCE = 4, F_REQ = 8, F_KMAC = 16,
	F_KENC = 32, F_PLAIN = 64, F_TOKEN = 128, F_ALL = 255
};

/* hex_field(hex, out, out_len, where): exactly out_len bytes of hex. */
static void
hex_field(const char *hex, uint8_t *out, size_t out_len, const char *where)
{
	size_t bin_len = 0;
	const char *end = NULL;

	ck_assert_msg(sodium_hex2bin(out, out_len, hex, strlen(hex), NULL,
	    &bin_len, &end) == 0, "%s: bad hex \"%s\"", where, hex);
	ck_assert_msg(bin_len == out_len && *end == '\0',
	    "%s: want %zu bytes of hex, got \"%s\"", where, out_len, hex);
}

/* parse_allow(txt, out, where): "(zero: ...)" or a numeric address. */
static void
parse_allow(const char *txt, struct sk_addr *out, const char *where)
{
	memset(out, 0, sizeof *out);
	if (strncmp(txt, "(zero", 5) == 0)
		return;
	ck_assert_msg(addr_parse(txt, out) == ADDR_OK,
	    "%s: bad allow address \"%s\"", where, txt);
}

/*
 * parse_req(line, r, where): "version 1  flags 0  port P  proto N
 * timestamp T  allow A"; version and flags must be the v1 values.
 */
static void
parse_req(char *line, struct tok_req *r, const char *where)
{
	long long ver = -1, flags = -1, port = -1, proto = -1, ts = -1;
	char *allow = strstr(line, "allow ");

	ck_assert_msg(allow != NULL, "%s: no allow field", where);
	*allow = '\0';
	ck_assert_msg(sscanf(line, "version %lld flags %lld port %lld "
	    "proto %lld timestamp %lld", &ver, &flags, &port, &proto, &ts) == 5,
	    "%s: cannot read \"%s\"", where, line);
	ck_assert_int_eq(ver, TOK_VERSION);
	ck_assert_int_eq(flags, 0);
	ck_assert_msg(port >= 0 && port <= 65535 && proto >= 0 && proto <= 255,
	    "%s: port %lld proto %lld out of range", where, port, proto);
	r->port = (uint16_t)port;
	r->proto = (uint8_t)proto;
	r->timestamp = ts;
	parse_allow(allow + strlen("allow "), &r->allow, where);
}

/* The hex lines "NAME HEX": exactly as many bytes as member NAME holds. */
static const struct hex_def {
	const char	*name;	/* with its space */
	size_t		off;
	size_t		len;
	unsigned	flag;
} hex_defs[] = {
#define HEX_DEF(m, flag) \
	{ #m " ", offsetof(struct vec, m), sizeof ((struct vec *)0)->m, flag }
	HEX_DEF(nonce, F_NONCE), HEX_DEF(k_mac, F_KMAC),
	HEX_DEF(k_enc, F_KENC), HEX_DEF(plain, F_PLAIN),
	HEX_DEF(token, F_TOKEN),
#undef HEX_DEF
};

/* parse_line(line, v, where): one "name value" line into ${v}. */
static void
parse_line(char *line, struct vec *v, const char *where)
{
	char *val = line + strcspn(line, " ");

	val += strspn(val, " ");
	for (size_t i = 0; i < sizeof hex_defs / sizeof hex_defs[0]; i++) {
		const struct hex_def *h = &hex_defs[i];

		if (strncmp(line, h->name, strlen(h->name)) == 0) {
			hex_field(val, (uint8_t *)v + h->off, h->len, where);
			v->seen |= h->flag;
			return;
		}
	}
	if (strncmp(line, "key_b64 ", 8) == 0) {
		ck_assert(strlen(val) < sizeof v->key_b64);
		strcpy(v->key_b64, val);
		v->seen |= F_KEY;
	} else if (strncmp(line, "door ", 5) == 0) {
		ck_assert(strlen(val) < sizeof v->door);
		strcpy(v->door, val);
		v->seen |= F_DOOR;
	} else if (strncmp(line, "version ", 8) == 0) {
		parse_req(line, &v->req, where);
		v->seen |= F_REQ;
	} else {
		ck_abort_msg("%s: unknown line \"%s\"", where, line);
	}
}

/* load_vectors(v, cap): every vector of the file; each must be complete. */
static size_t
load_vectors(struct vec *v, size_t cap)
{
	char path[SK_PATH_MAX], line[LINE_MAX_LEN], where[SK_PATH_MAX + 32];
	const char *dir = getenv("SK_VECTORS");
	size_t n = 0;
	FILE *f;
	int lineno = 0;

	ck_assert_msg(dir != NULL, "SK_VECTORS is not set (run via meson test)");
	snprintf(path, sizeof path, "%s/%s", dir, VEC_FILE);
	ck_assert_msg((f = fopen(path, "r")) != NULL, "%s: cannot open", path);
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		snprintf(where, sizeof where, "%s:%d", path, lineno);
		ck_assert_msg(strchr(line, '\n') != NULL, "%s: line too long",
		    where);
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (strncmp(line, "vector ", 7) == 0) {
			ck_assert_msg(n < cap, "%s: too many vectors", where);
			memset(&v[n], 0, sizeof v[n]);
			v[n].id = atoi(line + 7);
			n++;
			continue;
		}
		ck_assert_msg(n > 0, "%s: field before any vector", where);
		parse_line(line, &v[n - 1], where);
	}
	fclose(f);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(v[i].seen == F_ALL, "%s: vector %d incomplete "
		    "(fields 0x%x)", path, v[i].id, v[i].seen);
	return n;
}

/* vector_key(v): the subkeys of ${v}'s master key. */
static struct sk_key *
vector_key(const struct vec *v)
{
	uint8_t master[SK_KEY_LEN];
	struct sk_key *k = key_new();

	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(key_decode(v->key_b64, strlen(v->key_b64), master),
	    KEY_OK);
	key_derive(master, k);
	sodium_memzero(master, sizeof master);
	return k;
}

/* get_vector(i, v): vector number _i, after checking the file holds 3+. */
static void
get_vector(int i, struct vec *out)
{
	static const size_t want = 3;	/* DESIGN.md: three vectors */
	struct vec *all = calloc(VEC_MAX, sizeof *all);
	size_t n;

	ck_assert_ptr_nonnull(all);
	n = load_vectors(all, VEC_MAX);
	ck_assert_uint_ge(n, want);
	ck_assert_int_lt(i, (int)n);
	*out = all[i];
	free(all);
}

START_TEST(vector_file_has_three)
{
	struct vec *all = calloc(VEC_MAX, sizeof *all);

	ck_assert_ptr_nonnull(all);
	ck_assert_uint_eq(load_vectors(all, VEC_MAX), 3);
	free(all);
}
END_TEST

START_TEST(vector_subkeys)
{
	struct vec v;
	struct sk_key *k;

	get_vector(_i, &v);
	k = vector_key(&v);
	ck_assert_mem_eq(k->mac, v.k_mac, SK_KEY_LEN);
	ck_assert_mem_eq(k->enc, v.k_enc, SK_KEY_LEN);
	key_free(k);
}
END_TEST

START_TEST(vector_plain_both_ways)
{
	uint8_t plain[TOK_PLAIN_LEN];
	struct tok_req r;
	struct vec v;

	get_vector(_i, &v);
	tok_plain_encode(&v.req, plain);
	ck_assert_mem_eq(plain, v.plain, TOK_PLAIN_LEN);
	memset(&r, 0xa5, sizeof r);
	ck_assert_int_eq(tok_plain_decode(v.plain, &r), TOK_OK);
	ck_assert_uint_eq(r.port, v.req.port);
	ck_assert_uint_eq(r.proto, v.req.proto);
	ck_assert_int_eq(r.timestamp, v.req.timestamp);
	ck_assert_mem_eq(r.allow.b, v.req.allow.b, sizeof r.allow.b);
}
END_TEST

START_TEST(vector_build_exact)
{
	uint8_t tok[TOK_WIRE_LEN];
	struct sk_key *k;
	struct vec v;

	get_vector(_i, &v);
	k = vector_key(&v);
	ck_assert_int_eq(tok_build(k, v.door, v.nonce, &v.req, tok), TOK_OK);
	ck_assert_mem_eq(tok, v.token, TOK_WIRE_LEN);
	key_free(k);
}
END_TEST

START_TEST(vector_verify_accepts)
{
	struct sk_key *k;
	struct tok_req r;
	struct vec v;

	get_vector(_i, &v);
	k = vector_key(&v);
	memset(&r, 0xa5, sizeof r);
	ck_assert_int_eq(tok_verify(v.token, sizeof v.token, k, v.door,
	    v.req.timestamp, 60, &r), TOK_OK);
	ck_assert_uint_eq(r.port, v.req.port);
	ck_assert_uint_eq(r.proto, v.req.proto);
	ck_assert_int_eq(r.timestamp, v.req.timestamp);
	ck_assert_mem_eq(r.allow.b, v.req.allow.b, sizeof r.allow.b);
	key_free(k);
}
END_TEST

START_TEST(vector_verify_rejects_other_door)
{
	static const char *const others[] = { "ssh", "web-admin", "SSH",
	    "ssh ", "sshd", "s", "ssh\x01" };
	struct sk_key *k;
	struct tok_req r;
	struct vec v;

	get_vector(_i, &v);
	k = vector_key(&v);
	for (size_t j = 0; j < sizeof others / sizeof others[0]; j++) {
		if (strcmp(others[j], v.door) == 0)
			continue;
		ck_assert_int_eq(tok_verify(v.token, sizeof v.token, k,
		    others[j], v.req.timestamp, 60, &r), TOK_E_MAC);
	}
	key_free(k);
}
END_TEST

START_TEST(vector_verify_rejects_other_key)
{
	struct vec v, w;
	struct sk_key *k;
	struct tok_req r;

	get_vector(_i, &v);
	get_vector((_i + 1) % 3, &w);
	k = vector_key(&w);
	ck_assert_int_eq(tok_verify(v.token, sizeof v.token, k, v.door,
	    v.req.timestamp, 60, &r), TOK_E_MAC);
	key_free(k);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("token-v1");

	tcase_add_test(tc, vector_file_has_three);
	tcase_add_loop_test(tc, vector_subkeys, 0, 3);
	tcase_add_loop_test(tc, vector_plain_both_ways, 0, 3);
	tcase_add_loop_test(tc, vector_build_exact, 0, 3);
	tcase_add_loop_test(tc, vector_verify_accepts, 0, 3);
	tcase_add_loop_test(tc, vector_verify_rejects_other_door, 0, 3);
	tcase_add_loop_test(tc, vector_verify_rejects_other_key, 0, 3);
	return check_run("vectors", tc);
}
