/*
 * fuzz_kconf: kconf_parse on the input, as knock.conf's text.  A config
 * it accepts must hold only what the client can send: bounded counts,
 * real ports, terminated names; one with errors holds nothing.
 */
#include <string.h>

#include "fuzz_util.h"
#include "kconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_host(const struct kconf *k, const struct kconf_host *h)
{
	FUZZ_ASSERT(memchr(h->alias, '\0', sizeof h->alias) != NULL);
	FUZZ_ASSERT(memchr(h->host, '\0', sizeof h->host) != NULL);
	FUZZ_ASSERT(memchr(h->door, '\0', sizeof h->door) != NULL);
	FUZZ_ASSERT(memchr(h->key_path, '\0', sizeof h->key_path) != NULL);
	FUZZ_ASSERT(memchr(h->derive, '\0', sizeof h->derive) != NULL);
	FUZZ_ASSERT(h->alias[0] != '\0' && h->host[0] != '\0');
	FUZZ_ASSERT(h->n_steps >= 1 && h->n_steps <= SK_MAX_STEPS);
	for (size_t i = 0; i < h->n_steps; i++) {
		FUZZ_ASSERT(h->steps[i].port != 0);
		FUZZ_ASSERT(h->steps[i].proto == SK_PROTO_TCP
		    || h->steps[i].proto == SK_PROTO_UDP);
	}
	if (h->open.port != 0)
		FUZZ_ASSERT(h->open.proto == SK_PROTO_TCP
		    || h->open.proto == SK_PROTO_UDP);
	/* Looking the alias up finds a host of that alias. */
	const struct kconf_host *f = kconf_find(k, h->alias);
	FUZZ_ASSERT(f != NULL && strcmp(f->alias, h->alias) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned reported = 0, errors;
	struct kconf k;

	memset(&k, 0xa5, sizeof k);
	errors = kconf_parse((const char *)data, size, "fuzz.conf",
	    "/home/fuzz", &k, fuzz_report, &reported);
	FUZZ_ASSERT((errors == 0) == (reported == 0));
	if (errors == 0) {
		FUZZ_ASSERT(k.n_hosts <= KCONF_MAX_HOSTS);
		for (size_t i = 0; i < k.n_hosts; i++)
			check_host(&k, &k.hosts[i]);
	} else
		FUZZ_ASSERT(k.n_hosts == 0 && k.hosts == NULL);
	kconf_free(&k);
	return 0;
}
