#!/usr/bin/env bash
# demo.sh: sknock live, on this machine, in two network namespaces it makes
# and removes again.  Run as root from the source tree (the README's first
# command):  bash tests/demo.sh
#
# It installs what is missing (tests/deps.sh), builds into build/
# (tests/build.sh), then:
#   client 10.199.0.2 ---veth--- server 10.199.0.1
# the server runs a TCP service on port 22 and sknockd with the nft hook
# guarding it.  The demo shows a connect failing, runs knock, shows the
# connect working, and shows the door closing again after its 3 s timeout.
# The last line is the verdict; exit 0 only if every step behaved.
# Nothing outside the two namespaces and a temporary directory is touched.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
top=$PWD
. "$top/tests/lib/ns.sh"

DOOR_TIMEOUT=3
S_ADDR=10.199.0.1 C_ADDR=10.199.0.2
ns_s=sknock-demo-server-$$ ns_c=sknock-demo-client-$$
if_s=skd$$s if_c=skd$$c
T="" daemon_pid="" listen_pid="" step=setup n=0

say() { printf '%s\n' "$*"; }
step() { n=$((n + 1)); step=$1; printf '\n[%d] %s\n' "$n" "$1"; }
detail() { printf '    %s\n' "$*"; }
verdict_fail() {
	say ""
	say "demo: FAIL at step $n ($step): $*"
	if [ -n "$T" ]; then
		for f in daemon.err daemon.out; do
			[ -s "$T/$f" ] || continue
			say "---- last lines of sknockd's ${f#daemon.}:"
			tail -n 15 "$T/$f"
		done
	fi
	exit 1
}

cleanup() {
	ns_reap $daemon_pid $listen_pid
	ns_drop "$ns_c" "$ns_s"
	[ -n "$T" ] && rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_s() { ip netns exec "$ns_s" "$@"; }
in_c() { ip netns exec "$ns_c" "$@"; }

# connect_echo: from the client, connect to the server's port 22 within
# 1 s and have "hello" echoed back.
connect_echo() {
	in_c timeout 2 bash -c "
		exec 3<>/dev/tcp/$S_ADDR/22 || exit 1
		printf 'hello\n' >&3 && read -r -t 1 line <&3 && [ \"\$line\" = hello ]
	" 2>/dev/null
}
ms_now() { date +%s%3N; }

say "sknock demo: a signed knock opens SSH's port for one address, for ${DOOR_TIMEOUT} s."
[ "$(id -u)" = 0 ] || { say "demo: FAIL at setup: run as root (it makes network namespaces and nftables rules)"; exit 1; }

step "install what is missing (tests/deps.sh)"
bash tests/deps.sh || verdict_fail "tests/deps.sh failed"
detail "packages are in place"

step "build (tests/build.sh build)"
bash tests/build.sh build || verdict_fail "the build failed"
SKNOCKD=$top/build/daemon/sknockd KNOCK=$top/build/client/knock
LISTEN=$top/build/tests/e2e/listen HOOK=$top/conf/hooks/nft
for p in "$SKNOCKD" "$KNOCK" "$LISTEN"; do
	[ -x "$p" ] || verdict_fail "$p was not built"
done
detail "sknockd, knock and a test TCP service are in build/"

step "two network namespaces joined by a veth pair"
T=$(mktemp -d /tmp/sknock-demo.XXXXXX) || verdict_fail "mktemp"
chmod 700 "$T"
ns_add "$ns_s" "$ns_c" || verdict_fail "ip netns add"
ns_veth "$ns_s" "$if_s" "$ns_c" "$if_c" || verdict_fail "ip link add veth"
ns_addr "$ns_s" "$if_s" "$S_ADDR/24" && ns_addr "$ns_c" "$if_c" "$C_ADDR/24" ||
	verdict_fail "addresses"
detail "server $ns_s: $if_s $S_ADDR"
detail "client $ns_c: $if_c $C_ADDR"

step "a TCP service on port 22 of the server, reachable before sknock"
# (ip netns exec directly: a function run with & would be a subshell, and
# $! its PID instead of the program's.)
ip netns exec "$ns_s" "$LISTEN" -p 22 -t 300 -r "$T/listen.ready" >"$T/listen.out" 2>&1 &
listen_pid=$!
ns_poll 5 test -e "$T/listen.ready" || verdict_fail "the TCP service did not start: $(cat "$T/listen.out")"
ns_poll 10 connect_echo || verdict_fail "the client cannot reach port 22 even without a guard"
detail "client -> $S_ADDR:22: connected, \"hello\" echoed back"

step "a key and the two configs"
(umask 077 && head -c 32 /dev/urandom | base64 >"$T/demo.key") || verdict_fail "key"
mkdir -m 700 "$T/state"
cat >"$T/sknockd.conf" <<CONF
[daemon]
interface = $if_s
hook = $HOOK
state_dir = $T/state

[door:ssh]
sequence = 7000/tcp, 8000/udp, 9000/udp
open = 22/tcp
timeout = $DOOR_TIMEOUT
clients = demo

[client:demo]
key = $T/demo.key
CONF
cat >"$T/knock.conf" <<CONF
[server]
host = $S_ADDR
door = ssh
sequence = 7000/tcp, 8000/udp, 9000/udp
key = $T/demo.key
open = 22/tcp
CONF
detail "key: 32 random bytes, base64, mode $(stat -c %a "$T/demo.key") ($T/demo.key)"
detail "door ssh: knock 7000/tcp, 8000/udp, 9000/udp (signed) opens 22/tcp for ${DOOR_TIMEOUT} s"
"$SKNOCKD" -t -c "$T/sknockd.conf" >"$T/check.out" 2>&1 ||
	verdict_fail "sknockd -t rejects the config: $(cat "$T/check.out")"
detail "sknockd -t: $(tail -n 1 "$T/check.out")"

step "start sknockd in the server namespace (nft hook)"
ip netns exec "$ns_s" "$SKNOCKD" -c "$T/sknockd.conf" -f >"$T/daemon.out" 2>"$T/daemon.err" &
daemon_pid=$!
ns_poll 10 grep -q ready "$T/daemon.err" ||
	verdict_fail "sknockd did not log ready within 10 s"
detail "sknockd (pid $daemon_pid): $(grep -m1 ready "$T/daemon.err" | sed "s/^<[0-7]>//")"
guard_up() { in_s nft list set inet sknock guard 2>/dev/null | grep 'tcp \. 22' >/dev/null; }
ns_poll 5 guard_up || verdict_fail "the nft hook did not put up the guard (table inet sknock)"
detail "nft table inet sknock guards tcp/22"

step "without a knock, the client cannot connect"
if connect_echo; then
	verdict_fail "the client connected to port 22 without knocking"
fi
detail "client -> $S_ADDR:22: no answer within 2 s (dropped)"

step "knock"
t0=$(ms_now)
in_c "$KNOCK" -c "$T/knock.conf" --wait=5 server >"$T/knock.out" 2>&1 ||
	verdict_fail "knock --wait failed: $(cat "$T/knock.out")"
t1=$(ms_now)
detail "knock -c knock.conf --wait=5 server: port 22 answered after $((t1 - t0)) ms"
ns_poll 2 grep -q '^open ' "$T/daemon.out" || verdict_fail "sknockd printed no open line"
detail "sknockd: $(grep -m1 '^open ' "$T/daemon.out")"

step "the client connects now"
connect_echo || verdict_fail "the client still cannot connect after the knock"
detail "client -> $S_ADDR:22: connected, \"hello\" echoed back"
detail "nft: $(in_s nft list set inet sknock allow4 | grep -o "$C_ADDR[^}]*expires [^ }]*")"

step "after ${DOOR_TIMEOUT} s the door closes by itself"
door_gone() { ! in_s nft list set inet sknock allow4 | grep -F "$C_ADDR . tcp . 22" >/dev/null; }
ns_poll 10 door_gone || verdict_fail "the door is still in nft 10 s after the knock (timeout is ${DOOR_TIMEOUT} s)"
t2=$(ms_now)
detail "nft: the kernel removed $C_ADDR . tcp . 22, $(((t2 - t0) / 1000)).$(((t2 - t0) % 1000 / 100)) s after knock started"
! connect_echo || verdict_fail "the client still connects after the door closed"
detail "client -> $S_ADDR:22: no answer within 2 s (dropped again)"
ns_poll 5 grep -q '^close ' "$T/daemon.out" || verdict_fail "sknockd printed no close line"
detail "sknockd: $(grep -m1 '^close ' "$T/daemon.out")"

step "stop sknockd (SIGTERM); the guard stays up"
kill -TERM "$daemon_pid"
stopped() { ! kill -0 "$daemon_pid" 2>/dev/null; }
ns_poll 10 stopped || verdict_fail "sknockd did not stop within 10 s of SIGTERM"
wait "$daemon_pid"
rc=$?
daemon_pid=""
[ "$rc" = 0 ] || verdict_fail "sknockd exited with status $rc"
guard_up || verdict_fail "the guard went away when sknockd stopped"
! connect_echo || verdict_fail "port 22 opened when sknockd stopped"
detail "sknockd exited 0; port 22 still dropped (fail-closed)"

step "remove everything the demo made"
ns_reap "$listen_pid"
listen_pid=""
ip netns del "$ns_c" && ip netns del "$ns_s" || verdict_fail "ip netns del"
rm -rf "$T" && T=""
[ -z "$(ip netns list | grep -- "-$$")" ] || verdict_fail "namespaces left behind"
detail "both namespaces (with the nft table inside), the service and the temporary files are gone"

say ""
say "demo: PASS: port 22 dropped, opened by one knock in $((t1 - t0)) ms, closed again after ${DOOR_TIMEOUT} s, all cleaned up"
exit 0
