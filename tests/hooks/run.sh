#!/usr/bin/env bash
# run.sh HOOK LISTEN [serve]: test a firewall hook (conf/hooks/nft or
# conf/hooks/iptables) against the real nftables / iptables of network
# namespaces made here, with real TCP connections.  Needs root (exit 77).
# With "serve" the same checks go to one `HOOK serve` process as request
# lines (DESIGN.md "Hook servers"), as sknockd sends them.
#
#   client1 10.77.1.2 fd00:77:1::2 --veth-- server 10.77.1.1 fd00:77:1::1
#   client2 10.77.2.2 fd00:77:2::2 --veth-- server 10.77.2.1 fd00:77:2::1
#
# The server runs LISTEN (an echo service) on the guarded port 22; the
# hook opens the door for client1 only, so client2 is "everyone else".
set -uo pipefail
. "${BASH_SOURCE%/*}/../lib/ns.sh"

hook=$1 listen=$2 mode=${3:-oneshot}
kind=${hook##*/}
tag=skh$kind$$
ns_s=$tag-s ns_1=$tag-1 ns_2=$tag-2
ifp=h${kind:0:1}$$	# interface names: at most 15 characters
T=$(mktemp -d /tmp/sknock-hooks.XXXXXX)
listen_pid="" srv_pid=""
fails=0

say() { printf '[hooks/%s%s] %s\n' "$kind" "${mode/oneshot/}" "$*"; }
pass() { say "ok: $*"; }
fail() { say "FAIL: $*"; fails=$((fails + 1)); }
check() {	# check TEXT COMMAND...: COMMAND must succeed
	local what=$1; shift
	if "$@"; then pass "$what"; else fail "$what"; fi
}

ns_need_root "network namespaces, $kind"
for p in ip "$kind" timeout; do
	command -v "$p" >/dev/null || {
		echo "*** SKIPPED: $p not installed; run tests/deps.sh ***"
		exit 77
	}
done

cleanup() {
	ns_reap $listen_pid $srv_pid
	ns_drop "$ns_s" "$ns_1" "$ns_2"
	rm -rf "$T"
}
trap cleanup EXIT

# The hooks refuse a library that group or others may change, and a
# checkout's modes follow the umask: run 0755 copies, with the scripts
# they use beside them.
mkdir -m 700 "$T/hooks"
for f in "$hook" "${hook%/*}/nft.sh" "${hook%/*}/hook-lib.sh"; do
	[ -e "$f" ] || continue
	cp "$f" "$T/hooks/" && chmod 0755 "$T/hooks/${f##*/}" || exit 1
done
hook=$T/hooks/${hook##*/}

in_s() { ip netns exec "$ns_s" "$@"; }

# hook_env ACTION VAR=VALUE...: run the hook in the server namespace with
# only these variables, as sknockd does; its stderr goes to $T/hook.err.
hook_env() {
	local action=$1; shift
	[ "$mode" = serve ] && { hook_req "$action" "$@"; return; }
	in_s env -i "$@" "$hook" "$action" 2>"$T/hook.err"
}
# hook_req ACTION VAR=VALUE...: the same as one request line to the
# server; the reply's "exit status N" (a script's) or a refusal
# ("expected") gives the status the one-shot hook would exit with.
hook_req() {
	local line=$1 kv k v reply; shift
	local -A val=()
	local order=()
	for kv in "$@"; do	# a later VAR=VALUE wins, as with env(1)
		k=${kv%%=*} v=${kv#*=}
		k=${k#SKNOCK_} k=${k,,}
		case $k in guard | guard_forward) v=${v// /,} ;; esac
		[ -n "${val[$k]+set}" ] || order+=("$k")
		val[$k]=$v
	done
	for k in "${order[@]}"; do line+=" $k=${val[$k]}"; done
	printf '%s\n' "$line" >&"${SRV[1]}"
	IFS= read -r -t 15 reply <&"${SRV[0]}" || reply="error no reply"
	[ "$reply" = ok ] && { : >"$T/hook.err"; return 0; }
	printf '%s\n' "$reply" >"$T/hook.err"
	[[ $reply =~ exit\ status\ ([0-9]+) ]] && return "${BASH_REMATCH[1]}"
	[[ $reply == *expected* ]] && return 2
	return 1
}
door4() { hook_env "$1" SKNOCK_DOOR=ssh SKNOCK_CLIENT=alice SKNOCK_FAMILY=4 \
	SKNOCK_ADDRESS=10.77.1.2 SKNOCK_PROTO=tcp SKNOCK_PORT=22 SKNOCK_TIMEOUT="${2:-30}"; }
door6() { hook_env "$1" SKNOCK_DOOR=ssh SKNOCK_CLIENT=alice SKNOCK_FAMILY=6 \
	SKNOCK_ADDRESS=fd00:77:1::2 SKNOCK_PROTO=tcp SKNOCK_PORT=22 SKNOCK_TIMEOUT="${2:-30}"; }
start() { hook_env start SKNOCK_GUARD="tcp/22 udp/5353"; }

# connects NS ADDR PORT: a TCP connect from NS answers within 2 s.
connects() {
	ip netns exec "$1" timeout 2 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null
}
# refused NS ADDR PORT: the connect is answered at once with a reset
# (it reached the server's TCP stack, nothing dropped it).
refused() {
	local err
	err=$(ip netns exec "$1" timeout 2 bash -c "exec 3<>/dev/tcp/$2/$3" 2>&1)
	[[ $err == *"refused"* ]]
}
blocked() { ! connects "$@"; }

# --- firewall views, one pair per hook ---------------------------------
if [ "$kind" = nft ]; then
	n_guard_rules() { in_s nft list chain inet sknock input 2>/dev/null | grep -c '@guard drop'; }
	guarded() { in_s nft list set inet sknock guard 2>/dev/null | grep "tcp \. 22" >/dev/null; }
	# n_doors FAMILY ADDR: elements for ADDR . tcp . 22
	n_doors() {
		in_s nft list set inet sknock "allow$1" 2>/dev/null | grep -c "$2 \. tcp \. 22 "
	}
else
	n_guard_rules() { in_s iptables -S SKNOCK 2>/dev/null | grep -c -- '--dport 22 -j DROP'; }
	# (No grep -q or head here: with pipefail, a reader that stops early
	# fails the pipeline when the writer gets SIGPIPE.)
	first_input() { in_s "$1" -S INPUT | awk '/^-A/ { if (!n++) print }'; }
	guarded() {
		[ "$(first_input iptables)" = "-A INPUT -j SKNOCK" ] &&
		[ "$(first_input ip6tables)" = "-A INPUT -j SKNOCK" ] &&
		in_s ip6tables -S SKNOCK | grep -- '--dport 22 -j DROP' >/dev/null
	}
	# n_doors FAMILY ADDR: ADDR's entries in the set of tcp/22
	n_doors() {
		in_s ipset list "sknock$1-tcp-22" 2>/dev/null | grep -c "^$2 timeout"
	}
fi

# --- namespaces ----------------------------------------------------------
say "namespaces $ns_s, $ns_1, $ns_2"
ns_add "$ns_s" "$ns_1" "$ns_2" || { echo "cannot create the namespaces"; exit 1; }
for i in 1 2; do
	ns=$tag-$i
	ns_veth "$ns_s" "${ifp}s$i" "$ns" "${ifp}c$i" &&
		ns_addr "$ns_s" "${ifp}s$i" "10.77.$i.1/24" "fd00:77:$i::1/64" &&
		ns_addr "$ns" "${ifp}c$i" "10.77.$i.2/24" "fd00:77:$i::2/64" || exit 1
done

# Not through in_s: a function run with & is a subshell, and $! would be
# its PID, not the listener's.
ip netns exec "$ns_s" "$listen" -p 22 -t 120 -r "$T/listen.ready" >"$T/listen.out" 2>&1 &
listen_pid=$!
ns_poll 5 test -e "$T/listen.ready" || { say "FAIL: listener did not start: $(cat "$T/listen.out")"; exit 1; }
check "without a guard, client2 connects" connects "$ns_2" 10.77.2.1 22

if [ "$mode" = serve ]; then
	coproc SRV { ip netns exec "$ns_s" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$hook" serve 2>"$T/serve.err"; }
	srv_pid=$SRV_PID
	IFS= read -r -t 5 greeting <&"${SRV[0]}"
	check "the server greets with 'sknock-hook 1'" [ "${greeting-}" = "sknock-hook 1" ]
fi

# A script hook says it runs once per action and knows check (protocol 0);
# only then does sknockd send it check.
if [ "$mode" != serve ] && [ "$(head -c 2 "$hook")" = '#!' ]; then
	out=$(env -i "$hook" serve </dev/null 2>"$T/hook.err"); rc=$?
	check "serve answers 'sknock-hook 0' and exits 0 (got '$out', status $rc)" \
		[ "$out:$rc" = "sknock-hook 0:0" ]
fi

# --- start ---------------------------------------------------------------
check "start succeeds" start
check "start put up the guard" guarded
check "start again succeeds (idempotent)" start
check "two starts leave one guard rule" [ "$(n_guard_rules)" = 1 ]
check "guarded port dropped for client1 (IPv4)" blocked "$ns_1" 10.77.1.1 22
check "guarded port dropped for client1 (IPv6)" blocked "$ns_1" fd00:77:1::1 22
check "guarded port dropped for client2" blocked "$ns_2" 10.77.2.1 22
check "unguarded port untouched (reset from the stack)" refused "$ns_2" 10.77.2.1 23

# --- open ----------------------------------------------------------------
check "open (IPv4) succeeds" door4 open
check "open put one element/rule for client1" [ "$(n_doors 4 10.77.1.2)" = 1 ]
check "client1 connects after open" connects "$ns_1" 10.77.1.1 22
check "client2 still dropped" blocked "$ns_2" 10.77.2.1 22
check "client1 still dropped over IPv6 (not opened)" blocked "$ns_1" fd00:77:1::1 22
check "open again succeeds (refresh)" door4 open 40
check "still one element/rule after two opens" [ "$(n_doors 4 10.77.1.2)" = 1 ]
check "open (IPv6) succeeds" door6 open
check "client1 connects over IPv6 after open" connects "$ns_1" fd00:77:1::1 22
check "client2 dropped over IPv6" blocked "$ns_2" fd00:77:2::1 22
check "start after open keeps the open doors" start
check "door still there after start" [ "$(n_doors 4 10.77.1.2)" = 1 ]

# An established connection outlives its door.
ip netns exec "$ns_1" timeout 10 bash -c '
	exec 3<>/dev/tcp/10.77.1.1/22 || exit 1
	: >"$1/connected"
	for _ in $(seq 50); do [ -e "$1/closed" ] && break; sleep 0.1; done
	printf x >&3 && read -r -t 3 -n 1 r <&3 && [ "$r" = x ]' _ "$T" &
est_pid=$!
ns_poll 5 test -e "$T/connected"

# --- close ---------------------------------------------------------------
check "close (IPv4) succeeds" door4 close
: >"$T/closed"
check "close removed the element/rule" [ "$(n_doors 4 10.77.1.2)" = 0 ]
check "established connection still echoes after close" wait "$est_pid"
check "client1 dropped again after close" blocked "$ns_1" 10.77.1.1 22
check "close when already closed succeeds" door4 close
check "close (IPv6) succeeds" door6 close
check "client1 dropped over IPv6 after close" blocked "$ns_1" fd00:77:1::1 22

# --- timeout: the kernel closes the door (nft sets, ipsets) ----------------
if true; then
	check "open with timeout 2 s succeeds" door4 open 2
	check "element present" [ "$(n_doors 4 10.77.1.2)" = 1 ]
	no_door() { [ "$(n_doors 4 10.77.1.2)" = 0 ]; }
	check "element gone after its timeout" ns_poll 5 no_door
	check "client1 dropped after the timeout" blocked "$ns_1" 10.77.1.1 22
fi

# --- check: the guard is watched and restored --------------------------------
check "check succeeds on a whole guard" hook_env check SKNOCK_GUARD="tcp/22 udp/5353"
flush_guard() {
	if [ "$kind" = nft ]; then in_s nft delete table inet sknock
	else in_s iptables -D INPUT -j SKNOCK; fi
}
flush_guard
check "client2 connects once the guard is flushed" connects "$ns_2" 10.77.2.1 22
hook_env check SKNOCK_GUARD="tcp/22 udp/5353"; rc=$?
check "check exits 3 on a flushed guard (got $rc)" [ "$rc" = 3 ]
check "start restores the guard" start
check "check succeeds after the restore" hook_env check SKNOCK_GUARD="tcp/22 udp/5353"
check "client2 dropped again" blocked "$ns_2" 10.77.2.1 22
if [ "$kind" = nft ]; then
	in_s nft flush set inet sknock guard
	hook_env check SKNOCK_GUARD="tcp/22 udp/5353"; rc=$?
	check "check exits 3 on an emptied guard set (got $rc)" [ "$rc" = 3 ]
	in_s nft flush chain inet sknock input
	hook_env check SKNOCK_GUARD="tcp/22 udp/5353"; rc=$?
	check "check exits 3 on a flushed input chain (got $rc)" [ "$rc" = 3 ]
	check "start restores it" start
fi

# --- bad environment -------------------------------------------------------
# Each must exit 2 with a message and change nothing.
check "open before the bad cases" door4 open 120
refuse() {	# refuse TEXT ACTION VAR=VALUE...
	local what=$1 rc; shift
	hook_env "$@"
	rc=$?
	if [ $rc = 2 ] && [ -s "$T/hook.err" ]; then
		pass "refused $what: $(head -c 120 "$T/hook.err")"
	else
		fail "$what: exit $rc (want 2 and a message): $(cat "$T/hook.err")"
	fi
}
good=(SKNOCK_FAMILY=4 SKNOCK_ADDRESS=10.77.1.2 SKNOCK_PROTO=tcp SKNOCK_PORT=22 SKNOCK_TIMEOUT=30)
bad_env() {	# bad_env TEXT VAR=VALUE: the good open with one value changed
	refuse "$1" open "${good[@]}" "$2"
}
bad_env "address with a command" "SKNOCK_ADDRESS=1.2.3.4; reboot"
bad_env "address with nft syntax" "SKNOCK_ADDRESS=1.2.3.4 . tcp . 22 }; flush ruleset; add element inet sknock allow4 { 10.77.2.2"
bad_env "address with a substitution" "SKNOCK_ADDRESS=\$(touch $T/pwned)"
# (A request line cannot hold a newline: sknockd's values never do.)
[ "$mode" = serve ] ||
	bad_env "address with a newline" "SKNOCK_ADDRESS=$(printf '10.77.1.2\nflush ruleset')"
bad_env "octet 256" SKNOCK_ADDRESS=256.1.1.1
bad_env "leading zero" SKNOCK_ADDRESS=010.77.1.2
bad_env "three octets" SKNOCK_ADDRESS=10.77.1
bad_env "five octets" SKNOCK_ADDRESS=10.77.1.2.3
bad_env "prefix length" SKNOCK_ADDRESS=10.77.1.0/24
bad_env "empty address" SKNOCK_ADDRESS=
bad_env "IPv6 address with family 4" SKNOCK_ADDRESS=fd00:77:1::2
refuse "IPv4 address with family 6" open "${good[@]}" SKNOCK_FAMILY=6
refuse "IPv6 with two ::" open "${good[@]}" SKNOCK_FAMILY=6 SKNOCK_ADDRESS=fd00::1::2
refuse "IPv6 with a 5-digit group" open "${good[@]}" SKNOCK_FAMILY=6 SKNOCK_ADDRESS=fd00:12345::2
refuse "IPv6 with nine groups" open "${good[@]}" SKNOCK_FAMILY=6 SKNOCK_ADDRESS=1:2:3:4:5:6:7:8:9
refuse "IPv6 with a zone" open "${good[@]}" SKNOCK_FAMILY=6 SKNOCK_ADDRESS=fe80::1%eth0
bad_env "family 5" SKNOCK_FAMILY=5
bad_env "port 0" SKNOCK_PORT=0
bad_env "port 70000" SKNOCK_PORT=70000
bad_env "port with junk" "SKNOCK_PORT=22 }"
bad_env "negative port" SKNOCK_PORT=-22
bad_env "proto icmp" SKNOCK_PROTO=icmp
bad_env "proto TCP" SKNOCK_PROTO=TCP
bad_env "timeout 0" SKNOCK_TIMEOUT=0
bad_env "timeout with unit" SKNOCK_TIMEOUT=30s
refuse "missing variables" open
refuse "close with bad port" close "${good[@]}" SKNOCK_PORT=65536
refuse "unknown action" reboot "${good[@]}"
refuse "guard with a bad protocol" start SKNOCK_GUARD="icmp/1"
refuse "guard with port 0" start SKNOCK_GUARD="tcp/0"
refuse "guard with a command" start "SKNOCK_GUARD=tcp/22; reboot"
refuse "guard with a glob" start "SKNOCK_GUARD=tcp/*"
refuse "empty guard" start SKNOCK_GUARD=
check "no substitution ran" [ ! -e "$T/pwned" ]
check "refusals kept the open door" [ "$(n_doors 4 10.77.1.2)" = 1 ]
check "refusals opened nothing for client2" [ "$(n_doors 4 10.77.2.2)" = 0 ]
check "refusals opened nothing over IPv6" [ "$(n_doors 6 fd00:77:1::2)" = 0 ]
check "refusals left the guard" guarded

# --- stop ------------------------------------------------------------------
check "stop succeeds" hook_env stop SKNOCK_GUARD="tcp/22 udp/5353"
check "stop leaves the guard (fail-closed)" guarded
check "stop leaves the open door to its timeout" [ "$(n_doors 4 10.77.1.2)" = 1 ]
check "client2 still dropped after stop" blocked "$ns_2" 10.77.2.1 22

if [ "$mode" = serve ]; then
	check "one server served every request" kill -0 "$srv_pid"
	exec {SRV[1]}>&-
	wait "$srv_pid"; rc=$?
	check "the server exits 0 at the end of its input (got $rc)" [ "$rc" = 0 ]
	srv_pid=""
fi

if [ $fails -eq 0 ]; then
	say "PASS"
	exit 0
fi
say "FAIL: $fails checks failed"
exit 1
