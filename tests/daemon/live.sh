#!/usr/bin/env bash
# live.sh SKNOCKD SENDKNOCK: sknockd capturing on a veth interface in a
# network namespace made here, with a hook that records its argv and
# SKNOCK_* environment.  Knocks come from a second namespace over real
# sockets.  Checks: start/open/close/stop hook runs and their environment
# (IPv4 and IPv6), hook output and exit status in the log, SIGUSR1
# counters, SIGHUP with a broken config keeps the old one, the replay
# cache survives a restart, and a hook that hangs is killed after 10 s.
set -uo pipefail
sknockd=$1 sendknock=$2
for t in ip; do
	command -v "$t" >/dev/null || { echo "SKIPPED: $t missing"; exit 77; }
done

. "${BASH_SOURCE%/*}/../lib/ns.sh"
ns_need_root "network namespaces, packet capture"
ns_names skd daemon 201
tag=skd$$
v6_s=fd00:201::1 v6_c=fd00:201::2
tmp=$(mktemp -d /tmp/sknock-daemon-live.XXXXXX)
pid=

trap 'ns_stop; ns_remove' EXIT

fail() {
	echo "FAIL: $*"
	ns_dump 40
	echo "--- hook record"; cat "$tmp/rec" 2>/dev/null
	exit 1
}

ns_up

printf 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n' > "$tmp/alice.key"
chmod 600 "$tmp/alice.key"
cat > "$tmp/hook" <<HOOK
#!/bin/sh
# A slow start shows whether ready waits for the guard.
[ "\$1" = start ] && sleep 0.5
{
	echo "action=\$1 argc=\$#"
	env | grep -E '^(SKNOCK_|PATH=)' | sort
	echo end
} >> $tmp/rec
echo "hook-says-hello \$1"
case "\$1:\${SKNOCK_DOOR:-}" in
open:slow) sleep 60 ;;
close:*) exit 3 ;;
esac
exit 0
HOOK
chmod 755 "$tmp/hook"
write_conf() {
	cat > "$tmp/sknockd.conf" <<CONF
[daemon]
interface = $if_s
hook = $tmp/hook
state_dir = $tmp/state

[door:ssh]
sequence = 7000/tcp, 9000/udp
open = 22/tcp
timeout = 2
clients = alice

[door:slow]
sequence = 7100/tcp, 9100/udp
open = 2222/tcp, 22/tcp
clients = alice

[client:alice]
key = $tmp/alice.key
CONF
}
write_conf

start_daemon() {  # start_daemon N: output to out.N and log.N
	ip netns exec "$ns_s" "$sknockd" -f -c "$tmp/sknockd.conf" \
		> "$tmp/out.$1" 2> "$tmp/log.$1" &
	pid=$!
	wait_for "$tmp/log.$1" 'ready' 1 20 || fail "run $1: no ready line"
}

stop_daemon() {
	kill -TERM "$pid"
	local i
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$pid" 2>/dev/null && fail "sknockd did not stop on SIGTERM"
	wait "$pid"; local rc=$?
	[ "$rc" -eq 0 ] || fail "sknockd exited $rc after SIGTERM"
	pid=
}

knock() { ip netns exec "$ns_c" "$sendknock" "$@" || fail "sendknock $*"; }

# block ACTION N: the Nth recorded hook run of ACTION, without its end line.
block() {
	awk -v a="action=$1" -v n="$2" '
		index($0, a " ") == 1 { k++; if (k == n) on = 1 }
		on && $0 == "end" { exit }
		on { print }' "$tmp/rec"
}

# block_done ACTION N: the Nth ACTION run's record is complete (its end
# line is in; other runs, such as the serve probe, write ends too).
block_done() {
	awk -v a="action=$1" -v n="$2" '
		index($0, a " ") == 1 { k++; if (k == n) on = 1 }
		on && $0 == "end" { found = 1; exit }
		END { exit !found }' "$tmp/rec"
}

N1=111111111111111111111111111111111111111111111111

start_daemon 1
# ready means guarded: the start run has finished when ready is logged.
grep -q '^action=start' "$tmp/rec" && grep -q '^end$' "$tmp/rec" \
	|| fail "ready logged before the start hook finished"
got=$(block start 1)
want="action=start argc=1
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
SKNOCK_GUARD=tcp/22 tcp/2222
SKNOCK_GUARD_FORWARD="
[ "$got" = "$want" ] || fail "start hook env: $got"
echo "ok start hook"

knock -n $N1 "$v4_s" ssh "$tmp/alice.key" 7000/tcp 9000/token
wait_for "$tmp/out.1" '^open ' || fail "valid IPv4 knock opened nothing"
[ "$(cat "$tmp/out.1")" = "open door=ssh client=alice address=$v4_c port=22/tcp timeout=2" ] \
	|| fail "open line"
ns_poll 10 block_done open 1 \
	|| fail "no open hook run"
got=$(block open 1)
want="action=open argc=1
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
SKNOCK_ADDRESS=$v4_c
SKNOCK_CLIENT=alice
SKNOCK_DOOR=ssh
SKNOCK_FAMILY=4
SKNOCK_PORT=22
SKNOCK_PROTO=tcp
SKNOCK_TIMEOUT=2"
[ "$got" = "$want" ] || fail "open hook env: $got"
echo "ok IPv4 knock: open line and hook environment"

wait_for "$tmp/out.1" '^close door=ssh' 1 6 || fail "no close after the timeout"
grep -qx "close door=ssh address=$v4_c port=22/tcp" "$tmp/out.1" || fail "close line"
wait_for "$tmp/rec" '^action=close' || fail "no close hook run"
wait_for "$tmp/log.1" 'hook .* close failed: exit status 3' || fail "close failure not logged"
grep -q 'hook open\[[0-9]*\]: hook-says-hello open' "$tmp/log.1" \
	|| fail "hook output not in the log"
echo "ok close after timeout, hook output and exit status logged"

knock "$v6_s" ssh "$tmp/alice.key" 7000/tcp 9000/token
wait_for "$tmp/out.1" "^open door=ssh client=alice address=$v6_c port=22/tcp" \
	|| fail "valid IPv6 knock opened nothing"
ns_poll 10 block_done open 2 \
	|| fail "no IPv6 open hook run"
block open 2 | grep -qx "SKNOCK_FAMILY=6" || fail "IPv6 hook env: $(block open 2)"
block open 2 | grep -qx "SKNOCK_ADDRESS=$v6_c" || fail "IPv6 hook address"
echo "ok IPv6 knock"

# DESIGN.md: an attempt lives until it opens.  After that open, a token
# without steps is no knock: the parent tells the capture child, which
# holds the attempt, to end it.
n=$(grep -c '^open ' "$tmp/out.1")
knock "$v6_s" ssh "$tmp/alice.key" 9000/token
knock "$v6_s" ssh "$tmp/alice.key" 7000/tcp 9000/token
wait_for "$tmp/out.1" '^open ' $((n + 1)) || fail "a fresh knock after a bare token opened nothing"
[ "$(grep -c '^open ' "$tmp/out.1")" -eq $((n + 1)) ] ||
	fail "a token without steps opened after an open (the attempt lived on)"
wait_for "$tmp/log.1" "rejected token from $v6_c door=ssh: steps not completed" ||
	fail "the bare token was not refused for its steps"
echo "ok an open ends the attempt in the capture child"

kill -USR1 "$pid"
wait_for "$tmp/log.1" 'counters: packets=[1-9]' || fail "SIGUSR1 dumped no counters"
echo "ok SIGUSR1 counters"

cp "$tmp/sknockd.conf" "$tmp/good.conf"
printf '[daemon]\nnonsense = yes\n[door:ssh]\nsequence = 99999/tcp\n' > "$tmp/sknockd.conf"
kill -HUP "$pid"
wait_for "$tmp/log.1" 'keeping the old configuration' || fail "bad reload not refused"
knock "$v4_s" ssh "$tmp/alice.key" 7000/tcp 9000/token
wait_for "$tmp/out.1" "^open door=ssh client=alice address=$v4_c" 2 \
	|| fail "old config not in force after a bad reload"
kill -0 "$pid" || fail "sknockd died on a bad reload"
cp "$tmp/good.conf" "$tmp/sknockd.conf"
echo "ok SIGHUP with a broken config keeps the old one"

stop_daemon
wait_for "$tmp/rec" '^action=stop' || fail "no stop hook"
[ -s "$tmp/state/replay" ] || fail "no replay cache file in state_dir"
echo "ok stop hook, replay cache on disk"

# The replay cache survives a restart: the same nonce opens nothing, a
# fresh knock sent after it (same source, so processed after) opens.
start_daemon 2
knock -n $N1 "$v4_s" ssh "$tmp/alice.key" 7000/tcp 9000/token
knock "$v4_s" ssh "$tmp/alice.key" 7000/tcp 9000/token
wait_for "$tmp/out.2" '^open ' || fail "fresh knock after restart opened nothing"
[ "$(grep -c '^open ' "$tmp/out.2")" -eq 1 ] || fail "replayed nonce opened after restart"
grep -q 'replayed token' "$tmp/log.2" || fail "replay not logged"
echo "ok replay cache survives a restart"

# A source that is one of the server's own addresses is forged: the
# address list follows changes (netlink), both ways.
ip -n "$ns_s" addr add "$v4_c/32" dev lo || fail "addr add"
knock "$v4_s" ssh "$tmp/alice.key" 7000/tcp 9000/token
wait_for "$tmp/log.2" "knock from $v4_c door=ssh ignored: .*own address" \
	|| fail "knock from a local address not refused"
ip -n "$ns_s" addr del "$v4_c/32" dev lo
knock "$v4_s" ssh "$tmp/alice.key" 7000/tcp 9000/token
wait_for "$tmp/out.2" '^open door=ssh' 2 || fail "no open once the address is gone"
[ "$(grep -c '^open ' "$tmp/out.2")" -eq 2 ] || fail "forged-source knock opened"
echo "ok own addresses followed, forged sources refused"

# A hook that hangs is killed after 10 s; the daemon goes on.
knock "$v4_s" slow "$tmp/alice.key" 7100/tcp 9100/token
wait_for "$tmp/out.2" '^open door=slow' || fail "slow door did not open"
wait_for "$tmp/log.2" 'hook open\[[0-9]+\] still running after 10 s' 1 15 \
	|| fail "hanging hook not killed"
wait_for "$tmp/log.2" 'killed after 10 s' 1 5 || fail "kill not reported"
kill -0 "$pid" || fail "sknockd died"
knock "$v4_s" ssh "$tmp/alice.key" 7000/tcp 9000/token
wait_for "$tmp/out.2" '^open door=ssh' 3 || fail "no open after the hung hook"
echo "ok hanging hook killed after 10 s"

stop_daemon

# An interface that is not there yet is waited for and logged, not fatal.
sed -i "s/^interface = .*/interface = ${tag}late/" "$tmp/sknockd.conf"
ip netns exec "$ns_s" "$sknockd" -f -c "$tmp/sknockd.conf" \
	> "$tmp/out.3" 2> "$tmp/log.3" &
pid=$!
wait_for "$tmp/log.3" "interface ${tag}late: .*retrying" || fail "missing interface not logged"
grep -q ready "$tmp/log.3" && fail "ready before the interface exists"
ip -n "$ns_s" link add "${tag}late" type veth peer name "${tag}peer" || fail "veth"
ip -n "$ns_s" link set "${tag}late" up
ip -n "$ns_s" link set "${tag}peer" up
wait_for "$tmp/log.3" 'ready' 1 10 || fail "no ready once the interface exists"
kill -0 "$pid" || fail "sknockd died waiting for its interface"
stop_daemon
echo "ok missing interface waited for"

# A replay cache that cannot be written keeps signed doors shut (an
# unsigned door, knocked after, shows the knock was processed).
: > "$tmp/notadir"
sed -i -e "s/^interface = .*/interface = $if_s/" \
	-e "s|^state_dir = .*|state_dir = $tmp/notadir/state|" "$tmp/sknockd.conf"
printf '\n[door:plain]\nsigned = no\nsequence = 7300/tcp\nopen = 8080/tcp\n' \
	>> "$tmp/sknockd.conf"
start_daemon 4
grep -q "notadir/state.*signed doors stay shut" "$tmp/log.4" || fail "broken state_dir not logged"
knock "$v4_s" ssh "$tmp/alice.key" 7000/tcp 9000/token
knock "$v4_s" ssh "$tmp/alice.key" 7300/tcp
wait_for "$tmp/out.4" '^open door=plain' || fail "unsigned door did not open"
grep -q '^open door=ssh' "$tmp/out.4" && fail "signed door opened without a replay cache"
grep -q "door=ssh: replay cache not written" "$tmp/log.4" || fail "refusal not logged"
stop_daemon
echo "ok unwritable replay cache keeps signed doors shut"
echo "live: all passed"
