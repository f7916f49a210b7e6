/*
 * test_sandbox.c: daemon/sandbox.c for real: a forked process enters the
 * sandbox, then makes one call.  What the capture loop needs works; an
 * open, a socket, an exec, a fork, a signal to another process, a write
 * to stdout or executable memory kills it with SIGSYS.  /proc shows no
 * capability, no_new_privs and a seccomp filter.
 */
#include <check.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_main.h"
#include "sandbox.h"

enum act { A_LOOP, A_OPEN, A_SOCKET, A_EXEC, A_FORK, A_KILL, A_STDOUT,
    A_EXECMEM, A_SOCKOPT, A_WAIT };

static void
act(enum act a, int sock)
{
	static char *const argv[] = { "true", NULL };
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	struct timespec ts;
	char byte = 'x';
	void *m;

	switch (a) {
	case A_LOOP:	/* what the capture loop does */
		clock_gettime(CLOCK_MONOTONIC, &ts);
		(void)poll(&pfd, 1, 0);
		m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED || munmap(m, 1 << 20) != 0)
			_exit(10);
		if (send(sock, &byte, 1, MSG_NOSIGNAL) != 1)
			_exit(11);
		if (write(STDERR_FILENO, "", 0) != 0)
			_exit(12);
		free(malloc(100000));
		break;
	case A_OPEN:
		(void)open("/etc/hostname", O_RDONLY);
		break;
	case A_SOCKET:
		(void)socket(AF_INET, SOCK_DGRAM, 0);
		break;
	case A_EXEC:
		(void)execv("/bin/true", argv);
		break;
	case A_FORK:
		(void)fork();
		break;
	case A_KILL:
		(void)kill(getppid(), 0);
		break;
	case A_STDOUT:
		if (write(STDOUT_FILENO, "", 0) != 0)
			_exit(13);
		break;
	case A_EXECMEM:
		(void)mmap(NULL, 4096, PROT_READ | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		break;
	case A_SOCKOPT:	/* only the ring teardown is allowed */
		(void)setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &pfd.events,
		    sizeof pfd.events);
		break;
	case A_WAIT:	/* until the test closes its end */
		(void)poll(&pfd, 1, 10000);
		break;
	}
	_exit(0);
}

/* Fork, sandbox, act; returns the wait status.  ${peek} runs meanwhile. */
static int
run(enum act a, void (*peek)(pid_t))
{
	int sv[2], st = 0;
	char err[256];
	pid_t pid;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		close(sv[0]);
		if (!sandbox_enter(sv[1], err, sizeof err)) {
			fprintf(stderr, "sandbox_enter: %s\n", err);
			_exit(20);
		}
		act(a, sv[1]);
	}
	close(sv[1]);
	if (peek != NULL) {
		peek(pid);
		close(sv[0]);	/* ends its wait */
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	if (peek == NULL)
		close(sv[0]);
	return st;
}

static void
assert_killed(enum act a)
{
	int st = run(a, NULL);

	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS,
	    "action %d: status 0x%x, not killed by SIGSYS", (int)a, st);
}

START_TEST(loop_calls_allowed)
{
	int st = run(A_LOOP, NULL);

	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "status 0x%x", st);
}
END_TEST

START_TEST(open_kills)	{ assert_killed(A_OPEN); }	END_TEST
START_TEST(socket_kills)	{ assert_killed(A_SOCKET); }	END_TEST
START_TEST(exec_kills)	{ assert_killed(A_EXEC); }	END_TEST
START_TEST(fork_kills)	{ assert_killed(A_FORK); }	END_TEST
START_TEST(kill_kills)	{ assert_killed(A_KILL); }	END_TEST
START_TEST(stdout_kills)	{ assert_killed(A_STDOUT); }	END_TEST
START_TEST(exec_memory_kills)	{ assert_killed(A_EXECMEM); }	END_TEST
START_TEST(sockopt_kills)	{ assert_killed(A_SOCKOPT); }	END_TEST

/* The fields of /proc/PID/status a sandboxed child must show. */
static void
peek_status(pid_t pid)
{
	char path[64], line[256];
	bool eff = false, nnp = false, sec = false, uid = geteuid() != 0;
	FILE *f;

	/* The child is in poll() once it has sent nothing and is still
	 * alive; its status fields are set before that. */
	for (int i = 0; i < 200; i++) {
		snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
		f = fopen(path, "r");
		ck_assert_ptr_nonnull(f);
		eff = nnp = sec = false;
		while (fgets(line, sizeof line, f) != NULL) {
			eff |= strcmp(line, "CapEff:\t0000000000000000\n") == 0;
			nnp |= strcmp(line, "NoNewPrivs:\t1\n") == 0;
			sec |= strcmp(line, "Seccomp:\t2\n") == 0;
			if (geteuid() == 0 && strncmp(line, "Uid:", 4) == 0)
				uid = strcmp(line, "Uid:\t65534\t65534\t65534\t"
				    "65534\n") == 0;
		}
		fclose(f);
		if (eff && nnp && sec && uid)
			break;
		usleep(10000);
	}
	ck_assert_msg(eff, "CapEff not 0");
	ck_assert_msg(nnp, "NoNewPrivs not 1");
	ck_assert_msg(sec, "Seccomp not 2 (filter)");
	ck_assert_msg(uid, "root did not become nobody");
}

START_TEST(proc_status_shows_sandbox)
{
	int st = run(A_WAIT, peek_status);

	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "status 0x%x",
	    st);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, loop_calls_allowed);
	tcase_add_test(tc, open_kills);
	tcase_add_test(tc, socket_kills);
	tcase_add_test(tc, exec_kills);
	tcase_add_test(tc, fork_kills);
	tcase_add_test(tc, kill_kills);
	tcase_add_test(tc, stdout_kills);
	tcase_add_test(tc, exec_memory_kills);
	tcase_add_test(tc, sockopt_kills);
	tcase_add_test(tc, proc_status_shows_sandbox);
	return check_run("sandbox", tc);
}
