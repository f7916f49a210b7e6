# cases.sh: privilege separation under faults, on the e2e topology with
# the real nft hook (tests/e2e/lib.sh; run.sh CASES_FILE NAME calls
# case_NAME).  Each case shows the door stays shut while it should and
# that nothing is lost; figures are printed as `name value unit`.

# shellcheck source=../e2e/cases.sh
. "$here/cases.sh"

# Bounds: a sanitizer build is several times slower (SK_PRIVSEP_SANITIZED).
SLOW=1
[ "${SK_PRIVSEP_SANITIZED:-0}" = 1 ] && SLOW=3
REPLACE_MAX_MS=$((1000 * SLOW))

# The last capture child the daemon announced, and how long after the one
# before it ended (the daemon's own monotonic clock).
child_pid() {
	sed -n 's/^<6>capture child \([0-9]*\) up: .*/\1/p' "$T/daemon.err" | tail -n 1
}
child_count() { grep -c '^<6>capture child [0-9]* up: ' "$T/daemon.err"; }
_child_more() { [ "$(child_count)" -gt "$1" ]; }

# proc_field PID FIELD: a field of /proc/PID/status.
proc_field() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status"; }

case_caps() {
	std_setup
	local parent=$sk_daemon_pid child
	child=$(child_pid)
	[ -n "$child" ] || sk_fail "no 'capture child N up' line"
	sk_step "the child of $parent is $child"
	[ "$(proc_field "$child" PPid)" = "$parent" ] || sk_fail "child $child is not the daemon's"
	echo "privsep_parent_capeff $(proc_field "$parent" CapEff) hex"
	echo "privsep_child_capeff $(proc_field "$child" CapEff) hex"
	echo "privsep_child_nonewprivs $(proc_field "$child" NoNewPrivs) flag"
	echo "privsep_child_seccomp $(proc_field "$child" Seccomp) mode"
	echo "privsep_child_uid $(proc_field "$child" Uid) uid"
	[ "$(proc_field "$child" CapEff)" = 0000000000000000 ] || sk_fail "child keeps capabilities"
	[ "$(proc_field "$child" CapPrm)" = 0000000000000000 ] || sk_fail "child may regain capabilities"
	[ "$(proc_field "$child" NoNewPrivs)" = 1 ] || sk_fail "child lacks no_new_privs"
	[ "$(proc_field "$child" Seccomp)" = 2 ] || sk_fail "child has no seccomp filter"
	[ "$(proc_field "$child" Uid)" = 65534 ] || sk_fail "child still root"
	[ "$(proc_field "$parent" CapEff)" != 0000000000000000 ] ||
		sk_fail "parent has no capability (cannot run the nft hook)"
	sk_step "the child holds only its socket, stdio and the capture"
	local fds
	fds=$(find "/proc/$child/fd" -mindepth 1 | wc -l)
	echo "privsep_child_fds $fds count"
	[ "$fds" -le 5 ] || sk_fail "child holds $fds descriptors: $(ls -l "/proc/$child/fd")"
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
}

case_kill_child() {
	std_setup
	local old new n t0 t1 ms
	old=$(child_pid) n=$(child_count)
	sk_step "SIGKILL the capture child $old"
	t0=$(sk_ms)
	kill -KILL "$old" || sk_fail "kill $old"
	sk_expect_closed "$NS_C" "$SK_S4"
	sk_poll 5 _child_more "$n" || sk_fail "no new capture child within 5 s"
	t1=$(sk_ms)
	new=$(child_pid)
	[ "$new" != "$old" ] || sk_fail "the same child announced twice"
	ms=$(sed -n "s/^<6>capture child $new up: .*, \([0-9]*\) ms after the last one ended/\1/p" "$T/daemon.err")
	[ -n "$ms" ] || sk_fail "no replacement time in the log"
	echo "privsep_replace_ms $ms ms"
	echo "privsep_replace_observed_ms $((t1 - t0)) ms"
	[ "$ms" -lt "$REPLACE_MAX_MS" ] || sk_fail "replacement took $ms ms (>= $REPLACE_MAX_MS)"
	sk_poll 5 _log_has "capture child $old .*killed by signal 9" ||
		sk_fail "the child's death is not logged with its signal"
	sk_daemon_alive || sk_fail "the parent died with its child"
	sk_step "no connect while it was replaced; the next knock opens"
	sk_no_open_since 0
	sk_expect_closed "$NS_C" "$SK_S4"
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
}

_log_has() { grep -Eq -- "$1" "$T/daemon.err"; }

_gone() { ! kill -0 "$1" 2>/dev/null; }

case_kill_parent() {
	std_setup 3
	capture_knock "$NS_C" srv
	local parent=$sk_daemon_pid child t0
	child=$(child_pid)
	sk_step "SIGKILL the parent $parent"
	kill -KILL "$parent" || sk_fail "kill $parent"
	t0=$(sk_ms)
	wait "$parent" 2>/dev/null
	sk_untrack "$parent"
	sk_daemon_pid=""
	sk_poll 5 _gone "$child" || sk_fail "the capture child outlived its parent"
	sk_step "the kernel closes the open door at its timeout (3 s)"
	sk_can_connect "$NS_C" "$SK_S4" || sk_fail "the door closed at the kill, not at its timeout"
	sk_poll 8 conn_closed "$NS_C" "$SK_S4" || sk_fail "still open 8 s after the kill"
	echo "privsep_parent_kill_close_ms $(($(sk_ms) - t0)) ms"
	sk_expect_closed "$NS_T" "$SK_S4"
	sk_step "a restart refuses the knock made before the kill"
	sk_daemon_start
	refused_logged "$SK_C4" ssh replay_from "$NS_C" "-i eth0"
	grep -q "rejected token from $SK_C4 door=ssh: replayed token" "$T/daemon.err" ||
		sk_fail "the replay is not logged as one"
	sk_expect_closed "$NS_C" "$SK_S4"
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
}

# The state directory on a small tmpfs of its own, unmounted at exit
# (sk_cleanup reads the exit status from $?, so it is passed on).
full_cleanup() {
	local rc=$?
	umount -l "$T/state" 2>/dev/null
	(exit "$rc")
	sk_cleanup
}

# The replay store writes into zeroed slots made ahead (RS_SLACK, 256 in
# daemon/replaystore.c); a full disk refuses knocks once they are used.
SLOTS=256

case_full_state() {
	sk_step "state_dir on a 64 KiB tmpfs"
	mount -t tmpfs -o size=64k,mode=0700 sknock-test "$T/state" ||
		sk_fatal "mount tmpfs"
	trap full_cleanup EXIT
	many_sources "$SLOTS"
	spa_setup
	sk_step "fill it"
	dd if=/dev/zero of="$T/state/fill" bs=1k count=1024 2>/dev/null
	[ "$(df --output=avail -k "$T/state" | tail -n 1 | tr -d ' ')" -eq 0 ] ||
		sk_fatal "tmpfs not full"
	sk_step "the $SLOTS slots made ahead take $SLOTS knocks"
	loadknock -n "$SLOTS" -r 200 >/dev/null || sk_fail "loadknock"
	sk_poll $((20 * SLOW)) _spa_opens_at_least "$SLOTS" || sk_fail "only $(sk_opens 'door=spa ') of $SLOTS opened"
	sk_step "then a knock is refused, and the log says why"
	refused_logged "$SK_C4" ssh sk_knock "$NS_C" -c "$T/knock.conf" srv
	grep -q "rejected token from $SK_C4 door=ssh: replay cache not written to disk" \
		"$T/daemon.err" || sk_fail "the refusal does not name the disk"
	sk_expect_closed "$NS_C" "$SK_S4"
	sk_daemon_alive || sk_fail "sknockd died on a full disk"
	sk_step "space freed: the next knock opens"
	rm -f "$T/state/fill"
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
}

# many_sources N: N addresses 10.66.1.1... on the client's eth0.
SPA_PORT=9500
many_sources() {
	local i
	SRCS=()
	for ((i = 0; i < $1; i++)); do
		SRCS+=("10.66.$((1 + i / 250)).$((1 + i % 250))")
	done
	printf 'addr add %s/32 dev eth0\n' "${SRCS[@]}" | ip -n "$NS_C" -batch - ||
		sk_fatal "addresses in $NS_C"
}

# spa_setup: door ssh as usual, plus door spa (one signed datagram) for
# client load, its limits as shipped.
spa_setup() {
	{
		door ssh "$SEQ" "alice" "timeout = 30"
		door spa "$SPA_PORT/udp" "load" "timeout = 60"
		client alice load
	} | sk_conf_daemon
	alias_sec srv "$SK_S4" ssh "$SEQ" alice | sk_client_conf
	sk_daemon_start
}

loadknock() {
	sk_in "$NS_C" "$SK_PRIVSEP_TOOLS/loadknock" -k "$T/load.key" -d spa \
		-p "$SPA_PORT" "$@" "$SK_S4" "${SRCS[@]}"
}

_spa_opens_at_least() { [ "$(sk_opens 'door=spa ')" -ge "$1" ]; }

# nft_allowed: addresses in the nft hook's allow4 set (the kernel's view).
nft_allowed() {
	sk_in "$NS_S" nft list set inet sknock allow4 | grep -o '10\.66\.[0-9]*\.[0-9]*' | sort -u | wc -l
}
_nft_at_least() { [ "$(nft_allowed)" -ge "$1" ]; }

case_load500() {
	many_sources 500
	spa_setup
	sk_step "500 addresses, one knock each, within 1 s"
	local t0 t1 out
	t0=$(sk_ms)
	out=$(loadknock -n 500 -r 500) || sk_fail "loadknock: $out"
	sk_log "$out"
	sk_poll $((20 * SLOW)) _spa_opens_at_least 500 || sk_fail "only $(sk_opens 'door=spa ') of 500 opened"
	t1=$(sk_ms)
	echo "privsep_load_opens $(sk_opens 'door=spa ') count"
	echo "privsep_load_decided_ms $((t1 - t0)) ms"
	sk_poll $((30 * SLOW)) _nft_at_least 500 || sk_fail "only $(nft_allowed) of 500 in the nft set"
	echo "privsep_load_nft_elements $(nft_allowed) count"
	echo "privsep_load_nft_ms $(($(sk_ms) - t0)) ms"
	grep -q 'capture child .*replacing' "$T/daemon.err" && sk_fail "the child was replaced under load"
	sk_daemon_alive || sk_fail "sknockd died under load"
}

case_hup_load() {
	many_sources 500
	spa_setup
	local lk i hups=0 n=$((2000 / SLOW)) rate=$((1000 / SLOW))
	sk_step "$n knocks at $rate/s from 500 addresses, SIGHUP every 200 ms"
	loadknock -n "$n" -r "$rate" >"$T/load.out" 2>&1 &
	lk=$!
	sk_track "$lk"
	for ((i = 0; i < 15; i++)); do
		kill -0 "$lk" 2>/dev/null || break
		# One reload adds a client (its key is read), none changes
		# the doors, so the capture child stays.
		[ "$i" -eq 1 ] && client bob >>"$T/sknockd.conf"
		kill -HUP "$sk_daemon_pid" || sk_fail "sknockd died during the load"
		hups=$((hups + 1))
		sleep 0.2
	done
	wait "$lk" || sk_fail "loadknock: $(cat "$T/load.out")"
	sk_untrack "$lk"
	sk_poll $((20 * SLOW)) _spa_opens_at_least "$n" || sk_fail "only $(sk_opens 'door=spa ') of $n opened"
	sk_barrier
	echo "privsep_hup_rate $rate per_second"
	echo "privsep_hup_knocks $n count"
	echo "privsep_hup_opens $(sk_opens 'door=spa ') count"
	echo "privsep_hup_signals $hups count"
	[ "$(sk_opens 'door=spa ')" -eq "$n" ] || sk_fail "$(sk_opens 'door=spa ') opens for $n knocks"
	sk_daemon_alive || sk_fail "sknockd died"
	# Signals sent while the parent is busy merge into one; the config
	# with bob must have been loaded at least once.
	echo "privsep_hup_reloads $(grep -c '^<6>reloaded' "$T/daemon.err") count"
	grep -q '^<6>reloaded .*: 3 doors, 3 clients' "$T/daemon.err" ||
		sk_fail "the reload that adds bob never happened"
	grep -q 'reload failed' "$T/daemon.err" && sk_fail "a reload failed"
	# Decisions are the capture path's; hook runs beyond the queue are
	# dropped (one process per run), so the set may miss some addresses.
	echo "privsep_hup_hook_dropped $(grep -c 'hook open not run' "$T/daemon.err") count"
	echo "privsep_hup_nft_addresses $(nft_allowed) count"
	grep -q 'capture child .*replacing' "$T/daemon.err" && sk_fail "the child was replaced by a reload"
	return 0
}

_neigh_learnt() {
	sk_in "$NS_C" bash -c "echo >/dev/udp/$SK_S4/9" 2>/dev/null
	ip -n "$NS_C" neigh show "$SK_S4" | grep -qi "$SK_SMAC"
}

# The capture child cannot reopen a capture: when its interface goes away
# it says so, and once the interface is back and up the parent starts a
# child that opens it.  Meanwhile the door stays shut.
case_iface_away() {
	std_setup
	local old n
	old=$(child_pid) n=$(child_count)
	sk_step "the server's eth0 goes away"
	ip -n "$NS_B" link del ps || sk_fatal "del veth"
	sk_poll 10 _log_has "interface eth0: .*retrying" ||
		sk_fail "the lost interface is not logged"
	sk_daemon_alive || sk_fail "sknockd died with its interface"
	_log_has "capture child $old (killed|closed)" && sk_fail "the child died of the lost interface"
	sk_step "it comes back"
	local t0
	t0=$(sk_ms)
	ip -n "$NS_B" link add ps type veth peer name eth0 netns "$NS_S" &&
		ip -n "$NS_B" link set ps master br0 up || sk_fatal "veth back"
	_sk_addrs "$NS_S" "$SK_S4" "$SK_S6"
	# The new veth has a new MAC: the client must learn it first.
	SK_SMAC=$(ip -n "$NS_S" -br link show eth0 | awk '{print $3}')
	ip -n "$NS_C" neigh flush all
	sk_poll 10 _neigh_learnt || sk_fatal "the client never learnt the new MAC"
	sk_poll 15 _child_more "$n" || sk_fail "no new capture child for the interface"
	echo "privsep_iface_back_ms $(($(sk_ms) - t0)) ms"
	_log_has "capture child $old replaced: interface eth0 is there again" ||
		sk_fail "the replacement does not say why"
	sk_expect_closed "$NS_C" "$SK_S4"
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
}

# A reload that changes the doors' steps starts a new child (it has the
# old doors); one that changes only clients keeps it.
case_reload_doors() {
	std_setup
	local old n
	old=$(child_pid) n=$(child_count)
	sk_step "a reload that adds a client keeps the child"
	client carol >>"$T/sknockd.conf"
	sk_daemon_hup 'reloaded .* 3 clients'
	[ "$(child_count)" -eq "$n" ] || sk_fail "the child was replaced for a client"
	sk_step "a reload that changes the sequence replaces it"
	sed -i 's/^sequence = 7000\/tcp, 8000\/udp, 9000\/udp/sequence = 7100\/tcp, 8000\/udp, 9000\/udp/' \
		"$T/sknockd.conf"
	sk_daemon_hup 'reloaded'
	sk_poll 5 _child_more "$n" || sk_fail "no new child for the new doors"
	_log_has "capture child $old replaced: the doors changed" || sk_fail "no reason logged"
	echo "privsep_reload_gap_ms $(sed -n "s/^<6>capture child $(child_pid) up: .*, \([0-9]*\) ms after the last one ended/\1/p" "$T/daemon.err") ms"
	sk_step "the old sequence opens nothing, the new one opens"
	knock_refused "$NS_C" "$SK_S4" sk_knock "$NS_C" -c "$T/knock.conf" srv
	alias_sec srv2 "$SK_S4" ssh "7100/tcp, 8000/udp, 9000/udp" alice >>"$T/knock.conf"
	knock_opens "$NS_C" srv2 "$SK_S4" "client=alice address=$SK_C4"
}
