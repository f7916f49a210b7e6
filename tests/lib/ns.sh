# ns.sh: two network namespaces joined by a veth pair, for the daemon
# suites that run sknockd in one (the server, _s) and knock from the
# other (the client, _c), plus the cleanup and polling they share;
# ns_reap and ns_drop also serve tests/e2e/lib.sh and tests/bench/run.sh.
# Sourced (bash); the caller keeps its own fail() and trap.
#
# After ns_names TAG NAME NET the caller has ns_s ns_c (namespaces
# sknock-NAME-PID-s/-c), if_s if_c (veth ends TAGPIDs/TAGPIDc) and
# v4_s v4_c (10.NET.X.1 and .2, X from the PID, so parallel runs differ).

# ns_need_root WHY: skip loudly (meson SKIP, 77) unless root.
ns_need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "*** SKIPPED: needs root ($1) ***"
		exit 77
	fi
}

ns_names() {
	local net=10.$3.$(( $$ % 250 + 1 ))

	ns_s=sknock-$2-$$-s ns_c=sknock-$2-$$-c
	if_s=$1$$s if_c=$1$$c
	v4_s=$net.1 v4_c=$net.2
}

# ns_up: make both namespaces and the veth pair, lo and the ends up, the
# v4 addresses (/24) and, where v6_s and v6_c are set, v6 (/64, no DAD).
# Calls the caller's fail on any error.
ns_up() {
	local side ns if a4 a6

	ip netns add "$ns_s" || fail "ip netns add"
	ip netns add "$ns_c" || fail "ip netns add"
	ip link add "$if_s" netns "$ns_s" type veth peer name "$if_c" \
		netns "$ns_c" || fail "veth"
	for side in s c; do
		ns=ns_$side if=if_$side a4=v4_$side a6=v6_$side
		ip -n "${!ns}" link set lo up &&
			ip -n "${!ns}" link set "${!if}" up &&
			ip -n "${!ns}" addr add "${!a4}/24" dev "${!if}" ||
			fail "addresses"
		[ -z "${!a6:-}" ] ||
			ip -n "${!ns}" addr add "${!a6}/64" dev "${!if}" nodad ||
			fail "addresses"
	done
}

# ns_stop: kill the daemon whose PID is in $pid, if it still runs.
ns_stop() {
	if [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
	fi
}

# ns_remove: delete both namespaces and the scratch directory $tmp.
ns_remove() {
	ip netns del "$ns_s" 2>/dev/null
	ip netns del "$ns_c" 2>/dev/null
	rm -rf "$tmp"
}

# ns_reap PID...: TERM each, up to 3 s for it to go, then KILL and reap.
ns_reap() {
	local p i
	for p in "$@"; do kill -TERM "$p" 2>/dev/null; done
	for p in "$@"; do
		for ((i = 0; i < 30; i++)); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
}

# ns_drop NS...: KILL what still runs in each namespace (all started by
# the caller, who made it), then delete the namespace.
ns_drop() {
	local ns p
	for ns in "$@"; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null
	done
}

# ns_dump LINES: the end of the daemon log(s) and the decisions in $tmp,
# for a fail() report.
ns_dump() {
	echo "--- daemon log"; cat "$tmp"/log* 2>/dev/null | tail -n "$1"
	echo "--- decisions"; cat "$tmp"/out* 2>/dev/null
}

# ns_poll TIMEOUT_S CMD...: run CMD every 30 ms until it succeeds (0) or
# TIMEOUT_S (whole seconds) pass (1).
ns_poll() {
	local t=${EPOCHREALTIME/[.,]/} end
	end=$((t / 1000 + $1 * 1000))
	shift
	while true; do
		"$@" && return 0
		t=${EPOCHREALTIME/[.,]/}
		[ $((t / 1000)) -ge "$end" ] && return 1
		sleep 0.03
	done
}

# wait_for FILE PATTERN [COUNT] [SECONDS]: poll until grep -c >= COUNT.
wait_for() {
	local file=$1 pat=$2 count=${3:-1} secs=${4:-10} i
	for ((i = 0; i < secs * 20; i++)); do
		[ "$(grep -cE -- "$pat" "$file" 2>/dev/null)" -ge "$count" ] \
			&& return 0
		sleep 0.05
	done
	return 1
}
