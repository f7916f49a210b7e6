#!/usr/bin/env bash
# state.sh SKNOCKD SENDKNOCK MKREPLAY: the replay cache in state_dir, live.
# sknockd (--dry-run: decisions on stdout, no hooks) captures on a veth
# in a namespace made here; knocks come from a second namespace.  Checks:
# a larger window after a reload or a restart reopens no replay; a cache
# that cannot be read at the start (missing, truncated, zeroed, random)
# refuses tokens from before the start; records from the future are
# dropped; a FIFO or symlink named replay (or replay.tmp) is refused,
# never read, followed or waited on; state_dir must be ours and not
# group/world-writable; a full disk refuses the knock, then works once
# space is freed.
set -uo pipefail
sknockd=$1 sendknock=$2 mkreplay=$3

. "${BASH_SOURCE%/*}/../lib/ns.sh"
ns_need_root "network namespaces, packet capture, tmpfs"
ns_names skst state 203
tmp=$(mktemp -d /tmp/sknock-state.XXXXXX)
st=$tmp/state
pid= mounted=
passes=0

cleanup() {
	ns_stop
	[ -n "$mounted" ] && umount "$mounted" 2>/dev/null
	ns_remove
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	ns_dump 25
	echo "$passes passed, 1 failed"
	exit 1
}
ok() { echo "ok $*"; passes=$((passes + 1)); }

ns_up

printf 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n' > "$tmp/alice.key"
chmod 600 "$tmp/alice.key"
write_conf() {  # write_conf WINDOW
	cat > "$tmp/sknockd.conf" <<CONF
[daemon]
interface = $if_s
state_dir = $st
window = $1

[door:ssh]
sequence = 7000/tcp, 9000/udp
open = 22/tcp
timeout = 30
clients = alice

[client:alice]
key = $tmp/alice.key
CONF
}

start_daemon() {
	: > "$tmp/out"
	: > "$tmp/log"
	ip netns exec "$ns_s" "$sknockd" -f -n -c "$tmp/sknockd.conf" \
		>> "$tmp/out" 2>> "$tmp/log" &
	pid=$!
	wait_for "$tmp/log" 'ready' 1 15 || fail "no ready line within 15 s"
}

stop_daemon() {
	local i
	kill -TERM "$pid"
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$pid" 2>/dev/null && fail "sknockd did not stop within 5 s of SIGTERM"
	wait "$pid"
	pid=
}

knock() {
	ip netns exec "$ns_c" "$sendknock" "$@" "$v4_s" ssh "$tmp/alice.key" \
		7000/tcp 9000/token || fail "sendknock $*"
}
opens() { grep -c '^open ' "$tmp/out"; }

# fresh_opens WHAT: a knock with a fresh token opens (the user still works).
fresh_opens() {
	local n
	n=$(opens)
	knock
	wait_for "$tmp/out" '^open ' $((n + 1)) || fail "$1: a fresh knock opened nothing"
}

# replay_refused WHAT ARGS...: the knock (a replay) opens nothing; the
# fresh knock sent after it (same source and path, so decided after it)
# opens, and the log names the refusal.
refused() {
	local what=$1 why=$2 n
	shift 2
	n=$(opens)
	knock "$@"
	fresh_opens "$what"
	[ "$(opens)" -eq $((n + 1)) ] || fail "$what: the refused knock opened"
	grep -qE -- "$why" "$tmp/log" || fail "$what: no log line /$why/"
}

N1=$(printf '%048x' 1) N2=$(printf '%048x' 2)

# A larger window after a reload reopens no replay: nonces are kept for
# the largest window allowed (3600 s), not the window in force.
write_conf 1
start_daemon
t1=$(date +%s)
knock -n "$N1" -t "$t1"
wait_for "$tmp/out" '^open ' || fail "first knock opened nothing"
sleep 2.5	# the token is now out of the 1 s window (this is the test)
fresh_opens "window 1 s"	# a check at window 1 (expiry used to follow it)
write_conf 3600
kill -HUP "$pid"
wait_for "$tmp/log" 'reloaded' || fail "no reload"
refused "window raised by reload" "replayed token" -n "$N1" -t "$t1"
ok "window raised by reload: the old token is still a replay"

# Nor does a restart with a larger window after a restart with the
# small one (which compacts the file: it used to drop the record).
stop_daemon
write_conf 1
start_daemon
t2=$(date +%s)
knock -n "$N2" -t "$t2"
wait_for "$tmp/out" '^open ' || fail "knock before the restart opened nothing"
stop_daemon
sleep 2.5
start_daemon
stop_daemon
write_conf 3600
start_daemon
grep -q 'replay cache .*: [1-9][0-9]* live nonces' "$tmp/log" ||
	fail "restart: the nonces were not loaded"
refused "restart after compaction" "replayed token" -n "$N2" -t "$t2"
ok "restart with a larger window: the old token is still a replay"
stop_daemon
write_conf 60

# lost NAME WHY: started on a cache that cannot be read, the daemon says
# so and refuses a token timestamped before its start; a fresh one opens.
lost() {
	start_daemon
	grep -qE -- "$2.*tokens timestamped before the start" "$tmp/log" ||
		fail "$1: no log line saying the cache was lost ($2)"
	refused "$1" "timestamp before the start, and the replay cache" -s -5
	[ -f "$st/replay" ] && [ ! -L "$st/replay" ] ||
		fail "$1: replay is not a regular file now"
	stop_daemon
	ok "$1: refused tokens from before the start, fresh ones open"
}

rm -f "$st/replay"
lost "missing cache" "missing"
head -c -7 "$st/replay" > "$tmp/cut" && cat "$tmp/cut" > "$st/replay"
lost "truncated cache" "ends inside a record"
head -c 4096 /dev/zero > "$st/replay"
lost "zero-filled cache" "no valid header"
head -c 1048576 /dev/urandom > "$st/replay"
lost "random cache" "no valid header"

# 70000 well-formed records from the far future (more than the cache
# holds) are garbage: dropped at load, not a full cache for every door.
"$mkreplay" "$st/replay" -n 70000 $(( $(date +%s) + 1000000 )) ||
	fail "mkreplay"
start_daemon
grep -q '70000 records (0 expired, 70000 timestamped in the future' "$tmp/log" ||
	fail "far-future records not reported as dropped"
fresh_opens "far-future records"
stop_daemon
ok "far-future records dropped at load"

# A FIFO named replay: not opened for reading (no hang before the guard
# is up), replaced by a regular file; SIGTERM works.
rm -f "$st/replay"
mkfifo -m 600 "$st/replay"
lost "FIFO named replay" "not a regular file"

# Symlinks named replay and replay.tmp: never followed; the target stays
# as it was.
echo precious > "$tmp/victim"
ln -sf "$tmp/victim" "$st/replay"
ln -sf "$tmp/victim" "$st/replay.tmp"
lost "symlinks named replay and replay.tmp" "a symbolic link: refused"
[ "$(cat "$tmp/victim")" = precious ] || fail "the symlinks' target was written"
[ ! -e "$st/replay.tmp" ] || fail "replay.tmp left behind"
ok "the symlinks' target is untouched"

# state_dir writable by the group: refused, signed doors stay shut until
# it is fixed and the daemon reloaded.
chmod 770 "$st"
start_daemon
grep -q "state_dir $st: owner uid 0, mode 0770: must be owned by uid 0 and not writable by group or others" "$tmp/log" ||
	fail "group-writable state_dir not refused"
n=$(opens)
knock
wait_for "$tmp/log" 'replay cache not written to disk' ||
	fail "knock with an unusable state_dir not refused"
[ "$(opens)" -eq "$n" ] || fail "opened with an unusable state_dir"
chmod 700 "$st"
kill -HUP "$pid"
wait_for "$tmp/log" 'reloaded' || fail "no reload"
fresh_opens "state_dir fixed"
stop_daemon
ok "group-writable state_dir refused until fixed"

# A full disk refuses the knock (logged), and works once space is freed.
# Records go into zeroed slots made ahead (256 at a start), so the disk
# is filled, those slots used up by 256 knocks, and the next knock needs
# room that is not there.
rm -rf "$st"
mkdir -m 700 "$st"
mount -t tmpfs -o size=64k,mode=0700 sknock-state-$$ "$st" || fail "mount tmpfs"
mounted=$st
start_daemon
dd if=/dev/zero of="$st/fill" bs=1k 2>/dev/null
ip netns exec "$ns_c" bash -c 'for ((i = 0; i < 256; i++)); do
	"$1" "$2" ssh "$3" 7000/tcp 9000/token || exit 1; done' - \
	"$sendknock" "$v4_s" "$tmp/alice.key" || fail "sendknock loop"
wait_for "$tmp/out" '^open ' 256 30 || fail "full disk: the 256 slots made ahead did not take 256 knocks"
knock
wait_for "$tmp/log" 'cannot record a nonce: No space left' ||
	fail "full disk: no log line"
[ "$(opens)" -eq 256 ] || fail "full disk: the knock opened"
rm -f "$st/fill"
fresh_opens "space freed"
stop_daemon
umount "$st" && mounted=
ok "full disk refuses the knock, then works once space is freed"

echo "$passes passed, 0 failed"
