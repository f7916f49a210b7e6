# cases.sh: the hook runner inside the real sknockd:
# hook servers, the guard's care, serialised runs, bounded output, the
# iptables hook after a crash, forwarded ports.  tests/e2e/run.sh calls
# case_NAME after sk_setup (namespaces and listener up, no daemon yet).
# SK_HOOK is the hook under test where a case uses a real one; the others
# write a small hook of their own into $T/hooks.

SEQ="7000/tcp, 8000/udp, 9000/udp"

# std_conf [TIMEOUT] [DOOR LINES...]: door ssh for alice, an alias for it.
std_conf() {
	local timeout=${1:-30}
	shift
	{
		printf '[door:ssh]\nsequence = %s\nopen = %s/tcp\nclients = alice\ntimeout = %s\n' \
			"$SEQ" "$SK_PORT" "$timeout"
		printf '%s\n' "$@"
		echo
		[ -e "$T/alice.key" ] || sk_key alice
		printf '[client:alice]\nkey = %s\n\n' "$T/alice.key"
	} | sk_conf_daemon
	{
		printf '[srv]\nhost = %s\ndoor = ssh\nsequence = %s\nopen = %s/tcp\nkey = %s\n\n' \
			"$SK_S4" "$SEQ" "$SK_PORT" "$T/alice.key"
		cat "$T/extra.alias" 2>/dev/null
	} | sk_client_conf
}

# fake_hook NAME < SCRIPT: a hook of the case's own, used from now on.
fake_hook() {
	cat >"$T/hooks/$1" && chmod 0755 "$T/hooks/$1" || sk_fatal "hook $1"
	SK_HOOK=$T/hooks/$1
}

# hk_start: sknockd -f in the server namespace; wait for `ready`.
hk_start() {
	sk_step "start sknockd"
	local before
	before=$(sk_ready_count || true)
	ip netns exec "$NS_S" "$SK_SKNOCKD" -c "$T/sknockd.conf" -f \
		>>"$T/daemon.out" 2>>"$T/daemon.err" &
	sk_daemon_pid=$!
	sk_track "$sk_daemon_pid"
	sk_poll "${1:-15}" _sk_ready_after "${before:-0}" || sk_fail "no 'ready' line"
	sk_daemon_alive || sk_fail "sknockd exited before it was ready"
}

# logged ERE [N] [SECONDS]: the daemon's log has N lines matching ERE.
logged() { sk_poll "${3:-10}" _sk_grep_more "$T/daemon.err" "$1" "$((${2:-1} - 1))"; }
n_logged() { grep -Ec -- "$1" "$T/daemon.err"; }

knock() { sk_knock "$NS_C" -c "$T/knock.conf" srv || sk_fail "knock failed"; }

# --- the compiled nft hook serves ------------------------------------------
case_serve_nft() {
	std_conf
	hk_start
	sk_step "the compiled nft hook greeted: one server"
	grep -Eq 'hook .*/nft serves \(pid [0-9]+\)' "$T/daemon.err" ||
		sk_fail "the compiled nft hook did not become a server"
	sk_poll 10 sk_in "$NS_S" nft list chain inet sknock input >/dev/null ||
		sk_fail "no guard after ready"
	sk_expect_closed "$NS_C" "$SK_S4"
	sk_step "a knock opens through the server"
	knock
	sk_wait_open "door=ssh client=alice address=$SK_C4"
	sk_expect_open "$NS_C" "$SK_S4"
	sk_step "no process was started for the open"
	local srv
	srv=$(grep -Eo 'serves \(pid [0-9]+' "$T/daemon.err" | grep -Eo '[0-9]+$')
	kill -0 "$srv" || sk_fail "the server $srv is gone"
	grep -Eq 'hook open\[[0-9]+\]' "$T/daemon.err" && sk_fail "an open ran as a process of its own"
	sk_daemon_stop
}

# A bash hook server: records each request line with its pid; the first
# open of door "die" kills it mid-request, open of door "hang" never
# gets a reply.  One-shot runs are recorded too.
server_hook() {
	fake_hook srv <<HOOK
#!/bin/bash
if [ "\$1" = serve ]; then
	echo "sknock-hook 1"
	echo "server \$\$ up" >&2
	while IFS= read -r line; do
		echo "\$\$ \$line" >>"$T/srv.rec"
		case \$line in
		"open door=die "*) [ -e "$T/died" ] || { : >"$T/died"; kill -9 \$\$; } ;;
		"open door=hang "*) sleep 60 ;;
		esac
		echo ok
	done
	exit 0
fi
echo "oneshot \$1 \${SKNOCK_DOOR:-}" >>"$T/oneshot.rec"
HOOK
}

extra_doors() {
	local d p=7100
	for d in "$@"; do
		printf '[door:%s]\nsequence = %s/tcp, %s/udp\nopen = %s/tcp\nclients = alice\n\n' \
			"$d" "$p" "$((p + 1))" "$SK_PORT"
		printf '[%s]\nhost = %s\ndoor = %s\nsequence = %s/tcp, %s/udp\nopen = %s/tcp\nkey = %s\n\n' \
			"$d" "$SK_S4" "$d" "$p" "$((p + 1))" "$SK_PORT" "$T/alice.key" >>"$T/extra.alias"
		p=$((p + 10))
	done
}

case_serve_protocol() {
	server_hook
	std_conf 30 "$(extra_doors die after)"
	hk_start
	logged 'hook .*/srv serves \(pid' || sk_fail "the server did not greet"
	sk_step "start as a request line"
	grep -Eq "^[0-9]+ start guard=tcp/$SK_PORT,udp/9 guard_forward=\$" "$T/srv.rec" ||
		sk_fail "start request: $(cat "$T/srv.rec")"
	sk_step "open as a request line"
	knock
	sk_poll 5 grep -q ' open ' "$T/srv.rec" || sk_fail "no open request"
	grep -Eq "^[0-9]+ open door=ssh client=alice address=$SK_C4 family=4 proto=tcp port=$SK_PORT timeout=30\$" \
		"$T/srv.rec" || sk_fail "open request: $(grep ' open ' "$T/srv.rec")"
	[ ! -e "$T/oneshot.rec" ] || sk_fail "one-shot runs beside a server: $(cat "$T/oneshot.rec")"
	sk_step "a server that dies mid-request: restarted, the open retried one-shot"
	sk_knock "$NS_C" -c "$T/knock.conf" die || sk_fail "knock die"
	logged 'hook server .*/srv\[[0-9]+\] died \((killed by signal 9|it closed its output)\); restarting it, and running open again as a one-shot run' ||
		sk_fail "the death was not logged"
	sk_poll 5 grep -qx 'oneshot open die' "$T/oneshot.rec" || sk_fail "the open was not retried one-shot"
	logged 'hook .*/srv serves \(pid' 2 || sk_fail "the server was not restarted"
	sk_step "the new server serves the next open"
	local old
	old=$(awk '/ open door=die /{print $1; exit}' "$T/srv.rec")
	# (Another door: a repeat of an open door within a second runs no hook.)
	sk_knock "$NS_C" -c "$T/knock.conf" after || sk_fail "knock after"
	sk_poll 5 grep -q ' open door=after ' "$T/srv.rec" || sk_fail "the next open was not served"
	[ "$(awk '/ open door=after /{print $1}' "$T/srv.rec")" != "$old" ] ||
		sk_fail "the dead server's pid served again"
	[ "$(grep -c . "$T/oneshot.rec")" = 1 ] || sk_fail "more than one retry: $(cat "$T/oneshot.rec")"
	sk_daemon_stop
	grep -Eq '^[0-9]+ stop guard=' "$T/srv.rec" || sk_fail "stop not sent to the server"
}

# A reload that finds the hook's directory writable by others keeps the
# old configuration (and its checked hook) and says why.
case_reload_unsafe() {
	server_hook
	std_conf
	hk_start
	sk_step "chmod o+w on the hook's directory, then SIGHUP"
	chmod o+w "$T/hooks"
	sk_daemon_hup 'reload failed'
	grep -Eq "hooks: mode 0[0-7]+ lets group/others change it; run chmod go-w" "$T/daemon.err" ||
		sk_fail "the unsafe directory is not named"
	chmod o-w "$T/hooks"
	knock
	sk_poll 5 grep -q ' open door=ssh ' "$T/srv.rec" || sk_fail "the old hook stopped serving"
	sk_daemon_stop
}

# A reload keeps the server of an unchanged hook and replaces the server
# of a hook that was replaced (an upgrade).
case_serve_reload() {
	server_hook
	std_conf
	hk_start
	logged 'serves \(pid' || sk_fail "the server did not greet"
	sk_step "SIGHUP with the same hook: the same server"
	sk_daemon_hup 'reloaded'
	sleep 0.5	# a new server would greet within this (the check is the count)
	[ "$(n_logged 'serves \(pid')" = 1 ] || sk_fail "an unchanged hook got a new server"
	sk_step "the hook replaced, then SIGHUP: a new server"
	cp "$T/hooks/srv" "$T/hooks/srv.new" && chmod 755 "$T/hooks/srv.new" &&
		echo '# upgraded' >>"$T/hooks/srv.new" && mv "$T/hooks/srv.new" "$T/hooks/srv" ||
		sk_fatal "replace the hook"
	sk_daemon_hup 'reloaded'
	logged 'serves \(pid' 2 || sk_fail "the replaced hook got no new server"
	knock
	sk_poll 5 grep -q ' open door=ssh ' "$T/srv.rec" || sk_fail "the new server did not serve"
	sk_daemon_stop
}

case_serve_hang() {
	server_hook
	std_conf 30 "$(extra_doors hang)"
	hk_start
	logged 'serves \(pid' || sk_fail "the server did not greet"
	sk_step "a server that never answers: killed at 10 s, the open retried one-shot"
	sk_knock "$NS_C" -c "$T/knock.conf" hang || sk_fail "knock hang"
	logged 'died \(no reply within 10 s; killed\)' 1 15 || sk_fail "the hung server was not killed"
	sk_poll 5 grep -qx 'oneshot open hang' "$T/oneshot.rec" || sk_fail "no one-shot retry"
	logged 'serves \(pid' 2 || sk_fail "no new server"
	sk_daemon_stop
}

# A hook that never greets (it waits) and one that exits without greeting
# both run once per action.
case_no_greeting() {
	local kind
	for kind in waits exits; do
		fake_hook "quiet-$kind" <<HOOK
#!/bin/sh
case "\$1" in
serve) [ $kind = waits ] && sleep 30; echo "not a server"; exit 0 ;;
esac
echo "oneshot \$1 \${SKNOCK_DOOR:-}" >>"$T/$kind.rec"
HOOK
		std_conf
		sk_step "$kind: falls back to one run per action"
		hk_start 20
		if [ $kind = waits ]; then
			grep -q 'does not serve (no greeting within 2 s)' "$T/daemon.err" ||
				sk_fail "no-greeting fallback not logged"
		else
			grep -q 'does not serve (its first line is not the greeting)' "$T/daemon.err" ||
				sk_fail "no-greeting fallback not logged"
		fi
		grep -q '^oneshot start' "$T/$kind.rec" || sk_fail "start did not run one-shot"
		knock
		sk_poll 5 grep -qx 'oneshot open ssh' "$T/$kind.rec" || sk_fail "open did not run one-shot"
		sk_daemon_stop
	done
}

# start fails twice: no ready meanwhile, loud lines, retried, then ready.
case_start_retry() {
	fake_hook flaky <<HOOK
#!/bin/sh
[ "\$1" = start ] || exit 0
n=\$(cat "$T/starts" 2>/dev/null || echo 0)
echo \$((n + 1)) >"$T/starts"
[ "\$n" -ge 2 ] || { echo "cannot guard yet" >&2; exit 1; }
HOOK
	std_conf
	local t0=$(sk_ms)
	hk_start 20
	local took=$(($(sk_ms) - t0))
	[ "$(cat "$T/starts")" = 3 ] || sk_fail "ready after $(cat "$T/starts") starts, want 3"
	[ "$(n_logged 'GUARD NOT UP: hook .* start failed.*startup waits for the guard; trying again in')" = 2 ] ||
		sk_fail "two loud failure lines wanted"
	awk '/GUARD NOT UP/ {g++} /ready: capturing/ && g < 2 {bad=1} END {exit bad}' "$T/daemon.err" ||
		sk_fail "ready before the guard was up"
	sk_log "ready after 3 starts in $took ms (retry waits 1 s, then 2 s)"
	[ "$took" -ge 2500 ] || sk_fail "retries did not wait ($took ms)"
	sk_daemon_stop
}

# Something flushes the guard: the check finds it and start restores it.
# SK_HOOK is the compiled nft hook (a server), nft.sh or iptables (one-shot
# hooks that declare check with "sknock-hook 0").
case_guard_restore() {
	local flushes=("nft delete table inet sknock" "nft flush ruleset" \
	    "nft flush set inet sknock guard") guard=(nft list chain inet sknock input)
	if [ "${SK_HOOK##*/}" = iptables ]; then
		flushes=("iptables -D INPUT -j SKNOCK" "iptables -F SKNOCK")
		guard=(iptables -C INPUT -j SKNOCK)
	fi
	std_conf
	hk_start
	sk_poll 10 sk_in "$NS_S" "${guard[@]}" >/dev/null || sk_fail "no guard"
	if [ "$(head -c 2 "$SK_HOOK")" = '#!' ]; then
		grep -Eq 'runs once per action and checks the guard \(sknock-hook 0\)' "$T/daemon.err" ||
			sk_fail "the script hook did not declare check"
	fi
	# The first check passed: the hook can check (before that, a failed
	# check would mean it cannot).
	logged 'guard watched: hook .* check passed' || sk_fail "no check passed"
	local what
	for what in "${flushes[@]}"; do
		sk_step "after '$what' the guard comes back within 12 s"
		local n
		n=$(n_logged 'GUARD GONE')
		sk_in "$NS_S" $what || sk_fatal "$what"
		sk_poll 3 sk_can_connect "$NS_C" "$SK_S4" || sk_fail "'$what' did not open the port"
		sk_poll 12 _sk_grep_more "$T/daemon.err" 'GUARD GONE' "$n" || sk_fail "no check noticed '$what'"
		sk_poll 5 conn_closed "$NS_C" "$SK_S4" || sk_fail "the guard was not restored"
	done
	sk_daemon_stop
}
conn_closed() { ! sk_can_connect "$1" "$2"; }

# lived T0 MS FILE ERE: MS ms passed since T0, or FILE (or the daemon's
# log) shows what must not happen (ERE), so a failure ends the wait early.
lived() {
	[ $(($(sk_ms) - $1)) -ge "$2" ] || grep -Eq -- "$4" "$3" 2>/dev/null ||
		grep -q 'GUARD GONE' "$T/daemon.err"
}
# live MS FILE ERE: the daemon runs MS ms more (bounded poll, see lived).
live() {
	sk_step "$(($1 / 1000)) s of daemon life (more than two check periods)"
	sk_poll $(($1 / 1000 + 10)) lived "$(sk_ms)" "$@" || sk_fatal "the clock stopped"
	sk_daemon_alive || sk_fail "sknockd died"
}

# A user's one-shot hook that knows only the four actions (exit 1 on any
# other, as `*) echo "unknown action"; exit 1` hooks do) and records its
# argv: it says nothing to `serve`, so it is never sent check.
case_oneshot_nocheck() {
	fake_hook mine <<HOOK
#!/bin/sh
echo "\$*" >>"$T/argv.rec"
case "\$1" in
start | open | close | stop) exit 0 ;;
*) echo "unknown action" >&2; exit 1 ;;
esac
HOOK
	std_conf
	hk_start
	logged 'hook .*/mine does not serve' || sk_fail "the hook was not taken for one-shot"
	live 11000 "$T/argv.rec" '^check'
	grep -q '^check' "$T/argv.rec" && sk_fail "check sent to a hook that never declared it: $(cat "$T/argv.rec")"
	[ "$(n_logged 'GUARD GONE')" = 0 ] || sk_fail "GUARD GONE logged for a hook without check"
	[ "$(grep -cx start "$T/argv.rec")" = 1 ] || sk_fail "start ran again: $(cat "$T/argv.rec")"
	[ "$(n_logged 'cannot check')" = 0 ] || sk_fail "a warning about check for a hook never asked"
	sk_step "it still runs once per action"
	knock
	sk_poll 5 grep -qx open "$T/argv.rec" || sk_fail "no open run"
	sk_daemon_stop
	sk_log "argv seen: $(tr '\n' ' ' <"$T/argv.rec")"
	[ "$(grep -v -x -E 'serve|start|open|stop' "$T/argv.rec")" = "" ] ||
		sk_fail "unexpected runs: $(cat "$T/argv.rec")"
}

# A one-shot hook that declares check ("sknock-hook 0") but fails it even
# right after its start succeeded: it cannot check; one warning, asked once.
case_oneshot_badcheck() {
	fake_hook liar <<HOOK
#!/bin/sh
echo "\$*" >>"$T/argv.rec"
case "\$1" in
serve) echo "sknock-hook 0" ;;
start | open | close | stop) ;;
*) echo "unknown action" >&2; exit 1 ;;
esac
HOOK
	std_conf
	hk_start
	logged 'hook .*/liar runs once per action and checks the guard \(sknock-hook 0\)' ||
		sk_fail "the declaration was not taken"
	logged 'hook .*/liar cannot check the guard: its first check after a start that succeeded failed \(exit status 1\)' ||
		sk_fail "no warning for a check that fails after start"
	live 11000 /dev/null x
	[ "$(grep -cx check "$T/argv.rec")" = 1 ] || sk_fail "check asked $(grep -cx check "$T/argv.rec") times, want 1"
	[ "$(n_logged 'cannot check')" = 1 ] || sk_fail "$(n_logged 'cannot check') warnings, want 1"
	[ "$(n_logged 'GUARD GONE')" = 0 ] || sk_fail "GUARD GONE for a hook that cannot check"
	[ "$(grep -cx start "$T/argv.rec")" = 1 ] || sk_fail "start ran again: $(cat "$T/argv.rec")"
	sk_daemon_stop
}

# A third-party hook server that answers "error unknown action" to check:
# asked once, one warning, not again; a reload asks once more.
case_serve_nocheck() {
	fake_hook srv3 <<HOOK
#!/bin/bash
[ "\$1" = serve ] || { echo "oneshot \$1" >>"$T/oneshot.rec"; exit 0; }
echo "sknock-hook 1"
while IFS= read -r line; do
	echo "\$line" >>"$T/srv.rec"
	case \$line in
	"start "* | "open "* | "close "* | "stop "*) echo ok ;;
	*) echo "error unknown action" ;;
	esac
done
HOOK
	std_conf
	hk_start
	logged 'hook .*/srv3 serves \(pid' || sk_fail "the server did not greet"
	logged 'hook .*/srv3 cannot check the guard: its first check after a start that succeeded failed \(unknown action\)' ||
		sk_fail "no warning for a server that cannot check"
	live 11000 /dev/null x
	n_checks() { grep -c '^check ' "$T/srv.rec"; }
	[ "$(n_checks)" = 1 ] || sk_fail "check asked $(n_checks) times, want 1: $(cat "$T/srv.rec")"
	[ "$(n_logged 'cannot check')" = 1 ] || sk_fail "$(n_logged 'cannot check') warnings, want 1"
	[ "$(n_logged 'GUARD GONE')" = 0 ] || sk_fail "GUARD GONE for a server that cannot check"
	[ "$(grep -c '^start ' "$T/srv.rec")" = 1 ] || sk_fail "start ran again: $(cat "$T/srv.rec")"
	[ ! -e "$T/oneshot.rec" ] || sk_fail "one-shot runs beside the server: $(cat "$T/oneshot.rec")"
	sk_step "a reload asks once more"
	sk_daemon_hup 'reloaded'
	logged 'cannot check the guard' 2 || sk_fail "no second warning after the reload"
	live 6000 /dev/null x
	[ "$(n_checks)" = 2 ] || sk_fail "after the reload, check asked $(n_checks) times in all, want 2"
	[ "$(n_logged 'GUARD GONE')" = 0 ] || sk_fail "GUARD GONE after the reload"
	sk_daemon_stop
}

# Runs for one door and address never overlap; a close then an open keep
# their order (a one-shot hook that is slow to close).
case_serialised() {
	fake_hook slowclose <<HOOK
#!/bin/sh
[ "\$1" = serve ] && exit 0
k="\${SKNOCK_DOOR:-} \${SKNOCK_ADDRESS:-}"
echo "B \$1 \$k" >>"$T/runs"
[ "\$1" = close ] && sleep 0.4
echo "E \$1 \$k" >>"$T/runs"
HOOK
	SK_DAEMON_EXTRA="max_hooks = 8" std_conf 1
	hk_start
	sk_step "knock again the moment each 1 s door closes (its close hook is slow)"
	local i
	knock
	for ((i = 1; i <= 4; i++)); do
		sk_poll 5 _sk_closes_more "door=ssh" "$((i - 1))" || sk_fail "no close $i"
		knock
	done
	sk_poll 8 _sk_closes_more "door=ssh" 4 || sk_fail "no last close"
	sk_poll 5 grep -c '^E close ssh' "$T/runs" >/dev/null || true
	sk_poll 5 _sk_grep_more "$T/runs" '^E close ssh' 4 || sk_fail "close runs missing: $(cat "$T/runs")"
	awk '/ ssh / { if ($1 == "B") { if (open) bad = 1; open = 1 } else open = 0 }
		END { exit bad }' "$T/runs" || sk_fail "overlapping runs: $(cat "$T/runs")"
	local closes opens
	opens=$(grep -c '^B open ssh' "$T/runs") closes=$(grep -c '^B close ssh' "$T/runs")
	sk_log "$opens open and $closes close runs, none overlapping"
	[ "$closes" -ge 5 ] && [ "$opens" -ge 5 ] || sk_fail "too few runs to show anything"
	awk '/^B open ssh/ && last == "B close" { bad = 1 } { last = $1 " " $2 } END { exit bad }' \
		"$T/runs" || sk_fail "an open started while a close ran: $(cat "$T/runs")"
	sk_daemon_stop
}

# A hook that prints megabytes: its log is bounded, the daemon goes on.
case_big_output() {
	fake_hook chatty <<HOOK
#!/bin/sh
[ "\$1" = open ] && yes 0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789 | head -c 5000000
exit 0
HOOK
	std_conf
	hk_start
	knock
	logged 'more bytes of output not logged' 1 20 || sk_fail "output not cut"
	local size
	size=$(stat -c %s "$T/daemon.err")
	sk_log "daemon log after 5 MB of hook output: $size bytes"
	[ "$size" -lt 100000 ] || sk_fail "log grew to $size bytes"
	sk_barrier
	sk_daemon_stop
}

# iptables hook: doors close at their timeout even when sknockd was
# killed (SIGKILL), and a new start does not keep them open forever.
case_iptables_crash() {
	std_conf 4
	hk_start
	sk_poll 10 sk_in "$NS_S" iptables -C INPUT -j SKNOCK || sk_fail "no guard"
	sk_expect_closed "$NS_C" "$SK_S4"
	knock
	sk_wait_open "address=$SK_C4"
	sk_expect_open "$NS_C" "$SK_S4"
	local t_open=$(sk_ms)
	sk_step "SIGKILL the daemon with the door open"
	kill -KILL "$sk_daemon_pid"
	wait "$sk_daemon_pid" 2>/dev/null
	sk_untrack "$sk_daemon_pid"
	sk_daemon_pid=""
	sk_can_connect "$NS_C" "$SK_S4" || sk_fail "door closed at once (should last its timeout)"
	sk_step "restart (start after a crash) and wait for the timeout"
	hk_start
	sk_poll 10 conn_closed "$NS_C" "$SK_S4" || sk_fail "door still open 10 s after a 4 s open"
	local took=$(($(sk_ms) - t_open))
	sk_log "door closed by the kernel $took ms after the open (timeout 4 s)"
	[ "$took" -ge 3000 ] || sk_fail "closed too early ($took ms)"
	sk_in "$NS_S" ipset list "sknock4-tcp-$SK_PORT" | grep -q "^$SK_C4 " &&
		sk_fail "the ipset still holds the address"
	sk_expect_closed "$NS_T" "$SK_S4"
	sk_daemon_stop
}

# --- forwarded ports ----------------------------------------------------------
# A "container" K behind a Docker-style DNAT on the server (8080 -> K:80),
# and another host O that the third host reaches through the server.
#   C, T --br-- S --ck-- K 10.68.0.2 (listens on 80)
#                 --co-- O 10.69.0.2 (listens on $SK_PORT)
fwd_net() {
	sk_step "container and other-host namespaces, Docker-style DNAT"
	local base=sk-$SK_TAG-$$ h ns net
	NS_K=$base-k NS_O=$base-o
	for h in k o; do
		ns_add "$base-$h" || sk_fatal "netns $h"
		sk_netns+=("$base-$h")
	done
	for h in k:10.68.0 o:10.69.0; do
		ns=$base-${h%%:*} net=${h#*:}
		ns_veth "$NS_S" "c${h%%:*}" "$ns" eth0 &&
			ns_addr "$NS_S" "c${h%%:*}" "$net.1/24" &&
			ns_addr "$ns" eth0 "$net.2/24" &&
			ip -n "$ns" route add default via "$net.1" ||
			sk_fatal "veth and addresses for ${h%%:*}"
	done
	ip -n "$NS_T" route add 10.69.0.0/24 via "$SK_S4" || sk_fatal "route T -> O"
	sk_in "$NS_S" sysctl -q -w net.ipv4.ip_forward=1 || sk_fatal "ip_forward"
	# What dockerd sets up for `docker run -p 8080:80` (iptables-nft).
	sk_in "$NS_S" iptables-restore <<-RULES || sk_fatal "Docker-style rules"
	*nat
	:DOCKER - [0:0]
	-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
	-A DOCKER -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.68.0.2:80
	COMMIT
	*filter
	:FORWARD DROP [0:0]
	:DOCKER-USER - [0:0]
	-A FORWARD -j DOCKER-USER
	-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
	-A FORWARD -d 10.68.0.2/32 -p tcp -m tcp --dport 80 -j ACCEPT
	-A FORWARD -i eth0 -o co -j ACCEPT
	-A DOCKER-USER -j RETURN
	COMMIT
	RULES
	ip netns exec "$NS_K" "$SK_TOOLS/listen" -p 80 -t 600 -r "$T/k.ready" &
	sk_track $!
	ip netns exec "$NS_O" "$SK_TOOLS/listen" -p "$SK_PORT" -t 600 -r "$T/o.ready" &
	sk_track $!
	sk_poll 5 test -e "$T/k.ready" -a -e "$T/o.ready" || sk_fatal "listeners"
}

probe() { sk_in "$1" "$SK_TOOLS/probe" -t 300 "$2" "$3"; }
no_probe() { ! probe "$@"; }

case_forward() {
	fwd_net
	sk_step "before the guard: the published port and the other host answer"
	sk_poll 5 probe "$NS_C" "$SK_S4" 8080 || sk_fatal "no DNAT path C -> K"
	sk_poll 5 probe "$NS_T" 10.69.0.2 "$SK_PORT" || sk_fatal "no route T -> O"
	{
		printf '[door:ssh]\nsequence = %s\nopen = %s/tcp\nclients = alice\nforward = yes\n\n' \
			"$SEQ" "$SK_PORT"
		printf '[door:web]\nsequence = 7100/tcp, 7101/udp\nopen = 8080/tcp\nclients = alice\nforward = yes\n\n'
		sk_key alice
		printf '[client:alice]\nkey = %s\n\n' "$T/alice.key"
	} | sk_conf_daemon
	printf '[web]\nhost = %s\ndoor = web\nsequence = 7100/tcp, 7101/udp\nopen = 8080/tcp\nkey = %s\n' \
		"$SK_S4" "$T/alice.key" | sk_client_conf
	# The third host reaches O's port $SK_PORT (a guarded port here) the
	# whole time: a loop that counts failures, stopped at the end.
	ip netns exec "$NS_T" bash -c 'fails=0; ok=0
		while [ ! -e "$1/stop" ]; do
			if "$2/probe" -t 300 10.69.0.2 "$3"; then ok=$((ok + 1)); else fails=$((fails + 1)); fi
			sleep 0.1
		done; echo "$ok $fails" >"$1/t.result"' _ "$T" "$SK_TOOLS" "$SK_PORT" &
	local tloop=$!
	sk_track "$tloop"
	hk_start
	sk_step "guarded: the published port is dropped for the client and the third host"
	sk_poll 5 no_probe "$NS_C" "$SK_S4" 8080 || sk_fail "8080 (DNAT to the container) still open"
	no_probe "$NS_T" "$SK_S4" 8080 || sk_fail "8080 open for the third host"
	if [ "${SK_HOOK##*/}" = iptables ]; then
		sk_in "$NS_S" iptables -C DOCKER-USER -j SKNOCK-FWD ||
			sk_fail "SKNOCK-FWD does not hang from DOCKER-USER"
	fi
	sk_step "the client knocks the web door: the container answers it only"
	sk_knock "$NS_C" -c "$T/knock.conf" web || sk_fail "knock web"
	sk_wait_open "door=web client=alice address=$SK_C4 port=8080/tcp"
	sk_poll 5 probe "$NS_C" "$SK_S4" 8080 || sk_fail "8080 stays closed after the knock"
	no_probe "$NS_T" "$SK_S4" 8080 || sk_fail "8080 open for the third host after the client's knock"
	no_probe "$NS_C" "$SK_S4" "$SK_PORT" || sk_fail "the web door opened $SK_PORT too"
	sk_step "the third host reached the other host's port $SK_PORT throughout"
	: >"$T/stop"
	wait "$tloop"
	sk_untrack "$tloop"
	local ok fails
	read -r ok fails <"$T/t.result"
	sk_log "third host -> other host:$SK_PORT through the server: $ok ok, $fails failed"
	[ "$fails" = 0 ] && [ "$ok" -ge 5 ] || sk_fail "routed traffic was touched: $ok ok, $fails failed"
	sk_daemon_stop
}
