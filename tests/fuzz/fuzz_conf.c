/*
 * fuzz_conf: conf_parse on the input as the main file, and whatever
 * follows a line "%%" as a clients_dir file, then conf_finish.  A config
 * it accepts must hold only what the daemon can use: bounded counts,
 * real ports, terminated names, client indices in range.
 */
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_port(const struct sk_port *p)
{
	FUZZ_ASSERT(p->port != 0);
	FUZZ_ASSERT(p->proto == SK_PROTO_TCP || p->proto == SK_PROTO_UDP);
}

static void
check_door(const struct conf *c, const struct conf_door *d)
{
	FUZZ_ASSERT(memchr(d->name, '\0', sizeof d->name) != NULL);
	FUZZ_ASSERT(d->name[0] != '\0');
	FUZZ_ASSERT(d->n_steps >= 1 && d->n_steps <= SK_MAX_STEPS);
	FUZZ_ASSERT(d->n_open >= 1 && d->n_open <= SK_MAX_OPEN);
	for (size_t i = 0; i < d->n_steps; i++)
		check_port(&d->steps[i]);
	for (size_t i = 0; i < d->n_open; i++)
		check_port(&d->open[i]);
	FUZZ_ASSERT(d->n_clients <= c->n_clients);
	for (size_t i = 0; i < d->n_clients; i++) {
		FUZZ_ASSERT(d->clients[i] < c->n_clients);
		for (size_t j = 0; j < i; j++)	/* each client once */
			FUZZ_ASSERT(d->clients[j] != d->clients[i]);
	}
	if (d->is_signed) {
		FUZZ_ASSERT(d->n_clients >= 1);
		FUZZ_ASSERT(d->steps[d->n_steps - 1].proto == SK_PROTO_UDP);
	}
	FUZZ_ASSERT(conf_door_find(c, d->name) >= 0);
}

static void
check_conf(const struct conf *c)
{
	FUZZ_ASSERT(c->n_ifaces >= 1 && c->n_ifaces <= SK_MAX_IFACES);
	for (size_t i = 0; i < c->n_ifaces; i++)
		FUZZ_ASSERT(memchr(c->ifaces[i], '\0', CONF_IFNAME_MAX)
		    != NULL && c->ifaces[i][0] != '\0');
	FUZZ_ASSERT(memchr(c->hook, '\0', sizeof c->hook) != NULL);
	FUZZ_ASSERT(memchr(c->state_dir, '\0', sizeof c->state_dir) != NULL);
	FUZZ_ASSERT(c->max_sources >= 1);
	FUZZ_ASSERT(c->n_doors <= SK_MAX_DOORS);
	FUZZ_ASSERT(c->n_clients <= SK_MAX_CLIENTS);
	for (size_t i = 0; i < c->n_clients; i++) {
		FUZZ_ASSERT(memchr(c->clients[i].name, '\0',
		    sizeof c->clients[i].name) != NULL);
		FUZZ_ASSERT(c->clients[i].key_path != NULL);
		FUZZ_ASSERT(c->clients[i].key_path[0] == '/');
		FUZZ_ASSERT(c->clients[i].expires_s >= 0);
		FUZZ_ASSERT(c->clients[i].file != NULL);
		FUZZ_ASSERT(conf_client_find(c, c->clients[i].name,
		    strlen(c->clients[i].name)) == (int)i);
	}
	for (size_t i = 0; i < c->n_doors; i++)
		check_door(c, &c->doors[i]);
}

/* split(data, size, main_len): the main file ends at a line "%%". */
static const uint8_t *
split(const uint8_t *data, size_t size, size_t *main_len, size_t *rest_len)
{
	for (size_t i = 0; i + 3 <= size; i++) {
		if ((i == 0 || data[i - 1] == '\n') && data[i] == '%' &&
		    data[i + 1] == '%' && data[i + 2] == '\n') {
			*main_len = i;
			*rest_len = size - i - 3;
			return data + i + 3;
		}
	}
	*main_len = size;
	*rest_len = 0;
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned reported = 0, errors;
	const uint8_t *rest;
	size_t main_len, rest_len;
	struct conf c;

	/* Garbage first: conf_init must set every field it promises. */
	memset(&c, 0xa5, sizeof c);
	conf_init(&c, "/usr/libexec/sknock/nft");
	rest = split(data, size, &main_len, &rest_len);
	errors = conf_parse(&c, (const char *)data, main_len, "fuzz.conf",
	    fuzz_report, &reported);
	if (rest != NULL)
		errors += conf_parse_clients(&c, (const char *)rest, rest_len,
		    "clients.d/fuzz.conf", fuzz_report, &reported);
	errors += conf_finish(&c, fuzz_report, &reported);
	/* Every error is reported, and a report means an error. */
	FUZZ_ASSERT((errors == 0) == (reported == 0));
	if (errors == 0)
		check_conf(&c);
	conf_free(&c);
	return 0;
}
