# ns.sh: network namespaces and veth pairs for every suite that needs
# them, plus the cleanup and polling they share.  ns_add, ns_veth and
# ns_addr build any topology (hooks, client, bench, e2e forwarding);
# ns_names and ns_up make the daemon suites' usual two namespaces, the
# server (_s) and the client (_c), joined by one veth pair.
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

# ns_add NS...: make each namespace with its lo up; 1 at the first that
# fails (the caller deletes what it made).
ns_add() {
	local ns
	for ns in "$@"; do
		ip netns add "$ns" && ip -n "$ns" link set lo up || return 1
	done
}

# ns_veth NS_A IF_A NS_B IF_B [QUEUES]: a veth pair, IF_A in NS_A and
# IF_B in NS_B (the same namespace for a pair inside one), both ends up;
# QUEUES TX and RX queues on each end where given.  1 on failure.
ns_veth() {
	local q=()
	[ -z "${5:-}" ] || q=(numtxqueues "$5" numrxqueues "$5")
	ip -n "$1" link add name "$2" "${q[@]}" type veth \
		peer name "$4" "${q[@]}" netns "$3" &&
		ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

# ns_addr NS IF ADDR/LEN...: add each address to IF in NS, v6 without
# duplicate address detection (usable at once).  1 on failure.
ns_addr() {
	local ns=$1 if=$2 a dad
	shift 2
	for a in "$@"; do
		dad=()
		[[ $a == *:* ]] && dad=(nodad)
		ip -n "$ns" addr add "$a" dev "$if" "${dad[@]}" || return 1
	done
}

# ns_up: make both namespaces and the veth pair, lo and the ends up, the
# v4 addresses (/24) and, where v6_s and v6_c are set, v6 (/64, no DAD).
# Calls the caller's fail on any error.
ns_up() {
	local side ns if a4 a6

	ns_add "$ns_s" "$ns_c" || fail "ip netns add"
	ns_veth "$ns_s" "$if_s" "$ns_c" "$if_c" || fail "veth"
	for side in s c; do
		ns=ns_$side if=if_$side a4=v4_$side a6=v6_$side
		ns_addr "${!ns}" "${!if}" "${!a4}/24" \
			${!a6:+"${!a6}/64"} || fail "addresses"
	done
}

# ns_hosts NS "ADDR NAME"...: /etc/netns/NS/hosts (localhost first),
# which `ip netns exec` mounts over /etc/hosts inside NS only.  1 on
# failure; the caller removes it with ns_unhosts.
ns_hosts() {
	local ns=$1
	shift
	mkdir -p "/etc/netns/$ns" &&
		printf '%s\n' "127.0.0.1 localhost" "$@" >"/etc/netns/$ns/hosts"
}

# ns_unhosts NS...: remove what ns_hosts made (/etc/netns too, if empty).
ns_unhosts() {
	local ns
	for ns in "$@"; do
		rm -f "/etc/netns/$ns/hosts" &&
			rmdir "/etc/netns/$ns" /etc/netns 2>/dev/null
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
