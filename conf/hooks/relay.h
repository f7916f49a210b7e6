/* relay.h: the nft hook, without CAP_NET_ADMIN, asks the hook server that holds it. */
#ifndef SK_RELAY_H
#define SK_RELAY_H

#include <stdbool.h>

/*
 * relay_wanted(path): true when this process may not change the firewall
 * (no CAP_NET_ADMIN in its effective set) and ${path} is a socket: the
 * unit sknock-nft.socket, which starts `nft serve` with that capability
 * for each connection.  A hook that has the capability does the work
 * itself, as before.
 */
bool relay_wanted(const char *path);

/*
 * relay_serve(path): `nft serve` through the socket: the server's
 * greeting and replies to stdout, sknockd's requests from stdin to it,
 * until either side ends.  An exit status (1: cannot reach it).
 */
int relay_serve(const char *path);

/*
 * relay_once(path, action): a one-shot run of ${action} (the SKNOCK_*
 * environment as its request) through the socket.  Exit status 0 ok,
 * 1 refused or unreachable, 3 for a check whose guard is not whole.
 */
int relay_once(const char *path, const char *action);

#endif
