/*
 * test_hook.c: the hook runner (daemon/hook*.c) alone, driving real hook
 * scripts written to a private directory: one-shot runs, servers and
 * greetings, a server that dies or hangs mid-request, the 10 s limit (the
 * clock is an argument of hooks_timers: no test waits 10 s), bounded
 * output, unsafe paths, a full queue that refuses opens, never a close.
 */
#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "addr.h"
#include "check_main.h"
#include "clock.h"
#include "hook.h"

#define PUMP_MS		20000	/* a loaded machine gets there too */
#define GUARD		"tcp/22 udp/53"

/* Made and removed by the unchecked fixture, in the parent process, so
 * a failed (forked) test leaves nothing behind. */
static char base[64];

struct fx {
	char		dir[128];
	char		hook[160];
	struct sklog	log;
	uint64_t	suppressed;
	struct counters	cnt;
	struct hooks	h;
	int		saved_err;
};

/* A hook's one-shot part: record argv and the whole environment (but
 * what sh adds itself), then fail close so a failure is seen too. */
#define RECORD \
	"{ echo \"argv=${0##*/} $1 $#\"; env | grep -v -e '^PWD=' " \
	"-e '^_=' | sort; } >>\"$D/rec.$1\"\n" \
	"[ \"$1\" = close ] && exit 3\nexit 0\n"
/* A server that records each request, fails close, accepts the rest. */
#define SERVE_OK \
	"echo 'sknock-hook 1'\nwhile read -r l; do echo \"$l\" >>\"$D/req\"\n" \
	"case $l in close*) echo 'error nope';; *) echo ok;; esac\ndone\n" \
	"exit 0"

static void
base_setup(void)
{
	snprintf(base, sizeof base, "/tmp/sknock-hooktest.XXXXXX");
	if (mkdtemp(base) == NULL || chmod(base, 0700) != 0)
		base[0] = '\0';
}

static int
rm_ent(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(p);
}

static void
base_teardown(void)
{
	if (base[0] != '\0')
		nftw(base, rm_ent, 16, FTW_DEPTH | FTW_PHYS);
}

/* A directory of its own for one test; the log goes to its file "log". */
static void
fx_dir(struct fx *f)
{
	char path[200];
	int fd;

	memset(f, 0, sizeof *f);
	ck_assert(base[0] != '\0');
	snprintf(f->dir, sizeof f->dir, "%s/t.XXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	ck_assert_int_eq(chmod(f->dir, 0700), 0);
	snprintf(path, sizeof path, "%s/log", f->dir);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	ck_assert_int_ne(fd, -1);
	f->saved_err = dup(STDERR_FILENO);
	ck_assert_int_ne(dup2(fd, STDERR_FILENO), -1);
	close(fd);
	log_open(&f->log, true, false, &f->suppressed);
}

/* Write ${name} in the test's directory, mode ${mode}: for `serve` it
 * runs ${serve}, for the other actions ${oneshot}. */
static void
fx_write(struct fx *f, const char *name, mode_t mode, const char *serve,
    const char *oneshot)
{
	char path[200];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", f->dir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fprintf(fp, "#!/bin/sh\nD=%s\nif [ \"$1\" = serve ]; then\n%s\nfi\n%s",
	    f->dir, serve, oneshot);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_int_eq(chmod(path, mode), 0);
}

static void
fx_init(struct fx *f, const char *path)
{
	snprintf(f->hook, sizeof f->hook, "%s", path);
	ck_assert(hooks_init(&f->h, f->hook, 4, GUARD, "", &f->log, &f->cnt));
}

/* The usual start: one hook, "hook", 0700. */
static void
fx_start(struct fx *f, const char *serve, const char *oneshot)
{
	char path[200];

	fx_dir(f);
	fx_write(f, "hook", 0700, serve, oneshot);
	snprintf(path, sizeof path, "%s/hook", f->dir);
	fx_init(f, path);
}

static void
fx_end(struct fx *f)
{
	hooks_free(&f->h);
	fflush(stderr);
	dup2(f->saved_err, STDERR_FILENO);
	close(f->saved_err);
}

/* The file ${name} of the test's directory into ${buf}; false if none. */
static bool
slurp(const struct fx *f, const char *name, char *buf, size_t len)
{
	char path[200];
	ssize_t n;
	int fd;

	snprintf(path, sizeof path, "%s/%s", f->dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	buf[0] = '\0';
	if (fd == -1)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return true;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static void
assert_log(const struct fx *f, const char *needle)
{
	static char buf[1 << 16];

	fflush(stderr);
	ck_assert(slurp(f, "log", buf, sizeof buf));
	ck_assert_msg(strstr(buf, needle) != NULL, "log lacks \"%s\":\n%s",
	    needle, buf);
}

static bool
idle(const struct fx *f)
{
	return hooks_idle(&f->h);
}

static bool
one_running(const struct fx *f)
{
	return f->h.n_run == 1 && f->h.srv.state == SRV_OFF;
}

/* The server is serving a request, and has read it. */
static bool
srv_busy(const struct fx *f)
{
	char got[256];

	return f->h.srv.state == SRV_UP && f->h.srv.busy &&
	    slurp(f, "req", got, sizeof got) && strchr(got, '\n') != NULL;
}

/* The daemon's loop, in small: poll the hooks' pipes and reap (no
 * SIGCHLD here, so at most 20 ms late) until ${done}, or time is up. */
static bool
pump(struct fx *f, bool (*done)(const struct fx *))
{
	uint64_t end = mono_ms() + PUMP_MS;

	while (!done(f)) {
		struct pollfd pfd[16];
		size_t n;

		if (mono_ms() >= end)
			return false;
		n = hooks_pollfds(&f->h, pfd, 16);
		(void)poll(pfd, n, 20);
		hooks_events(&f->h, pfd, n);
	}
	return true;
}

static struct open_ent
mkent(const char *door, const char *client, const char *addr,
    uint16_t port, uint8_t proto, uint32_t timeout_s)
{
	struct open_ent e = { .port = port, .proto = proto,
	    .timeout_s = timeout_s };

	snprintf(e.door, sizeof e.door, "%s", door);
	snprintf(e.client, sizeof e.client, "%s", client);
	ck_assert_int_eq(addr_parse(addr, &e.addr), ADDR_OK);
	return e;
}

#define PATHV	SKD_HOOK_PATH_ENV "\n"
#define SSH_OPEN	mkent("ssh", "alice", "192.0.2.7", 22, SK_PROTO_TCP, 30)

/* One-shot runs: argv is HOOK ACTION, the environment PATH and SKNOCK_*
 * only (nothing of ours leaks), as DESIGN.md "Hooks" says. */
static const struct {
	enum hook_action act;
	const char	*want;
} env_rows[] = {
	{ HOOK_OPEN, "argv=hook open 1\n" PATHV "SKNOCK_ADDRESS=192.0.2.7\n"
	    "SKNOCK_CLIENT=alice\nSKNOCK_DOOR=ssh\nSKNOCK_FAMILY=4\n"
	    "SKNOCK_PORT=22\nSKNOCK_PROTO=tcp\nSKNOCK_TIMEOUT=30\n" },
	{ HOOK_CLOSE, "argv=hook close 1\n" PATHV "SKNOCK_ADDRESS=2001:db8::1\n"
	    "SKNOCK_CLIENT=bob\nSKNOCK_DOOR=dns\nSKNOCK_FAMILY=6\n"
	    "SKNOCK_PORT=53\nSKNOCK_PROTO=udp\nSKNOCK_TIMEOUT=0\n" },
	{ HOOK_START, "argv=hook start 1\n" PATHV "SKNOCK_GUARD=" GUARD "\n"
	    "SKNOCK_GUARD_FORWARD=\n" },
	{ HOOK_STOP, "argv=hook stop 1\n" PATHV "SKNOCK_GUARD=" GUARD "\n"
	    "SKNOCK_GUARD_FORWARD=\n" },
};

START_TEST(oneshot_env)
{
	struct open_ent e = _i != 1 ? SSH_OPEN :
	    mkent("dns", "bob", "2001:db8::1", 53, SK_PROTO_UDP, 0);
	enum hook_action act = env_rows[_i].act;
	char name[32], got[2048];
	struct fx f;

	setenv("SKTEST_LEAK", "1", 1);
	fx_start(&f, "exit 0", RECORD);
	hook_queue(&f.h, act, &e);
	ck_assert(pump(&f, idle));
	snprintf(name, sizeof name, "rec.%s", hook_action_name(act));
	ck_assert_msg(slurp(&f, name, got, sizeof got), "hook never ran");
	ck_assert_str_eq(got, env_rows[_i].want);
	ck_assert(f.h.srv.probed && !f.h.srv.serves);
	ck_assert_uint_eq(f.cnt.hooks_run, 1);
	ck_assert_uint_eq(f.cnt.hooks_failed, act == HOOK_CLOSE);
	if (act == HOOK_CLOSE)
		assert_log(&f, "close failed: exit status 3");
	ck_assert_uint_eq(hooks_guard_up(&f.h), act == HOOK_START);
	fx_end(&f);
}
END_TEST

/*
 * `HOOK serve` greeting "sknock-hook 1" makes a server (requests as
 * DESIGN.md "Hook servers" writes them); no greeting, another line, or
 * none in 2 s: one-shot runs; "sknock-hook 0": one-shot runs that know
 * check.  Either way a failed close is counted and logged.
 */
static const struct {
	const char	*serve;
	bool		serves, proto0;
	const char	*file;		/* where the open is seen */
	const char	*log;
} greet_rows[] = {
	{ "exit 0", false, false, "rec.open", "does not serve (" },
	{ "echo hello; exec sleep 30", false, false, "rec.open",
	    "its first line is not the greeting" },
	{ "exec sleep 30", false, false, "rec.open", "no greeting within 2 s" },
	{ "echo 'sknock-hook 0'; exit 0", false, true, "rec.open",
	    "runs once per action and checks the guard" },
	{ SERVE_OK, true, false, "req", "close failed: nope" },
};

START_TEST(greeting)
{
	struct open_ent e = SSH_OPEN;
	char got[2048];
	struct fx f;

	fx_start(&f, greet_rows[_i].serve, RECORD);
	hook_queue(&f.h, HOOK_OPEN, &e);
	hook_queue(&f.h, HOOK_CLOSE, &e);
	ck_assert(pump(&f, idle));
	ck_assert_int_eq(f.h.srv.serves, greet_rows[_i].serves);
	ck_assert_int_eq(f.h.srv.proto0, greet_rows[_i].proto0);
	ck_assert_int_eq(f.h.srv.state, greet_rows[_i].serves ? SRV_UP :
	    SRV_OFF);
	ck_assert(slurp(&f, greet_rows[_i].file, got, sizeof got));
	if (greet_rows[_i].serves) {
		ck_assert_str_eq(got, "open door=ssh client=alice "
		    "address=192.0.2.7 family=4 proto=tcp port=22 timeout=30\n"
		    "close door=ssh client=alice address=192.0.2.7 family=4 "
		    "proto=tcp port=22 timeout=30\n");
		ck_assert(!slurp(&f, "rec.open", got, sizeof got));
	} else
		ck_assert_uint_eq(count(got, "argv=hook open 1\n"), 1);
	ck_assert_uint_eq(f.cnt.hooks_run, 2);
	ck_assert_uint_eq(f.cnt.hooks_failed, 1);
	assert_log(&f, greet_rows[_i].log);
	fx_end(&f);
}
END_TEST

/*
 * A server that dies, or stops answering (killed at 10 s: the test moves
 * the clock, not waits), mid-request: logged, restarted, and the open it
 * was serving retried exactly once, as a one-shot run.
 */
static const struct {
	const char	*after;		/* once the request is recorded */
	bool		hang;
	const char	*log;
} death_rows[] = {
	{ "exit 1", false, "restarting it, and running open again as a "
	    "one-shot run" },
	{ "exec sleep 30", true, "died (no reply within 10 s; killed)" },
	{ "echo bogus; exec sleep 30", false, "died (a reply that is neither "
	    "ok nor error)" },
};

START_TEST(server_dies)
{
	struct open_ent e = SSH_OPEN;
	char serve[256], got[2048];
	struct fx f;

	snprintf(serve, sizeof serve, "echo 'sknock-hook 1'\nread -r l\n"
	    "echo \"$l\" >\"$D/req\"\n%s", death_rows[_i].after);
	fx_start(&f, serve, RECORD);
	hook_queue(&f.h, HOOK_OPEN, &e);
	if (death_rows[_i].hang) {
		ck_assert(pump(&f, srv_busy));
		ck_assert_uint_eq(hooks_deadline(&f.h), f.h.srv.due_ms);
		hooks_timers(&f.h, f.h.srv.due_ms - 1);
		ck_assert(srv_busy(&f));
		hooks_timers(&f.h, f.h.srv.due_ms);
		ck_assert_uint_eq(f.cnt.hooks_killed, 1);
	}
	ck_assert(pump(&f, idle));
	ck_assert(slurp(&f, "req", got, sizeof got));
	ck_assert_uint_eq(count(got, "open door=ssh"), 1);
	ck_assert(slurp(&f, "rec.open", got, sizeof got));
	ck_assert_uint_eq(count(got, "argv=hook open 1\n"), 1);
	ck_assert_uint_eq(f.h.srv.deaths, 1);
	ck_assert_uint_eq(f.cnt.hooks_failed, 1);
	ck_assert_uint_eq(f.cnt.hooks_run, 2);
	assert_log(&f, "died (");
	assert_log(&f, death_rows[_i].log);
	fx_end(&f);
}
END_TEST

/* A one-shot run that never exits is killed (its process group) at its
 * limit, not a millisecond before, and its failure says why. */
START_TEST(oneshot_killed)
{
	struct open_ent e = SSH_OPEN;
	uint64_t before = mono_ms(), kill_ms;
	struct fx f;

	fx_start(&f, "exit 0", "exec sleep 60\n");
	hook_queue(&f.h, HOOK_OPEN, &e);
	ck_assert(pump(&f, one_running));
	kill_ms = f.h.run[0].kill_ms;
	ck_assert_uint_ge(kill_ms, before + SKD_HOOK_LIMIT_MS);
	ck_assert_uint_le(kill_ms, mono_ms() + SKD_HOOK_LIMIT_MS);
	ck_assert_uint_eq(hooks_deadline(&f.h), kill_ms);
	hooks_timers(&f.h, kill_ms - 1);
	ck_assert_uint_eq(f.cnt.hooks_killed, 0);
	ck_assert(!f.h.run[0].killed);
	hooks_timers(&f.h, kill_ms);
	ck_assert_uint_eq(f.cnt.hooks_killed, 1);
	ck_assert(pump(&f, idle));
	ck_assert_uint_eq(f.cnt.hooks_failed, 1);
	assert_log(&f, "still running after 10 s; killing it");
	assert_log(&f, "open failed: killed after 10 s (time limit)");
	fx_end(&f);
}
END_TEST

/* Megabytes of output: the run is read to its end (it exits 0, never
 * blocked on a full pipe) but at most HOOKPROC_LOG_MAX bytes are logged,
 * and the log says how much was not. */
START_TEST(output_bounded)
{
	struct open_ent e = SSH_OPEN;
	static char got[1 << 16];
	const char *p;
	unsigned long dropped;
	struct fx f;

	fx_start(&f, "exit 0",
	    "yes 0123456789abcdef | head -c 4000000\nexit 0\n");
	hook_queue(&f.h, HOOK_OPEN, &e);
	ck_assert(pump(&f, idle));
	ck_assert_uint_eq(f.cnt.hooks_failed, 0);
	fflush(stderr);
	ck_assert(slurp(&f, "log", got, sizeof got));
	ck_assert_uint_lt(strlen(got), 4 * HOOKPROC_LOG_MAX);
	ck_assert_uint_ge(count(got, ": 0123456789abcdef\n"), 1);
	p = strstr(got, " more bytes of output not logged (at most 8192 "
	    "logged per run)");
	ck_assert_ptr_nonnull(p);
	while (p > got && p[-1] >= '0' && p[-1] <= '9')
		p--;
	dropped = strtoul(p, NULL, 10);
	/* What the pipe still held at its exit is counted too. */
	ck_assert_uint_ge(dropped, 4000000 - HOOKPROC_LOG_MAX - 2 * 17);
	ck_assert_uint_le(dropped, 4000000 - HOOKPROC_LOG_MAX);
	fx_end(&f);
}
END_TEST

/*
 * An unsafe hook is refused with what to fix (hook_check, and the log of
 * hooks_init), and never runs: the open is a failure to start, and the
 * script (which would record it) left no trace.
 */
static const struct {
	const char	*name;		/* in the test's directory */
	mode_t		mode;
	bool		relative;	/* configure the bare name */
	const char	*link;		/* ${name} is a symlink to this */
	const char	*why;
} unsafe_rows[] = {
	{ "hook", 0770, false, NULL, "mode 0770 lets group/others change it; "
	    "run chmod go-w " },
	{ "hook", 0600, false, NULL, "not an executable file; run chmod 755 " },
	{ "link", 0700, false, "hook", "a symlink; give the path of the file "
	    "itself" },
	{ "wd/hook", 0700, false, NULL, "/wd: mode 0777 lets group/others "
	    "change it; run chmod go-w " },
	{ "hook", 0700, true, NULL, "hook: not an absolute path of a file; "
	    "give the full path" },
};

START_TEST(unsafe_path)
{
	struct open_ent e = SSH_OPEN;
	char path[200], want[300], msg[SK_PATH_MAX + 256], got[64];
	struct fx f;

	fx_dir(&f);
	snprintf(path, sizeof path, "%s/wd", f.dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_int_eq(chmod(path, 0777), 0);
	fx_write(&f, unsafe_rows[_i].link != NULL ? unsafe_rows[_i].link :
	    unsafe_rows[_i].name, unsafe_rows[_i].mode, "exit 0", RECORD);
	snprintf(path, sizeof path, "%s/%s", f.dir, unsafe_rows[_i].name);
	if (unsafe_rows[_i].link != NULL)
		ck_assert_int_eq(symlink(unsafe_rows[_i].link, path), 0);
	if (unsafe_rows[_i].relative)
		snprintf(path, sizeof path, "%s", unsafe_rows[_i].name);
	ck_assert(!hook_check(path, msg, sizeof msg));
	snprintf(want, sizeof want, "hook = %s: ", path);
	ck_assert_msg(strncmp(msg, want, strlen(want)) == 0, "%s", msg);
	ck_assert_msg(strstr(msg, unsafe_rows[_i].why) != NULL, "%s", msg);
	fx_init(&f, path);
	assert_log(&f, unsafe_rows[_i].why);
	assert_log(&f, "; no hook can run");
	hook_queue(&f.h, HOOK_OPEN, &e);
	ck_assert(pump(&f, idle));
	ck_assert_uint_eq(f.cnt.hooks_failed, 1);
	assert_log(&f, "open: cannot start");
	ck_assert(!slurp(&f, "rec.open", got, sizeof got));
	fx_end(&f);
}
END_TEST

/* A reload naming an unsafe hook keeps the one checked before, which
 * goes on running the actions. */
START_TEST(reload_unsafe_keeps)
{
	struct open_ent e = SSH_OPEN;
	char path[200], got[2048];
	struct fx f;

	fx_start(&f, "exit 0", RECORD);
	fx_write(&f, "new", 0770, "exit 0", "touch \"$D/new.ran\"\n");
	snprintf(path, sizeof path, "%s/new", f.dir);
	hooks_configure(&f.h, path, 4, GUARD, "");
	assert_log(&f, "new: mode 0770 lets group/others change it; run chmod "
	    "go-w ");
	assert_log(&f, "; keeping the hook checked before");
	ck_assert_str_eq(f.h.path, f.hook);
	hook_queue(&f.h, HOOK_OPEN, &e);
	ck_assert(pump(&f, idle));
	ck_assert(slurp(&f, "rec.open", got, sizeof got));
	ck_assert_uint_eq(count(got, "argv=hook open 1\n"), 1);
	ck_assert(!slurp(&f, "new.ran", got, sizeof got));
	ck_assert_uint_eq(f.cnt.hooks_failed, 0);
	fx_end(&f);
}
END_TEST

/* How many jobs of ${act} wait in the queue. */
static size_t
queued(const struct hooks *h, enum hook_action act)
{
	size_t n = 0;

	for (size_t i = 0; i < h->q_len; i++)
		n += h->q[i].act == act;
	return n;
}

/*
 * While one open of a door and address runs, the others wait behind it.
 * With SKD_HOOK_QUEUE opens waiting the next open is refused (counted,
 * logged) but closes are still queued; at shutdown the waiting opens are
 * dropped, the closes kept, and they all run.
 */
START_TEST(queue_full)
{
	struct open_ent e = SSH_OPEN;
	char got[4096];
	struct fx f;

	fx_start(&f, "exit 0", "[ \"$1\" = open ] && exec sleep 60\n" RECORD);
	hook_queue(&f.h, HOOK_OPEN, &e);
	ck_assert(pump(&f, one_running));
	for (int i = 0; i < SKD_HOOK_QUEUE; i++)
		hook_queue(&f.h, HOOK_OPEN, &e);
	ck_assert_uint_eq(queued(&f.h, HOOK_OPEN), SKD_HOOK_QUEUE);
	ck_assert_uint_eq(f.cnt.hooks_dropped, 0);
	hook_queue(&f.h, HOOK_OPEN, &e);
	ck_assert_uint_eq(queued(&f.h, HOOK_OPEN), SKD_HOOK_QUEUE);
	ck_assert_uint_eq(f.cnt.hooks_dropped, 1);
	assert_log(&f, "hook open not run: 1024 opens wait already (closes "
	    "still run)");
	for (int i = 0; i < 5; i++)
		hook_queue(&f.h, HOOK_CLOSE, &e);
	ck_assert_uint_eq(queued(&f.h, HOOK_CLOSE), 5);
	ck_assert_uint_eq(f.h.q_len, SKD_HOOK_QUEUE + 5);
	ck_assert_uint_eq(f.cnt.hooks_dropped, 1);
	hooks_drop_queue(&f.h);
	ck_assert_uint_eq(f.h.q_len, 5);
	ck_assert_uint_eq(queued(&f.h, HOOK_CLOSE), 5);
	ck_assert_uint_eq(f.cnt.hooks_dropped, 1 + SKD_HOOK_QUEUE);
	assert_log(&f, "stopping: 1024 waiting opens dropped");
	hooks_timers(&f.h, f.h.run[0].kill_ms);
	ck_assert(pump(&f, idle));
	ck_assert(slurp(&f, "rec.close", got, sizeof got));
	ck_assert_uint_eq(count(got, "argv=hook close 1\n"), 5);
	ck_assert_uint_eq(f.cnt.hooks_run, 6);
	ck_assert_uint_eq(f.cnt.hooks_failed, 6);
	fx_end(&f);
}
END_TEST

#define ROWS(a)	(int)(sizeof (a) / sizeof (a)[0])

int
main(void)
{
	TCase *tc = tcase_create("hook");

	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, oneshot_env, 0, ROWS(env_rows));
	tcase_add_loop_test(tc, greeting, 0, ROWS(greet_rows));
	tcase_add_loop_test(tc, server_dies, 0, ROWS(death_rows));
	tcase_add_test(tc, oneshot_killed);
	tcase_add_test(tc, output_bounded);
	tcase_add_loop_test(tc, unsafe_path, 0, ROWS(unsafe_rows));
	tcase_add_test(tc, queue_full);
	tcase_add_test(tc, reload_unsafe_keeps);
	return check_run("hook", tc);
}
