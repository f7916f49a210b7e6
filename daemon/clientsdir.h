/* clientsdir.h: the client files of clients_dir, read for conf_parse_clients. */
#ifndef SKD_CLIENTSDIR_H
#define SKD_CLIENTSDIR_H

#include <stdbool.h>
#include <sys/types.h>

#include "conf.h"

/*
 * clientsdir_load(c, dir, explicit, euid, report, warn, ctx): every
 * "*.conf" entry of ${dir}, in byte order of the names, into ${c} with
 * conf_parse_clients.  A missing ${dir} is no error (a warning when
 * ${explicit}: clients_dir names it).  Errors (each "FILE:
 * problem; fix", or the parser's "FILE:LINE: ..."): a directory or file
 * that group or others may write, or that neither root nor ${euid} owns
 * (a symlink is judged by the file it points to), an entry that is not
 * a regular file, and whatever the parser finds.  Names starting with
 * '.' are skipped; other names not ending in ".conf" go to ${warn}
 * (they are never read, so a stray file grants nothing and never blocks
 * a reload).  Returns the number of errors.  Does file I/O.
 */
unsigned clientsdir_load(struct conf *c, const char *dir, bool explicit,
    uid_t euid, conf_report_fn *report, conf_report_fn *warn, void *ctx);

/*
 * clientsdir_default(conf_path, out, cap): "clients.d" beside the main
 * file (/etc/sknock/clients.d for /etc/sknock/sknockd.conf); false if it
 * does not fit.
 */
bool clientsdir_default(const char *conf_path, char *out, size_t cap);

#endif
