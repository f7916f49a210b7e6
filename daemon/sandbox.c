/* sandbox.c: the capture child's user, capabilities and seccomp filter. */
#include "sandbox.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <seccomp.h>

#include "caps.h"

/*
 * The loop's calls, found with strace on a live capture and an interface
 * that goes away (libpcap's TPACKET_V3 ring needs no call to read a
 * packet; only its error path asks the socket and the interface why).
 */
static const int plain[] = {
	SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(clock_gettime),
	SCMP_SYS(gettimeofday), SCMP_SYS(brk), SCMP_SYS(munmap),
	SCMP_SYS(madvise), SCMP_SYS(close), SCMP_SYS(exit),
	SCMP_SYS(exit_group), SCMP_SYS(restart_syscall),
	SCMP_SYS(rt_sigprocmask), SCMP_SYS(getpid), SCMP_SYS(gettid),
	SCMP_SYS(sigaltstack),	/* ASan's allocator asks for it */
	SCMP_SYS(getsockname),	/* libpcap, when the interface is gone */
};

static const char syscalls_text[] =
    "poll ppoll clock_gettime gettimeofday brk munmap madvise close exit "
    "exit_group restart_syscall rt_sigprocmask getpid gettid sigaltstack "
    "getsockname "
    "mmap/mprotect(no PROT_EXEC) sendto/write(socketpair) write(stderr) "
    "recvfrom getsockopt(SOL_SOCKET, SO_ERROR) ioctl(SIOCGIFFLAGS) "
    "setsockopt(SOL_PACKET, PACKET_RX_RING) "
    "tgkill(self)";

const char *
sandbox_syscalls(void)
{
	return syscalls_text;
}

static int
add(scmp_filter_ctx f, int nr, unsigned n, const struct scmp_arg_cmp *a)
{
	int rc = seccomp_rule_add_array(f, SCMP_ACT_ALLOW, nr, n, a);

	/* A call this architecture lacks (poll on arm64) is no error. */
	return rc == -EDOM || rc == -EINVAL ? 0 : rc;
}

static int
add_rules(scmp_filter_ctx f, int sock_fd)
{
	const struct scmp_arg_cmp to_sock = SCMP_A0(SCMP_CMP_EQ,
	    (scmp_datum_t)sock_fd, 0);
	const struct scmp_arg_cmp to_err = SCMP_A0(SCMP_CMP_EQ, STDERR_FILENO, 0);
	const struct scmp_arg_cmp no_exec = SCMP_A2(SCMP_CMP_MASKED_EQ,
	    PROT_EXEC, 0);
	const struct scmp_arg_cmp so_error[] = {
		SCMP_A1(SCMP_CMP_EQ, SOL_SOCKET, 0),
		SCMP_A2(SCMP_CMP_EQ, SO_ERROR, 0) };
	const struct scmp_arg_cmp ifflags = SCMP_A1(SCMP_CMP_EQ, SIOCGIFFLAGS, 0);
	const struct scmp_arg_cmp ring_off[] = {	/* pcap_close of a lost one */
		SCMP_A1(SCMP_CMP_EQ, SOL_PACKET, 0),
		SCMP_A2(SCMP_CMP_EQ, PACKET_RX_RING, 0) };
	const struct scmp_arg_cmp self = SCMP_A0(SCMP_CMP_EQ,
	    (scmp_datum_t)getpid(), 0);
	int rc = 0;

	for (size_t i = 0; i < sizeof plain / sizeof plain[0] && rc == 0; i++)
		rc = add(f, plain[i], 0, NULL);
	if (rc == 0)
		rc = add(f, SCMP_SYS(sendto), 1, &to_sock);
	if (rc == 0)
		rc = add(f, SCMP_SYS(write), 1, &to_sock);
	if (rc == 0)
		rc = add(f, SCMP_SYS(write), 1, &to_err);
	if (rc == 0)
		rc = add(f, SCMP_SYS(mmap), 1, &no_exec);
	if (rc == 0)
		rc = add(f, SCMP_SYS(mprotect), 1, &no_exec);
	if (rc == 0)
		rc = add(f, SCMP_SYS(recvfrom), 0, NULL);
	if (rc == 0)
		rc = add(f, SCMP_SYS(getsockopt), 2, so_error);
	if (rc == 0)
		rc = add(f, SCMP_SYS(ioctl), 1, &ifflags);
	if (rc == 0)
		rc = add(f, SCMP_SYS(setsockopt), 2, ring_off);
	if (rc == 0)	/* abort() signals itself: a crash stays a crash */
		rc = add(f, SCMP_SYS(tgkill), 1, &self);
	return rc;
}

static bool
load_filter(int sock_fd, char *err, size_t err_len)
{
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int rc;

	if (f == NULL) {
		snprintf(err, err_len, "seccomp_init failed");
		return false;
	}
	rc = add_rules(f, sock_fd);
	if (rc == 0)
		rc = seccomp_load(f);
	seccomp_release(f);
	if (rc != 0)
		snprintf(err, err_len, "seccomp filter: %s", strerror(-rc));
	return rc == 0;
}

static bool
drop_user(char *err, size_t err_len)
{
	if (geteuid() != 0)
		return true;	/* a dedicated user already (systemd) */
	if (setgroups(0, NULL) == -1 ||
	    setresgid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID) == -1 ||
	    setresuid(SANDBOX_UID, SANDBOX_UID, SANDBOX_UID) == -1) {
		snprintf(err, err_len, "cannot become uid %d: %s", SANDBOX_UID,
		    strerror(errno));
		return false;
	}
	return true;
}

/*
 * only_net_raw_left(): what is left when a unit refuses capset (systemd's
 * SystemCallFilter=~@privileged, as sknockd.service has it) is at most
 * CAP_NET_RAW: the filter below refuses every call that could use it (no
 * new socket; the capture handles read, never send).  Anything more and
 * the child does not run.
 */
static bool
only_net_raw_left(void)
{
	uint64_t eff, prm;

	return caps_read(&eff, &prm) && (prm & ~CAPS_BIT(CAP_NET_RAW)) == 0;
}

static bool
drop_caps(char *err, size_t err_len)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof data);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL) {
		snprintf(err, err_len, "ambient capabilities: %s",
		    strerror(errno));
		return false;
	}
	if (syscall(SYS_capset, &hdr, data) == -1) {
		if (errno == EPERM && only_net_raw_left())
			return true;
		snprintf(err, err_len, "capset: %s; the capture child would "
		    "keep capabilities beyond CAP_NET_RAW (a unit that gives "
		    "sknockd more must allow capset: SystemCallFilter=capset)",
		    strerror(errno));
		return false;
	}
	return true;
}

static bool
limit(int res, char *err, size_t err_len)
{
	const struct rlimit zero = { 0, 0 };

	if (setrlimit(res, &zero) == -1) {
		snprintf(err, err_len, "setrlimit %d: %s", res, strerror(errno));
		return false;
	}
	return true;
}

bool
sandbox_enter(int sock_fd, char *err, size_t err_len)
{
	if (!drop_user(err, err_len) || !drop_caps(err, err_len))
		return false;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		snprintf(err, err_len, "prctl: %s", strerror(errno));
		return false;
	}
	/*
	 * Not RLIMIT_NOFILE (poll() refuses more fds than it allows) nor
	 * RLIMIT_FSIZE (stderr may be a log file): the filter already
	 * refuses every call that makes a descriptor or opens a file.
	 */
	if (!limit(RLIMIT_NPROC, err, err_len))
		return false;
	return load_filter(sock_fd, err, err_len);
}
