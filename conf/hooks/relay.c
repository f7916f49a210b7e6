/*
 * relay.c: the nft hook's way to the hook server.  Under systemd sknockd's
 * own unit has no CAP_NET_ADMIN: the process that reads keys, config and
 * the capture child's messages has no power to rewrite the firewall.
 * The nft hook it starts then forwards its requests, unchanged, to
 * sknock-nft.socket, whose per-connection server (sknock-nft@.service)
 * holds CAP_NET_ADMIN and nothing that sknockd holds.
 */
#include "relay.h"

#include <errno.h>
#include <linux/capability.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "caps.h"
#include "fdio.h"

#define RELAY_NAME	"sknock-nft"
#define RELAY_BUF	4096	/* a request line, as the server reads it */
#define GREETING	"sknock-hook 1"

static bool
has_net_admin(void)
{
	uint64_t eff, prm;

	if (!caps_read(&eff, &prm))
		return true;	/* cannot tell: try the work here, as before */
	return (eff & CAPS_BIT(CAP_NET_ADMIN)) != 0;
}

bool
relay_wanted(const char *path)
{
	struct stat st;

	return !has_net_admin() && lstat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

/*
 * The socket's directory must be root's and closed to others, or
 * whoever could put a socket there would be told every open and could
 * answer "ok" to a guard that is not up.
 */
static bool
dir_ok(const char *path)
{
	char dir[sizeof ((struct sockaddr_un *)0)->sun_path];
	char *slash;
	struct stat st;

	snprintf(dir, sizeof dir, "%s", path);
	slash = strrchr(dir, '/');
	if (slash == NULL || slash == dir)
		return false;
	*slash = '\0';
	return lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == 0 &&
	    (st.st_mode & 022) == 0;
}

static int
relay_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof sa.sun_path || !dir_ok(path)) {
		fprintf(stderr, "%s: %s: not used: its directory must be owned "
		    "by root and not writable by group or others\n", RELAY_NAME,
		    path);
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1 || connect(fd, (struct sockaddr *)&sa, sizeof sa) == -1) {
		fprintf(stderr, "%s: cannot reach the hook server at %s: %s; "
		    "is sknock-nft.socket running (systemctl status "
		    "sknock-nft.socket)?\n", RELAY_NAME, path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	return fd;
}

/* pump(from, to, eof): move what ${from} has to ${to}; false on an error. */
static bool
pump(int from, int to, bool *eof)
{
	char buf[RELAY_BUF];
	ssize_t n = read(from, buf, sizeof buf);

	if (n == -1)
		return errno == EINTR || errno == EAGAIN;
	*eof = n == 0;
	return n == 0 || fd_write_all(to, buf, (size_t)n);
}

int
relay_serve(const char *path)
{
	int fd = relay_connect(path);
	struct pollfd p[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = fd, .events = POLLIN } };
	bool in_eof = false, srv_eof = false, ok = true;

	if (fd == -1)
		return 1;
	while (ok && !srv_eof) {
		p[0].fd = in_eof ? -1 : STDIN_FILENO;
		if (poll(p, 2, -1) == -1) {
			ok = errno == EINTR;
			continue;
		}
		if (p[0].revents != 0) {
			ok = pump(STDIN_FILENO, fd, &in_eof);
			if (in_eof)	/* sknockd is done: so is the server */
				shutdown(fd, SHUT_WR);
		}
		if (ok && p[1].revents != 0)
			ok = pump(fd, STDOUT_FILENO, &srv_eof);
	}
	close(fd);
	return ok ? 0 : 1;
}

/*
 * request(action, buf, len): "ACTION KEY=VALUE...\n" from the SKNOCK_*
 * environment, as sknockd writes it to a server (a guard list's spaces
 * become commas, so each pair stays one word).
 */
static bool
request(const char *action, char *buf, size_t len)
{
	static const char *const keys[] = { "door", "client", "address",
	    "family", "proto", "port", "timeout", "guard", "guard_forward" };
	size_t off = (size_t)snprintf(buf, len, "%s", action);

	for (size_t i = 0; i < sizeof keys / sizeof keys[0] && off < len; i++) {
		char name[32];
		const char *v;
		size_t j;
		int n;

		snprintf(name, sizeof name, "SKNOCK_%s", keys[i]);
		for (j = 7; name[j] != '\0'; j++)
			if (name[j] >= 'a' && name[j] <= 'z')
				name[j] = (char)(name[j] - 'a' + 'A');
		if ((v = getenv(name)) == NULL)
			continue;
		if (strpbrk(v, "\n\r") != NULL)
			return false;	/* one request is one line */
		n = snprintf(buf + off, len - off, " %s=%s", keys[i], v);
		if (n < 0 || (size_t)n >= len - off)
			return false;
		for (j = off + 1; j < off + (size_t)n; j++)
			buf[j] = buf[j] == ' ' ? ',' : buf[j];
		off += (size_t)n;
	}
	if (off + 2 > len)
		return false;
	memcpy(buf + off, "\n", 2);
	return true;
}

/* line(in, buf, len): one line without its newline; false at EOF. */
static bool
line(FILE *in, char *buf, size_t len)
{
	if (fgets(buf, (int)len, in) == NULL)
		return false;
	buf[strcspn(buf, "\n")] = '\0';
	return true;
}

int
relay_once(const char *path, const char *action)
{
	char req[RELAY_BUF], reply[RELAY_BUF];
	int fd, rc = 1;
	FILE *in;

	if (!request(action, req, sizeof req)) {
		fprintf(stderr, "%s: the request for %s is longer than %d "
		    "bytes or has a line break in a value\n", RELAY_NAME,
		    action, RELAY_BUF);
		return 1;
	}
	if ((fd = relay_connect(path)) == -1)
		return 1;
	if ((in = fdopen(dup(fd), "r")) == NULL) {
		close(fd);
		return 1;
	}
	if (!line(in, reply, sizeof reply) || strcmp(reply, GREETING) != 0)
		fprintf(stderr, "%s: the hook server at %s did not greet\n",
		    RELAY_NAME, path);
	else if (!fd_write_all(fd, req, strlen(req)) ||
	    !line(in, reply, sizeof reply))
		fprintf(stderr, "%s: the hook server at %s ended without a "
		    "reply\n", RELAY_NAME, path);
	else if (strcmp(reply, "ok") == 0)
		rc = 0;
	else {
		fprintf(stderr, "%s: %s\n", RELAY_NAME, strncmp(reply,
		    "error ", 6) == 0 ? reply + 6 : reply);
		rc = strcmp(action, "check") == 0 ? 3 : 1;
	}
	fclose(in);
	close(fd);
	return rc;
}
