/* main.c: knock's composition root: options, then one mode. */
#include <signal.h>
#include <stdio.h>

#include <sodium.h>

#include "knock.h"

/* print_text(text): help or version on stdout; 0, or 1 if unwritable. */
static int
print_text(const char *a, const char *b)
{
	printf("%s%s", a, b);
	return fflush(stdout) == 0 ? 0 : KNOCK_EXIT_ERR;
}

int
main(int argc, char **argv)
{
	struct knock_opts o;
	struct knock_log lg;
	int rc;

	knock_log_init(&lg, false);
	if ((rc = opts_parse(argc, argv, &o)) != 0)
		return rc;
	lg.verbose = o.verbose;
	/* knockd's form with -v also says what knockd's client says. */
	lg.hits = o.verbose && o.n_ports > 0 && !o.dry_run;
	if (o.mode == KM_HELP)
		return print_text(knock_usage, knock_help);
	if (o.mode == KM_VERSION)
		return print_text("knock (sknock) " SK_VERSION "\n", "");
	/* A reader that went away is an EPIPE to handle, not a death. */
	(void)signal(SIGPIPE, SIG_IGN);
	if (sodium_init() < 0) {
		knock_err("libsodium failed to initialise; check that "
		    "/dev/urandom is readable");
		return KNOCK_EXIT_ERR;
	}
	if (o.mode == KM_KEYGEN)
		rc = keygen_run(&o);
	else if (o.mode == KM_DERIVE)
		rc = keygen_derive(&o);
	else
		rc = run_knock(&o, &lg);
	if (fflush(stdout) != 0 && rc == 0 && o.mode != KM_PROXY) {
		knock_err("cannot write to stdout");
		rc = KNOCK_EXIT_ERR;
	}
	return rc;
}
