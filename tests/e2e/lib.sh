# lib.sh: network namespaces, the real daemon and client, and assertions,
# shared by the end-to-end (tests/e2e) and wire-abuse (tests/wire) suites.
# Sourced by run.sh, which meson calls with these variables set:
#   SK_SKNOCKD SK_KNOCK SK_HOOK   the programs under test and the nft hook
#   SK_TOOLS                      directory with listen probe capture replay
#                                 mktoken (and SK_SENDRAW for tests/wire)
#   SK_TAG                        e2e or wire: part of every name we create
#
# Topology, all inside namespaces made here and deleted on exit:
#   client (C) 10.66.0.2 fd00:66::2  \
#   third  (T) 10.66.0.3 fd00:66::3   >- bridge namespace (B) -- server (S)
#                                    /      10.66.0.1 fd00:66::1
# Each host sees one interface, eth0.  The server runs sknockd with the real
# nft hook guarding a TCP echo listener on SK_PORT.

. "${BASH_SOURCE[0]%/*}/../lib/ns.sh"

SK_PORT=2222
SK_S4=10.66.0.1 SK_C4=10.66.0.2 SK_T4=10.66.0.3
SK_S6=fd00:66::1 SK_C6=fd00:66::2 SK_T6=fd00:66::3
SK_BARRIER_STEPS="7998/udp,7999/udp"

sk_pids=()
sk_netns=()
sk_etc=()
sk_step_name="setup"
sk_daemon_pid=""
T=""

# sk_ms: milliseconds since the epoch, without an exec.
sk_ms() {
	local t=${EPOCHREALTIME/[.,]/}
	echo $((t / 1000))
}

sk_log() { printf '%(%T)T.%s [%s] %s\n' -1 "${EPOCHREALTIME#*[.,]}" "$SK_TAG" "$*" >&2; }

# sk_need_root: skip loudly (meson SKIP) when not root.
sk_need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "*** SKIPPED: needs root (network namespaces, nftables, raw sockets) ***" >&2
		exit 77
	fi
	local p
	for p in ip nft; do
		command -v "$p" >/dev/null || sk_fatal "$p not found; run tests/deps.sh"
	done
}

# sk_step TEXT: name the step now running, for the failure report.
sk_step() {
	sk_step_name=$*
	sk_log "step: $*"
}

sk_dump_logs() {
	local f
	for f in "$T"/daemon.err "$T"/daemon.out "$T"/knock.err; do
		[ -s "$f" ] || continue
		echo "----- $f (last 60 lines)" >&2
		tail -n 60 "$f" >&2
	done
	echo "----- nft ruleset in the server namespace" >&2
	ip netns exec "$NS_S" nft list ruleset 2>&1 | head -n 60 >&2
}

# sk_fail MESSAGE: report the failing step with the daemon's log; exit 1.
sk_fail() {
	echo "FAILED at step '$sk_step_name': $*" >&2
	sk_dump_logs
	exit 1
}

# sk_fatal MESSAGE: a broken test environment, not a product failure.
sk_fatal() {
	echo "ERROR in test setup ($sk_step_name): $*" >&2
	exit 1
}

sk_cleanup() {
	local rc=$? ns
	ns_reap "${sk_pids[@]}"
	ns_drop "${sk_netns[@]}"
	ns_unhosts "${sk_etc[@]}"
	if [ -n "$T" ] && [ -d "$T" ]; then
		if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
			sk_log "kept $T for inspection"
		else
			rm -rf "$T"
		fi
	fi
	exit "$rc"
}

# sk_track PID: kill PID at exit.
sk_track() { sk_pids+=("$1"); }

# sk_untrack PID: it was stopped on purpose.
sk_untrack() {
	local p keep=()
	for p in "${sk_pids[@]}"; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	sk_pids=("${keep[@]}")
}

# sk_poll TIMEOUT_S CMD...: ns_poll (tests/lib/ns.sh), by its old name.
sk_poll() { ns_poll "$@"; }

# sk_in NS CMD...: run CMD inside namespace NS.  Not for background jobs:
# `sk_in ... &` forks a subshell and $! is not the program's PID, so those
# call `ip netns exec NS CMD &` directly (ip execs CMD in place).
sk_in() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# sk_net: the four namespaces and the bridge, with one `ip -batch` per
# namespace (dozens of ip processes cost seconds on a loaded machine).
sk_net() {
	sk_step "create namespaces and veth pairs"
	local base="sk-$SK_TAG-$$" h ns
	NS_B=$base-b NS_S=$base-s NS_C=$base-c NS_T=$base-t
	for ns in "$NS_B" "$NS_S" "$NS_C" "$NS_T"; do
		sk_netns+=("$ns")
	done
	printf 'netns add %s\n' "${sk_netns[@]}" | ip -batch - ||
		sk_fatal "ip netns add ${sk_netns[*]}"
	{
		echo "link add br0 type bridge mcast_snooping 0"
		echo "link set br0 up"
		for h in s c t; do
			ns=$base-$h
			echo "link add p$h type veth peer name eth0 netns $ns"
			echo "link set p$h master br0 up"
		done
	} | ip -n "$NS_B" -batch - || sk_fatal "bridge and veth pairs in $NS_B"
	_sk_addrs "$NS_S" "$SK_S4" "$SK_S6"
	_sk_addrs "$NS_C" "$SK_C4" "$SK_C6"
	_sk_addrs "$NS_T" "$SK_T4" "$SK_T6"
	SK_SMAC=$(ip -n "$NS_S" -br link show eth0 | awk '{print $3}')
}

_sk_addrs() {  # _sk_addrs NS ADDR4 ADDR6: lo and eth0 up, addresses (no DAD)
	printf '%s\n' "link set lo up" "link set eth0 up" \
		"addr add $2/24 dev eth0" "addr add $3/64 dev eth0 nodad" |
		ip -n "$1" -batch - || sk_fatal "addresses in $1"
}

# sk_nat_host: a fourth namespace H (10.67.0.2) behind the third host,
# which routes and masquerades it: H reaches the server as 10.66.0.3, the
# way a client behind a home router does.
SK_H4=10.67.0.2 SK_R4=10.67.0.1
sk_nat_host() {
	sk_step "a client behind NAT: namespace H behind the third host"
	NS_H=sk-$SK_TAG-$$-h
	ip netns add "$NS_H" || sk_fatal "ip netns add $NS_H"
	sk_netns+=("$NS_H")
	printf '%s\n' "link add wan type veth peer name eth0 netns $NS_H" \
		"link set wan up" "addr add $SK_R4/24 dev wan" |
		ip -n "$NS_T" -batch - || sk_fatal "veth third <-> H"
	printf '%s\n' "link set lo up" "link set eth0 up" \
		"addr add $SK_H4/24 dev eth0" "route add default via $SK_R4" |
		ip -n "$NS_H" -batch - || sk_fatal "addresses in $NS_H"
	sk_in "$NS_T" sysctl -q -w net.ipv4.ip_forward=1 || sk_fatal "ip_forward"
	printf '%s\n' 'table ip nat {' \
		' chain post { type nat hook postrouting priority srcnat; oifname "eth0" masquerade; }' '}' |
		sk_in "$NS_T" nft -f - || sk_fatal "masquerade in $NS_T"
}

# sk_hosts NS "ADDR NAME"...: /etc/netns/NS/hosts, which `ip netns exec`
# mounts over /etc/hosts inside NS only; removed at exit.
sk_hosts() {
	sk_etc+=("$1")
	ns_hosts "$@" || sk_fatal "/etc/netns/$1/hosts"
}

# sk_listener: the guarded TCP echo service, then check both families
# reach it before any firewall exists.
sk_listener() {
	sk_step "start the TCP listener on port $SK_PORT"
	ip netns exec "$NS_S" "$SK_TOOLS/listen" -p "$SK_PORT" -t 600 -r "$T/listen.ready" &
	sk_track $!
	sk_poll 5 test -e "$T/listen.ready" || sk_fatal "listener not ready"
	sk_step "reach the listener before the daemon starts"
	sk_poll 5 sk_in "$NS_C" "$SK_TOOLS/probe" -t 300 "$SK_S4" "$SK_PORT" ||
		sk_fatal "no IPv4 path client -> server"
	sk_poll 5 sk_in "$NS_C" "$SK_TOOLS/probe" -t 300 "$SK_S6" "$SK_PORT" ||
		sk_fatal "no IPv6 path client -> server"
}

# sk_setup: everything a case needs before its config: temp dir, trap,
# namespaces, listener.
sk_setup() {
	sk_need_root
	T=$(mktemp -d "/tmp/sk-$SK_TAG-$$.XXXXXX") || sk_fatal "mktemp"
	chmod 700 "$T"
	mkdir -m 700 "$T/state" "$T/hooks"
	# sknockd refuses a hook that group or others may change, and a
	# checkout's modes follow the umask: run a 0755 copy of the hook and
	# of the scripts it uses beside it (nft.sh, hook-lib.sh).
	local f
	for f in "$SK_HOOK" "${SK_HOOK%/*}/nft.sh" "${SK_HOOK%/*}/hook-lib.sh"; do
		[ -e "$f" ] || continue
		if ! cp "$f" "$T/hooks/" || ! chmod 0755 "$T/hooks/${f##*/}"; then
			sk_fatal "copy the hook $f"
		fi
	done
	trap sk_cleanup EXIT
	trap 'exit 130' INT TERM
	sk_net
	sk_listener
}

# sk_key NAME: a fresh client key file $T/NAME.key (mode 0600).
sk_key() {
	(umask 077 && head -c 32 /dev/urandom | base64 >"$T/$1.key") ||
		sk_fatal "key $1"
}

# sk_conf_daemon [WINDOW] < DOORS_AND_CLIENTS: $T/sknockd.conf with our
# [daemon] section (plus the lines in SK_DAEMON_EXTRA), the stdin text,
# and the barrier door (see sk_barrier).
sk_conf_daemon() {
	{
		printf '[daemon]\ninterface = eth0\nhook = %s\nstate_dir = %s\nwindow = %s\n' \
			"$T/hooks/${SK_HOOK##*/}" "$T/state" "${1:-60}"
		printf '%s\n' "${SK_DAEMON_EXTRA:-}"
		cat
		printf '\n[door:barrier]\nsequence = %s\nopen = 9/udp\nsigned = no\ntimeout = 30\n' \
			"$SK_BARRIER_STEPS"
	} >"$T/sknockd.conf.new" && mv "$T/sknockd.conf.new" "$T/sknockd.conf"
}

sk_ready_count() { grep -c 'ready' "$T/daemon.err" 2>/dev/null; }

sk_daemon_alive() { [ -n "$sk_daemon_pid" ] && kill -0 "$sk_daemon_pid" 2>/dev/null; }

_sk_ready_after() {  # READY lines beyond $1, or the daemon died
	sk_daemon_alive || return 0
	[ "$(sk_ready_count)" -gt "$1" ]
}

# sk_daemon_start: sknockd -f in the server namespace; wait for `ready`.
sk_daemon_start() {
	sk_step "start sknockd"
	local before
	before=$(sk_ready_count || true)
	before=${before:-0}
	ip netns exec "$NS_S" "$SK_SKNOCKD" -c "$T/sknockd.conf" -f \
		>>"$T/daemon.out" 2>>"$T/daemon.err" &
	sk_daemon_pid=$!
	sk_track "$sk_daemon_pid"
	sk_poll 15 _sk_ready_after "$before" || sk_fail "no 'ready' line within 15 s"
	sk_daemon_alive || sk_fail "sknockd exited before it was ready"
	# `ready` means capturing; the start hook that installs the guard
	# runs alongside.  Wait for its chain before asserting "closed".
	sk_poll 10 sk_in "$NS_S" nft list chain inet sknock input >/dev/null 2>&1 ||
		sk_fail "the nft hook's chain inet sknock input is not there 10 s after ready"
}

# sk_daemon_stop: SIGTERM and wait (bounded) for a clean exit.
sk_daemon_stop() {
	sk_step "stop sknockd (SIGTERM)"
	local i rc
	kill -TERM "$sk_daemon_pid" || sk_fail "sknockd already gone"
	for ((i = 0; i < 100; i++)); do
		sk_daemon_alive || break
		sleep 0.05
	done
	sk_daemon_alive && sk_fail "sknockd still running 5 s after SIGTERM"
	wait "$sk_daemon_pid"
	rc=$?
	sk_untrack "$sk_daemon_pid"
	sk_daemon_pid=""
	[ "$rc" -eq 0 ] || sk_fail "sknockd exited with status $rc on SIGTERM"
}

# sk_daemon_hup PATTERN: SIGHUP and wait for a new stderr line matching
# the extended regex PATTERN.
sk_daemon_hup() {
	local pat=$1 before
	before=$(grep -Eci -- "$pat" "$T/daemon.err")
	kill -HUP "$sk_daemon_pid" || sk_fail "SIGHUP: sknockd is gone"
	sk_poll 10 _sk_grep_more "$T/daemon.err" "$pat" "$before" ||
		sk_fail "no log line matching /$pat/ within 10 s of SIGHUP"
	sk_daemon_alive || sk_fail "sknockd died on SIGHUP"
}

_sk_grep_more() { [ "$(grep -Eci -- "$2" "$1")" -gt "$3" ]; }

# sk_opens [ERE]: number of `open` decision lines matching ERE; lines of
# the barrier door count only when ERE names it.  Pure bash: it runs in
# every poll, and forks are slow on a loaded machine.
sk_opens() { _sk_count open "${1:-.}"; }

# sk_closes [ERE]: number of `close` decision lines (matching ERE).
sk_closes() { _sk_count close "${1:-.}"; }

_sk_count() {  # _sk_count WORD ERE
	local word=$1 ere=$2 line n=0
	if [ -f "$T/daemon.out" ]; then
		while IFS= read -r line; do
			[[ $line == "$word "* ]] || continue
			[[ $ere != *barrier* && $line == *"door=barrier "* ]] && continue
			[[ $line =~ $ere ]] && n=$((n + 1))
		done <"$T/daemon.out"
	fi
	echo "$n"
}

_sk_opens_more() { [ "$(sk_opens "$1")" -gt "$2" ]; }
_sk_closes_more() { [ "$(sk_closes "$1")" -gt "$2" ]; }

# sk_barrier: every packet sent before this call has been handled by the
# daemon once it returns.  The third host knocks the unsigned barrier door
# over the same wire, and we wait for that `open` line: the daemon reads
# one interface in order, so whatever was sent earlier was decided.
sk_barrier() {
	local n ports p cmd
	n=$(sk_opens 'door=barrier')
	IFS=, read -ra ports <<<"$SK_BARRIER_STEPS"
	cmd=""
	for p in "${ports[@]}"; do
		cmd+="echo >/dev/udp/$SK_S4/${p%/udp} && "
	done
	sk_in "$NS_T" bash -c "${cmd}true" || sk_fatal "barrier packets"
	sk_poll 10 _sk_opens_more 'door=barrier' "$n" ||
		sk_fail "barrier knock from the third host was not decided within 10 s"
}

# sk_knock NS ARGS...: our client, inside NS; its status is returned.
sk_knock() {
	local ns=$1
	shift
	echo "+ knock $*" >>"$T/knock.err"
	sk_in "$ns" "$SK_KNOCK" "$@" >>"$T/knock.err" 2>&1
}

# sk_can_connect NS ADDR: one probe of the guarded port.  A SYN on these
# veth pairs is answered in well under a millisecond, so 300 ms of silence
# means the firewall dropped it.
sk_can_connect() { sk_in "$1" "$SK_TOOLS/probe" -t 300 "$2" "$SK_PORT"; }

# sk_expect_open NS ADDR: the port answers within 5 s (the hook runs
# asynchronously after the `open` line).
sk_expect_open() {
	sk_poll 5 sk_can_connect "$1" "$2" ||
		sk_fail "$SK_PORT/tcp on $2 stays closed for $1"
}

# sk_expect_closed NS ADDR: the port does not answer now.
sk_expect_closed() {
	sk_can_connect "$1" "$2" && sk_fail "$SK_PORT/tcp on $2 is open for $1"
	return 0
}

# sk_wait_open ERE: an `open` line matching ERE appears within 5 s
# (counted beyond the number given as $2, default 0).
sk_wait_open() {
	sk_poll 5 _sk_opens_more "$1" "${2:-0}" ||
		sk_fail "no 'open' line matching /$1/ within 5 s"
}

# sk_no_open_since N ERE: still only N `open` lines matching ERE.
sk_no_open_since() {
	local now
	now=$(sk_opens "${2:-.}")
	[ "$now" -eq "$1" ] || sk_fail "unexpected open line(s): $(grep -E '^open ' "$T/daemon.out" | grep -v 'door=barrier ' | grep -E -- "${2:-.}" | tail -n $((now - $1)))"
}

# knock_opens NS ALIAS ADDR ERE: knock, see the open line, connect.
knock_opens() {
	local ns=$1 alias=$2 addr=$3 ere=$4 n
	n=$(sk_opens "$ere")
	sk_knock "$ns" -c "$T/knock.conf" "$alias" || sk_fail "knock $alias failed"
	sk_wait_open "$ere" "$n"
	sk_expect_open "$ns" "$addr"
}

# sent_opens NS ADDR ERE CMD...: CMD sends a knock after which an open line
# matching ERE appears and NS can connect to ADDR.
sent_opens() {
	local ns=$1 addr=$2 ere=$3 n
	shift 3
	n=$(sk_opens "$ere")
	"$@" || sk_fail "$* failed"
	sk_wait_open "$ere" "$n"
	sk_expect_open "$ns" "$addr"
}

# sk_client_conf < TEXT: $T/knock.conf
sk_client_conf() { cat >"$T/knock.conf"; }

# sk_raw NS SRC DST ACTION...: hand-made frames from NS (see sendraw.c);
# SRC may be forged.
sk_raw() {
	local ns=$1 src=$2 dst=$3
	shift 3
	sk_in "$ns" "$SK_TOOLS/sendraw" -i eth0 -m "$SK_SMAC" -s "$src" \
		-d "$dst" "$@" || sk_fatal "sendraw $*"
}

# sk_token FILE ARGS...: mktoken ARGS... FILE (a token made outside the client).
sk_token() {
	local out=$1
	shift
	"$SK_TOOLS/mktoken" "$@" "$out" || sk_fatal "mktoken $*"
}

# sk_finish: stop the daemon as an admin would (it must exit 0 on SIGTERM)
# and fail on any sanitizer report from the daemon or the client.
sk_finish() {
	sk_daemon_alive && sk_daemon_stop
	sk_step "no sanitizer reports from sknockd or knock"
	if grep -Eq 'runtime error|AddressSanitizer|LeakSanitizer' \
		"$T/daemon.err" "$T/knock.err" 2>/dev/null; then
		sk_fail "sanitizer report (see the logs below)"
	fi
	return 0
}
