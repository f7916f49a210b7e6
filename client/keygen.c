/* keygen.c: knock --keygen NAME, a key file and the stanzas to paste. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "derive.h"
#include "key.h"
#include "knock.h"
#include "parse.h"

#define KEYGEN_DEF_DOOR		"ssh"
#define KEYGEN_DEF_OPEN		"22/tcp"
/* KNOCK_SERVER_KEYS (meson: confdir/keys) is where the server keeps keys. */
#define KEYGEN_SERVER_DIR	KNOCK_SERVER_KEYS
#define KEYGEN_PORT_MIN		10000
#define KEYGEN_PORT_MAX		60000
#define KEYGEN_STEPS		3

/* What --keygen prints, after the options are checked. */
struct keygen {
	const char	*name;
	const char	*host;
	const char	*door;
	struct sk_port	steps[SK_MAX_STEPS];
	size_t		n_steps;
	struct sk_port	open;
	const char	*fleet;			/* --fleet FILE, or NULL */
	char		key_path[SK_PATH_MAX];	/* the client's file */
	char		key_shown[SK_PATH_MAX];	/* as printed: ~/... */
	char		conf_shown[SK_PATH_MAX];
};

/*
 * name_ok(s): a section name every config reader keeps as is: lowercase
 * (iniparser lowercases section names), digits, '.', '_', '-'.
 */
static bool
name_ok(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len >= SK_NAME_MAX || s[0] == '.' || s[0] == '-')
		return false;
	for (i = 0; i < len; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyz0123456789._-", s[i]) ==
		    NULL)
			return false;
	return true;
}

/* host_ok(s): a host name or numeric address, safe in an INI value. */
static bool
host_ok(const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len >= KCONF_HOST_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.:_-%", s[i]) == NULL)
			return false;
	return true;
}

/* random_steps(kg): KEYGEN_STEPS distinct ports, tcp then udp, udp. */
static void
random_steps(struct keygen *kg)
{
	size_t i, j;
	unsigned tries;

	for (i = 0; i < KEYGEN_STEPS; i++) {
		for (tries = 0; tries < 100; tries++) {
			kg->steps[i].port = (uint16_t)(KEYGEN_PORT_MIN +
			    randombytes_uniform(KEYGEN_PORT_MAX -
			    KEYGEN_PORT_MIN + 1));
			for (j = 0; j < i && kg->steps[j].port !=
			    kg->steps[i].port; j++)
				;
			if (j == i)
				break;
		}
		kg->steps[i].proto = i == 0 ? SK_PROTO_TCP : SK_PROTO_UDP;
	}
	kg->n_steps = KEYGEN_STEPS;
}

/* keygen_opts(o, kg): check NAME, -d, -s, -p; returns 0 or 2. */
static int
keygen_opts(const struct knock_opts *o, struct keygen *kg)
{
	enum parse_err pe;

	kg->name = o->keygen;
	kg->host = o->keygen_host != NULL ? o->keygen_host : o->keygen;
	kg->door = o->door != NULL ? o->door : KEYGEN_DEF_DOOR;
	kg->fleet = o->fleet;
	if (!name_ok(kg->name) || !name_ok(kg->door)) {
		knock_err("%s: a key or door name is 1-%d characters of a-z, "
		    "0-9, '.', '_', '-' (lowercase: config section names are "
		    "lowercased); e.g. --keygen myserver",
		    name_ok(kg->name) ? kg->door : kg->name, SK_NAME_MAX - 1);
		return KNOCK_EXIT_USAGE;
	}
	if (!host_ok(kg->host)) {
		knock_err("--host %s: give a host name or numeric address "
		    "(letters, digits, '.', ':', '-', '_')", kg->host);
		return KNOCK_EXIT_USAGE;
	}
	if (o->seq == NULL)
		random_steps(kg);
	else if ((pe = parse_port_list(o->seq, SK_PROTO_TCP, kg->steps,
	    SK_MAX_STEPS, &kg->n_steps)) != PARSE_OK ||
	    !parse_token_step_ok(kg->steps, kg->n_steps)) {
		knock_err("-s %s: %s; use e.g. -s 7000/tcp,8000/udp,9000/udp "
		    "(a signed door's last step carries the token: UDP)",
		    o->seq, pe != PARSE_OK ? parse_strerror(pe) :
		    "the last step is not UDP");
		return KNOCK_EXIT_USAGE;
	}
	if ((pe = parse_port_proto(o->open != NULL ? o->open : KEYGEN_DEF_OPEN,
	    SK_PROTO_TCP, &kg->open)) != PARSE_OK) {
		knock_err("-p %s: %s; use e.g. -p 22/tcp", o->open,
		    parse_strerror(pe));
		return KNOCK_EXIT_USAGE;
	}
	return 0;
}

/* mkdir_p(dir): create ${dir} and its missing parents with mode 0700. */
static bool
mkdir_p(const char *dir)
{
	char buf[SK_PATH_MAX];
	char *p;

	if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf)
		return false;
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST)
			return false;
		*p = '/';
	}
	return mkdir(buf, 0700) == 0 || errno == EEXIST;
}

/* shown(path, home, out, out_len): "~/rest" when under home. */
static void
shown(const char *path, const char *home, char *out, size_t out_len)
{
	size_t hl = strlen(home);

	if (hl > 1 && strncmp(path, home, hl) == 0 && path[hl] == '/')
		(void)snprintf(out, out_len, "~%s", path + hl);
	else
		(void)snprintf(out, out_len, "%s", path);
}

/*
 * keygen_paths(kg, conf_path): the key file and client config paths (-c
 * FILE names the config the alias is for), the key directory made.
 */
static int
keygen_paths(struct keygen *kg, const char *conf_path)
{
	char dir[SK_PATH_MAX], home[SK_PATH_MAX] = "", conf[SK_PATH_MAX];

	if (!knock_conf_dir(dir, sizeof dir) ||
	    snprintf(kg->key_path, sizeof kg->key_path, "%s/%s.key", dir,
	    kg->name) >= (int)sizeof kg->key_path ||
	    snprintf(conf, sizeof conf, "%s/knock.conf", dir) >=
	    (int)sizeof conf) {
		knock_err("--keygen: no usable home directory: set HOME (or "
		    "XDG_CONFIG_HOME)");
		return KNOCK_EXIT_ERR;
	}
	if (!mkdir_p(dir)) {
		knock_err("%s: cannot create the directory: %s; create it "
		    "with mkdir -m 700 -p %s", dir, strerror(errno), dir);
		return KNOCK_EXIT_ERR;
	}
	if (kg->fleet != NULL && !knock_expand_opt("--fleet", kg->fleet,
	    "fleet key file", kg->key_path, sizeof kg->key_path))
		return KNOCK_EXIT_USAGE;
	(void)knock_home(home, sizeof home);
	shown(kg->key_path, home, kg->key_shown, sizeof kg->key_shown);
	shown(conf_path != NULL ? conf_path : conf, home, kg->conf_shown,
	    sizeof kg->conf_shown);
	return 0;
}

/* print_steps(steps, n): "7000/tcp, 8000/udp, 9000/udp". */
static void
print_steps(const struct sk_port *steps, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%s%u/%s", i > 0 ? ", " : "", steps[i].port,
		    parse_proto_name(steps[i].proto));
}

/* print_server(kg, b64): the shell line and the sknockd.conf stanzas. */
static void
print_server(const struct keygen *kg, const char *b64)
{
	printf("# ---- server, as root: create the server's copy of the key "
	    "(mode 0600)\n");
	printf("(set -C && umask 077 && mkdir -p %s && printf '%%s\\n' '%s' "
	    "> %s/%s.key)\n\n", KEYGEN_SERVER_DIR, b64, KEYGEN_SERVER_DIR,
	    kg->name);
	printf("# ---- server: add to %s\n", SK_CONF_PATH);
	printf("# (if it already has [door:%s], add %s to that door's clients "
	    "and use its\n# sequence and open in the client stanza below)\n",
	    kg->door, kg->name);
	printf("[client:%s]\nkey = %s/%s.key\n\n", kg->name, KEYGEN_SERVER_DIR,
	    kg->name);
	printf("[door:%s]\nsequence = ", kg->door);
	print_steps(kg->steps, kg->n_steps);
	printf("\nopen = %u/%s\nclients = %s\n", kg->open.port,
	    parse_proto_name(kg->open.proto), kg->name);
	printf("; yes once every client of this door knocks from a public "
	    "address (no NAT): knock signs it, a stolen token opens nothing "
	    "elsewhere\nrequire_source_address = no\n\n");
}

/* print_client(kg): the alias stanza for knock.conf. */
static void
print_client(const struct keygen *kg)
{
	printf("# ---- client: add to %s\n", kg->conf_shown);
	printf("[%s]\nhost = %s\ndoor = %s\nsequence = ", kg->name, kg->host,
	    kg->door);
	print_steps(kg->steps, kg->n_steps);
	printf("\nkey = %s\n", kg->key_shown);
	if (kg->fleet != NULL)
		printf("derive = %s\n", kg->name);
	printf("open = %u/%s\n", kg->open.port,
	    parse_proto_name(kg->open.proto));
}

/*
 * fleet_key(kg, fleet): reuse the fleet key in kg->key_path, or make the
 * file (0600) if it does not exist.  Returns 0 or 1, having said why.
 */
static int
fleet_key(const struct keygen *kg, uint8_t fleet[static SK_KEY_LEN],
    bool *made)
{
	char msg[KNOCK_MSG_LEN];
	struct stat st;

	*made = lstat(kg->key_path, &st) != 0 && errno == ENOENT;
	if (*made) {
		key_generate(fleet);
		if (key_save(kg->key_path, fleet, msg, sizeof msg) == KEY_OK)
			return 0;
	} else if (key_read_master(kg->key_path, fleet, msg, sizeof msg) ==
	    KEY_OK)
		return 0;
	knock_err("%s%s", msg, *made ? "" : " (--fleet FILE: a fleet key "
	    "file, 32 bytes of base64, mode 0600)");
	return KNOCK_EXIT_ERR;
}

/* new_master(kg, master): a new NAME.key, or derived from --fleet. */
static int
new_master(const struct keygen *kg, uint8_t master[static SK_KEY_LEN])
{
	char msg[KNOCK_MSG_LEN];
	uint8_t fleet[SK_KEY_LEN];
	bool made, ok;
	int rc;

	if (kg->fleet == NULL) {
		key_generate(master);
		if (key_save(kg->key_path, master, msg, sizeof msg) == KEY_OK) {
			printf("# sknock key \"%s\" saved to %s (mode 0600).\n",
			    kg->name, kg->key_path);
			return 0;
		}
		knock_err("%s", msg);
		return KNOCK_EXIT_ERR;
	}
	if ((rc = fleet_key(kg, fleet, &made)) != 0)
		return rc;
	ok = derive_server_key(fleet, kg->name, master);
	sodium_memzero(fleet, sizeof fleet);
	if (!ok)
		return KNOCK_EXIT_ERR;
	printf("# sknock key for \"%s\" derived from the fleet key %s %s; the "
	    "server\n# gets only this key, never the fleet key.\n", kg->name,
	    made ? "made in" : "in", kg->key_path);
	return 0;
}

/*
 * keygen_run(o): write a new key to ~/.config/sknock/NAME.key (never
 * overwriting), or derive it from --fleet FILE, and print the stanzas.
 * Returns an exit status.
 */
int
keygen_run(const struct knock_opts *o)
{
	uint8_t master[SK_KEY_LEN];
	char b64[KEY_B64_LEN + 1];
	struct keygen kg;
	int rc;

	memset(&kg, 0, sizeof kg);
	if ((rc = keygen_opts(o, &kg)) != 0 ||
	    (rc = keygen_paths(&kg, o->conf_path)) != 0)
		return rc;
	if ((rc = new_master(&kg, master)) != 0)
		goto out;
	key_encode(master, b64);
	printf("# A key belongs to one server: the replay cache is per "
	    "server, so a token\n# seen on its way to one server could be "
	    "replayed to another server that\n# holds the same key. For "
	    "another server, run knock --keygen with a new name.\n\n");
	print_server(&kg, b64);
	print_client(&kg);
out:
	sodium_memzero(master, sizeof master);
	sodium_memzero(b64, sizeof b64);
	return rc;
}

/* keygen_derive(o): --derive NAME -k FILE prints NAME's key, base64. */
int
keygen_derive(const struct knock_opts *o)
{
	uint8_t master[SK_KEY_LEN];
	char path[SK_PATH_MAX], b64[KEY_B64_LEN + 1];
	int rc;

	if (!name_ok(o->derive)) {
		knock_err("--derive %s: a server name is 1-%d characters of "
		    "a-z, 0-9, '.', '_', '-'; e.g. --derive web01", o->derive,
		    SK_NAME_MAX - 1);
		return KNOCK_EXIT_USAGE;
	}
	if (!knock_expand_opt("-k", o->key_path, "fleet key file", path,
	    sizeof path))
		return KNOCK_EXIT_USAGE;
	if ((rc = plan_master(path, o->derive, master)) != 0)
		return rc;
	key_encode(master, b64);
	printf("%s\n", b64);
	sodium_memzero(master, sizeof master);
	sodium_memzero(b64, sizeof b64);
	return 0;
}
