/*
 * fuzz_conf: conf_load on the input as a file (a memfd, by its
 * /proc/self/fd/N name).  A config it accepts must hold only what the
 * daemon can use: bounded counts, real ports, terminated names.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	FUZZ_ASSERT(d->n_clients <= SK_MAX_CLIENTS);
	for (size_t i = 0; i < d->n_clients; i++)
		FUZZ_ASSERT(d->clients[i] < c->n_clients);
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
		FUZZ_ASSERT(memchr(c->clients[i].key_path, '\0',
		    sizeof c->clients[i].key_path) != NULL);
		FUZZ_ASSERT(c->clients[i].key_path[0] != '\0');
	}
	for (size_t i = 0; i < c->n_doors; i++)
		check_door(c, &c->doors[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	unsigned reported = 0, errors;
	/* One buffer for the process: a fresh megabyte per run is slow. */
	static struct conf *c;
	int fd;

	if (c == NULL && (c = malloc(sizeof *c)) == NULL)
		abort();
	/* Garbage first: conf_load must set every field it promises. */
	memset(c, 0xa5, sizeof *c);
	fd = fuzz_memfd_path(data, size, path, sizeof path);
	errors = conf_load(path, "/usr/libexec/sknock/nft", c, fuzz_report,
	    &reported);
	close(fd);
	/* Every error is reported, and a report means an error. */
	FUZZ_ASSERT((errors == 0) == (reported == 0));
	if (errors == 0)
		check_conf(c);
	return 0;
}
