/* paths.c: the user's home and sknock config directory. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "knock.h"

/* knock_home(out, out_len): $HOME, else the passwd entry; false if none. */
bool
knock_home(char *out, size_t out_len)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home == NULL || home[0] != '/') {
		pw = getpwuid(getuid());
		home = pw != NULL ? pw->pw_dir : NULL;
	}
	if (home == NULL || home[0] != '/')
		return false;
	return snprintf(out, out_len, "%s", home) < (int)out_len;
}

/*
 * knock_conf_dir(out, out_len): $XDG_CONFIG_HOME/sknock when that is an
 * absolute path (the XDG spec ignores relative ones), else
 * ~/.config/sknock.  False when there is no home or it is too long.
 */
bool
knock_conf_dir(char *out, size_t out_len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	char home[SK_PATH_MAX];

	if (xdg != NULL && xdg[0] == '/')
		return snprintf(out, out_len, "%s/sknock", xdg) <
		    (int)out_len;
	if (!knock_home(home, sizeof home))
		return false;
	return snprintf(out, out_len, "%s/.config/sknock", home) <
	    (int)out_len;
}

/*
 * knock_expand_home(path, out, out_len): ${path} with a leading "~/"
 * replaced by the home directory (as in knock.conf's key =), for
 * --key=~/... where no shell expanded it.  False if too long or homeless.
 */
static bool
knock_expand_home(const char *path, char *out, size_t out_len)
{
	char home[SK_PATH_MAX];

	return kconf_expand_home(path, knock_home(home, sizeof home) ? home :
	    NULL, out, out_len);
}

/*
 * knock_expand_opt(opt, path, what, out, out_len): knock_expand_home for
 * the path given to option ${opt}; false after saying "OPT PATH: too
 * long, ...; give the WHAT's full path".
 */
bool
knock_expand_opt(const char *opt, const char *path, const char *what,
    char *out, size_t out_len)
{
	if (knock_expand_home(path, out, out_len))
		return true;
	knock_err("%s %s: too long, or ~ without a home directory; give the "
	    "%s's full path", opt, path, what);
	return false;
}
