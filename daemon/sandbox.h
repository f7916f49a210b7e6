/*
 * sandbox.h: what the capture child gives up once its pcap handles are
 * open: its user (root becomes nobody), every capability, new
 * privileges, new file descriptors, and every system call its loop does
 * not make (a seccomp allow-list whose default kills the process).
 */
#ifndef SKD_SANDBOX_H
#define SKD_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>

#define SANDBOX_UID	65534	/* nobody on Debian: owns nothing */

/*
 * sandbox_enter(sock_fd, err, err_len): drop to SANDBOX_UID if root,
 * drop every capability (effective, permitted, inheritable, ambient),
 * set no_new_privs, not dumpable, RLIMIT_NPROC 0, and load
 * the seccomp filter: poll/ppoll, the pcap ring's few calls on any fd
 * (recvfrom, getsockopt SO_ERROR, ioctl SIOCGIFFLAGS, close, munmap),
 * sendto/write only to ${sock_fd} and write to stderr, memory without
 * PROT_EXEC, clocks, abort's signal to itself, exit.  Anything else
 * kills the process (SIGSYS).  Returns false with ${err} on failure;
 * the caller must then exit, never run unconfined.
 */
bool sandbox_enter(int sock_fd, char *err, size_t err_len);

/* sandbox_syscalls(): the allowed system calls, as text for the log. */
const char *sandbox_syscalls(void);

#endif
