#!/usr/bin/env bash
# log.sh HOOK: the log hook logs each action in one line on stderr, exits 0,
# changes nothing, and refuses a bad environment with exit 2 like the
# firewall hooks.  Needs nothing but a shell.
set -uo pipefail
hook=$1
fails=0
out=$(mktemp /tmp/sknock-loghook.XXXXXX)
dir=$(mktemp -d /tmp/sknock-loghook.XXXXXX)
trap 'rm -rf "$out" "$dir"' EXIT
# A 0755 copy: the checkout's modes follow the umask, and the hook
# refuses a library that group or others may change.
mkdir -m 700 "$dir/orig"
cp "$hook" "${hook%/*}/hook-lib.sh" "$dir/orig/" && chmod 755 "$dir/orig/"* || exit 1
hook=$dir/orig/log

expect() {	# expect RC PATTERN TEXT VAR=VALUE... -- ARGS...
	local want=$1 pat=$2 what=$3 rc vars=(); shift 3
	while [ "$1" != -- ]; do vars+=("$1"); shift; done
	shift
	env -i "${vars[@]}" "$hook" "$@" 2>"$out" >/dev/null
	rc=$?
	if [ "$rc" = "$want" ] && { if [ "$pat" = EMPTY ]; then [ ! -s "$out" ]; else grep -Eq -- "$pat" "$out"; fi; }; then
		echo "[hooks/log] ok: $what"
	else
		echo "[hooks/log] FAIL: $what: exit $rc (want $want), output: $(cat "$out")"
		fails=$((fails + 1))
	fi
}
door=(SKNOCK_DOOR=ssh SKNOCK_CLIENT=alice SKNOCK_FAMILY=6 SKNOCK_ADDRESS=2001:db8::7
	SKNOCK_PROTO=tcp SKNOCK_PORT=22 SKNOCK_TIMEOUT=30)

expect 0 '^sknock-log: start guard=tcp/22 udp/53$' "start" SKNOCK_GUARD="tcp/22 udp/53" -- start
expect 0 '^sknock-log: open door=.ssh. client=.alice. address=2001:db8::7 port=22/tcp timeout=30$' "open" "${door[@]}" -- open
expect 0 '^sknock-log: close door=.ssh. client=.alice. address=2001:db8::7 port=22/tcp$' "close" "${door[@]}" -- close
expect 0 '^sknock-log: stop$' "stop" -- stop
expect 0 'not printable' "a door name with a newline is not printed raw" "${door[@]}" "SKNOCK_DOOR=$(printf 'x\nopen door=evil')" -- open
expect 2 'SKNOCK_ADDRESS=.2001:db8::7; id' "bad address refused" "${door[@]}" "SKNOCK_ADDRESS=2001:db8::7; id" -- open
expect 2 'SKNOCK_PROTO=.icmp' "bad protocol refused" "${door[@]}" SKNOCK_PROTO=icmp -- open
expect 2 'unknown action' "unknown action refused" "${door[@]}" -- flush
expect 2 'usage' "two actions refused" "${door[@]}" -- open close

expect 0 '^sknock-log: start guard=tcp/22 tcp/8080 forward=tcp/8080$' "start with a forwarded port" SKNOCK_GUARD="tcp/22 tcp/8080" SKNOCK_GUARD_FORWARD=tcp/8080 -- start
expect 2 'SKNOCK_GUARD_FORWARD=.tcp/8080;' "bad forward list refused" SKNOCK_GUARD="tcp/22" "SKNOCK_GUARD_FORWARD=tcp/8080;id" -- start
# No guard to check: `serve` prints nothing, so sknockd never sends check.
expect 0 EMPTY "serve prints nothing (no sknock-hook 0)" -- serve
expect 2 'unknown action' "check is not one of its actions" SKNOCK_GUARD="tcp/22" -- check

# A copy of the hook whose library someone else could change is refused
# before the library is sourced (the daemon checked only the hook).
cp "$hook" "${hook%/*}/hook-lib.sh" "$dir/"
chmod 755 "$dir"
hook="$dir/log"
expect 0 'sknock-log: stop' "a safe copy runs" -- stop
chmod g+w "$dir/hook-lib.sh"
expect 2 'unsafe, not sourced' "group-writable hook-lib.sh refused" -- stop
chmod g-w "$dir/hook-lib.sh"
chmod o+w "$dir"
expect 2 'unsafe, not sourced' "world-writable directory above hook-lib.sh refused" -- stop
chmod o-w "$dir"
mv "$dir/hook-lib.sh" "$dir/lib.real"
ln -s lib.real "$dir/hook-lib.sh"
expect 2 'unsafe, not sourced' "hook-lib.sh as a symlink refused" -- stop

[ $fails -eq 0 ] && { echo "[hooks/log] PASS"; exit 0; }
echo "[hooks/log] FAIL: $fails checks failed"
exit 1

