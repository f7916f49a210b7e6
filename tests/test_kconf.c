/* test_kconf.c: kconf_load over real files, and kconf_find. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kconf.h"
#include "ini.h"
#include "conf_fixture.h"
#include "check_main.h"

#define HOME	"/home/ann"
#define HOST	"[myserver]\nhost = myserver.example.org\ndoor = ssh\n" \
		"sequence = 7000/tcp, 8000/udp, 9000/udp\n" \
		"key = ~/.config/sknock/myserver.key\n"	/* lines 1-5 */

static unsigned
load_kconf(const char *path, void *out, conf_report_fn *report, void *ctx)
{
	return kconf_load(path, HOME, out, report, ctx);
}

static unsigned
load_kconf_root(const char *path, void *out, conf_report_fn *report,
    void *ctx)
{
	return kconf_load(path, "/root", out, report, ctx);
}

static unsigned
load_kconf_nohome(const char *path, void *out, conf_report_fn *report,
    void *ctx)
{
	return kconf_load(path, NULL, out, report, ctx);
}

#define KCONF(r)		((struct kconf *)(r)->out)
#define load_len(text, len, fn)	fix_load((text), (len), (fn), \
				    sizeof(struct kconf))
#define load(text)		load_len((text), strlen(text), load_kconf)
#define ok_text(text)		fix_ok(load_kconf, sizeof(struct kconf), (text))
#define one_error(text, line, tail) \
	fix_one_error(load_kconf, sizeof(struct kconf), (text), (line), (tail))
/* run_free(r): the aliases, then the fixture. */
static void
run_free(struct fix_run *r)
{
	kconf_free(KCONF(r));
	fix_run_free(r);
}

/* kconf_parse over a buffer: no file, the name in every message. */
START_TEST(parse_over_a_buffer)
{
	static const char text[] = "[a]\nhost = 192.0.2.1\nsequence = 1/udp\n"
	    "key = ~/k\ndoor = ssh\nderive = web01\n[b]\nsequence = 99999\n";
	struct fix_msgs m = { .n = 0 };
	struct kconf k;

	/* Without the bad last line: one alias, derive and ~ expanded. */
	ck_assert_uint_eq(kconf_parse(text, strstr(text, "[b]") - text,
	    "mem.conf", HOME, &k, fix_report, &m), 0);
	ck_assert_uint_eq(k.n_hosts, 1);
	ck_assert_str_eq(k.hosts[0].derive, "web01");
	ck_assert_str_eq(k.hosts[0].key_path, HOME "/k");
	kconf_free(&k);
	ck_assert_ptr_null(k.hosts);
	/* With it: the error names the buffer and line; nothing kept. */
	ck_assert_uint_eq(kconf_parse(text, sizeof text - 1, "mem.conf", HOME,
	    &k, fix_report, &m), 1);
	ck_assert_uint_eq(m.n, 1);
	ck_assert_msg(strncmp(m.msg[0], "mem.conf:8: sequence = 99999: ", 30) ==
	    0, "got %s", m.msg[0]);
	ck_assert_uint_eq(k.n_hosts, 0);
}
END_TEST

START_TEST(example_config_loads)
{
	char path[4096];
	struct fix_msgs m = { .n = 0 };
	struct kconf *k = malloc(sizeof *k);
	const struct kconf_host *h;

	fix_src_path("conf/knock.conf", path);
	ck_assert_uint_eq(kconf_load(path, HOME, k, fix_report, &m), 0);
	ck_assert_uint_eq(k->n_hosts, 1);
	h = kconf_find(k, "myserver");
	ck_assert_ptr_nonnull(h);
	ck_assert_str_eq(h->host, "myserver.example.org");
	ck_assert_str_eq(h->door, "ssh");
	ck_assert_uint_eq(h->n_steps, 3);
	ck_assert_uint_eq(h->steps[2].proto, SK_PROTO_UDP);
	ck_assert_str_eq(h->key_path, HOME "/.config/sknock/myserver.key");
	ck_assert_uint_eq(h->open.port, 22);
	ck_assert_uint_eq(h->open.proto, SK_PROTO_TCP);
	ck_assert(addr_is_zero(&h->allow));
	ck_assert_ptr_eq(kconf_find(k, "myserver.example.org"), h);
	kconf_free(k);
	free(k);
}
END_TEST

START_TEST(every_key_valid)
{
	struct fix_run *r = ok_text(HOST "open = 2222/TCP\nallow = 198.51.100.7\n"
	    "[Web]\nsequence = 3001 3002, 3003\nopen = 80\n"
	    "[v6]\nhost = 2001:db8::1\ndoor = spa.1\nsequence = 62201/udp\n"
	    "key = /etc/k\nallow = 2001:db8::7\n");
	const struct kconf_host *h = &KCONF(r)->hosts[0];
	struct sk_addr a;

	ck_assert_uint_eq(KCONF(r)->n_hosts, 3);
	ck_assert_str_eq(h->alias, "myserver");
	ck_assert_uint_eq(h->line, 1);
	ck_assert_uint_eq(h->open.port, 2222);
	ck_assert_int_eq(addr_parse("198.51.100.7", &a), ADDR_OK);
	ck_assert(addr_eq(&h->allow, &a));
	h = &KCONF(r)->hosts[1];		/* unsigned: no key, no door */
	ck_assert_str_eq(h->alias, "web");	/* iniparser lowercases */
	ck_assert_str_eq(h->host, "web");	/* default: the alias */
	ck_assert_str_eq(h->key_path, "");
	ck_assert_str_eq(h->door, "");
	ck_assert_uint_eq(h->n_steps, 3);
	ck_assert_uint_eq(h->steps[0].proto, SK_PROTO_TCP);
	ck_assert_uint_eq(h->line, 8);
	h = &KCONF(r)->hosts[2];
	ck_assert_str_eq(h->host, "2001:db8::1");
	ck_assert_str_eq(h->door, "spa.1");
	ck_assert_str_eq(h->key_path, "/etc/k");
	ck_assert_uint_eq(h->open.port, 0);	/* not given */
	ck_assert_int_eq(addr_parse("2001:db8::7", &a), ADDR_OK);
	ck_assert(addr_eq(&h->allow, &a));
	run_free(r);
}
END_TEST

START_TEST(find_by_alias_then_host)
{
	struct fix_run *r = ok_text("[a]\nhost = 192.0.2.1\nsequence = 1\n"
	    "[b]\nhost = a\nsequence = 2\n"
	    "[c]\nhost = 192.0.2.1\nsequence = 3\n");
	const struct kconf *k = KCONF(r);

	ck_assert_ptr_eq(kconf_find(k, "a"), &k->hosts[0]);	/* alias first */
	ck_assert_ptr_eq(kconf_find(k, "A"), &k->hosts[0]);
	ck_assert_ptr_eq(kconf_find(k, "b"), &k->hosts[1]);
	ck_assert_ptr_eq(kconf_find(k, "192.0.2.1"), &k->hosts[0]);
	ck_assert_ptr_null(kconf_find(k, "192.0.2.2"));
	ck_assert_ptr_null(kconf_find(k, ""));
	ck_assert_ptr_null(kconf_find(k, NULL));
	run_free(r);
}
END_TEST

START_TEST(key_path_home)
{
	struct fix_run *r;

	r = load_len(HOST, strlen(HOST), load_kconf_root);
	ck_assert_uint_eq(r->n_err, 0);
	ck_assert_str_eq(KCONF(r)->hosts[0].key_path,
	    "/root/.config/sknock/myserver.key");
	run_free(r);
	r = load_len(HOST, strlen(HOST), load_kconf_nohome);
	ck_assert_uint_eq(r->n_err, 1);
	ck_assert(strstr(r->m.msg[0], ":5: key = ~/.config/sknock/myserver.key: "
	    "no home directory to expand ~ with; give an absolute path")
	    != NULL);
	run_free(r);
	one_error("[h]\ndoor = d\nsequence = 9/udp\nkey = ~bob/k\n", 4,
	    "key = ~bob/k: not an absolute path or ~/PATH; use e.g. "
	    "~/.config/sknock/myserver.key");
	one_error("[h]\ndoor = d\nsequence = 9/udp\nkey = k.key\n", 4,
	    "key = k.key: not an absolute path or ~/PATH; use e.g. "
	    "~/.config/sknock/myserver.key");
	one_error("[h]\ndoor = d\nsequence = 9/udp\nkey =\n", 4,
	    "key = : not an absolute path or ~/PATH; use e.g. "
	    "~/.config/sknock/myserver.key");
}
END_TEST

START_TEST(key_errors)
{
	one_error(HOST "open = 22/sctp\n", 6, "open = 22/sctp: protocol not tcp "
	    "or udp; use e.g. 22/tcp");
	one_error(HOST "open = 0\n", 6, "open = 0: port not in 1-65535; use "
	    "e.g. 22/tcp");
	one_error(HOST "open = 22, 23\n", 6, "open = 22, 23: not PORT/PROTO; "
	    "use e.g. 22/tcp");
	one_error(HOST "allow = example.org\n", 6, "allow = example.org: not a "
	    "numeric IPv4 or IPv6 address; use e.g. 198.51.100.7");
	one_error(HOST "allow = 10.0.0.300\n", 6, "allow = 10.0.0.300: not a "
	    "numeric IPv4 or IPv6 address; use e.g. 198.51.100.7");
	one_error("[h]\nhost = my host\nsequence = 1\n", 2, "host = my host: "
	    "not a host name "
	    "or address; use e.g. myserver.example.org or 192.0.2.7");
	one_error(HOST "port = 22\n", 6, "port = 22: unknown key in a host "
	    "section; use one of: host, door, sequence, key, derive, open, allow");
	one_error("[h]\ndoor = SSH\nsequence = 9/udp\nkey = /k\n", 2,
	    "door = SSH: not a door name; use 1-63 of a-z 0-9 . _ - as in the "
	    "server's [door:NAME], e.g. ssh");
	one_error("[h]\ndoor = a b\nsequence = 9/udp\nkey = /k\n", 2,
	    "door = a b: not a door name; use 1-63 of a-z 0-9 . _ - as in the "
	    "server's [door:NAME], e.g. ssh");
	one_error("[h]\nsequence = 9/udp\nkey = /k\n", 1, "[h]: a signed knock "
	    "needs the door name; add e.g. door = ssh");
	one_error("[h]\ndoor = ssh\nkey = /k\n", 1, "[h]: no sequence; add the "
	    "door's, e.g. sequence = 7000/tcp, 8000/udp, 9000/udp");
	one_error("[h]\ndoor = ssh\nsequence = 1/udp, 2/tcp\nkey = /k\n", 3,
	    "sequence = 1/udp, 2/tcp: the last step of a signed knock carries "
	    "the token, so it must be UDP; end with e.g. 2/udp, or remove key "
	    "for an unsigned door");
	one_error("[h]\nsequence = 1/udp, 2/tcp\nallow = 192.0.2.1\n", 3,
	    "allow = 192.0.2.1: only a signed knock carries an address; add "
	    "key = PATH or remove allow");
	one_error("[h]\nsequence = 1, 2/x\n", 2, "sequence = 1, 2/x: 2/x: "
	    "protocol not tcp or udp; use e.g. 7000/tcp, 8000/udp, 9000/udp");
	one_error(HOST "door = ssh\n", 6, "door: repeated in [myserver] (first "
	    "on line 3); keep one");
	one_error(HOST "[MyServer]\nopen = 22\n", 6, "[MyServer]: section repeated (first on line "
	    "1); merge or rename one");
}
END_TEST

START_TEST(alias_rules)
{
	char text[256], name[80];

	memset(name, 'h', 64);
	name[64] = '\0';
	snprintf(text, sizeof text, "[%s]\nsequence = 1\n", name);
	one_error(text, 1, "[hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh"
	    "hhhhhhhhhhhhhh]: bad host alias; use 1-63 letters, digits, '.', "
	    "'_', '-', e.g. [myserver]");
	name[63] = '\0';
	snprintf(text, sizeof text, "[%s]\nsequence = 1\n", name);
	run_free(ok_text(text));
	one_error("[a:b]\nsequence = 1\n", 1, "[a:b]: bad host alias; use 1-63 "
	    "letters, digits, '.', '_', '-', e.g. [myserver]");
	one_error("[a b]\nsequence = 1\n[ok]\nsequence = 1\n", 1, "[a b]: bad section name; use "
	    "only letters, digits, '.', '_', '-' and one ':' (as in "
	    "[door:ssh])");
}
END_TEST

START_TEST(bad_files)
{
	static const char junk[] = "\x00\x01\x02[\xff]\n=\n\\";
	struct fix_msgs m = { .n = 0 };
	struct kconf *k = malloc(sizeof *k);
	struct fix_run *r;

	ck_assert_uint_eq(kconf_load("/nonexistent/knock.conf", HOME, k,
	    fix_report, &m), 1);
	ck_assert_str_eq(m.msg[0], "/nonexistent/knock.conf: cannot open: No "
	    "such file or directory; check the path");
	ck_assert_uint_eq(k->n_hosts, 0);
	free(k);
	r = load("");		/* a fresh, empty knock.conf is fine */
	ck_assert_uint_eq(r->n_err, 0);
	run_free(r);
	r = load_len(junk, sizeof junk - 1, load_kconf);
	ck_assert_uint_eq(r->n_err, 3);	/* NUL, "=", "\" */
	run_free(r);
}
END_TEST

START_TEST(too_many_hosts)
{
	size_t cap = 32 * (KCONF_MAX_HOSTS + 1);
	char *text = malloc(cap);
	size_t off = 0;
	struct fix_run *r;

	for (int i = 0; i <= KCONF_MAX_HOSTS; i++)
		off += (size_t)snprintf(text + off, cap - off,
		    "[h%d]\nsequence = 1\n", i);
	r = load_len(text, off, load_kconf);
	ck_assert_uint_eq(r->n_err, 1);
	ck_assert(strstr(r->m.msg[0], ":2049: [h1024]: more than 1024 hosts; "
	    "remove some") != NULL);
	/* A file with errors gives no aliases at all: none half-read. */
	ck_assert_uint_eq(KCONF(r)->n_hosts, 0);
	run_free(r);
	free(text);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("kconf");

	tcase_add_test(tc, parse_over_a_buffer);
	tcase_add_test(tc, example_config_loads);
	tcase_add_test(tc, every_key_valid);
	tcase_add_test(tc, find_by_alias_then_host);
	tcase_add_test(tc, key_path_home);
	tcase_add_test(tc, key_errors);
	tcase_add_test(tc, alias_rules);
	tcase_add_test(tc, bad_files);
	tcase_add_test(tc, too_many_hosts);
	return check_run("kconf", tc);
}
