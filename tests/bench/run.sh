#!/usr/bin/env bash
# run.sh [--quick] [--runs N] [--markdown FILE]: sknock's benchmarks, side by side
# with knockd and fwknop, in one run.  As root, from a clean clone:
#
#   bash tests/bench/run.sh
#
# installs what is missing (tests/deps.sh --peers: knockd, fwknop-server,
# fwknop-client), builds into build-bench/, creates its own two network
# namespaces joined by a veth pair, and measures for each daemon: open
# latency (client start to first TCP connect to a listener behind a
# default-drop rule, N runs, median/p90), idle CPU, CPU and peak RSS under
# a spoofed flood at the knock port, time to open after that flood, CPU
# under a random-port flood; then, offline, `sknockd -r` packets/s over a
# 2M-packet noise capture against a bare pcap_loop counter, the exact open
# decisions, peak RSS after 1M spoofed first steps and a valid knock after
# them, and token verifications/s.  Prints `name value unit` lines, then a
# table.  It kills only the PIDs it started and deletes what it created.
#
# --markdown FILE also writes the machine line, the table and every
# figure there (tests/bench/RESULTS.md is made that way).
#
# --quick (meson test suite 'bench'; SK_BUILD = the build dir) runs the
# offline part on smaller captures and checks correctness only: exact
# decision counts, peak RSS <= 8 MiB after 1M spoofed first steps with the
# default max_sources (not in a sanitizer build: SK_BENCH_SANITIZED=1),
# and the valid knock after them opens.  Never speed.
set -uo pipefail

quick=no runs=30 md=""
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=yes ;;
	--runs) runs=${2:?--runs N}; shift ;;
	--markdown) md=${2:?--markdown FILE}; shift ;;
	*) echo "usage: run.sh [--quick] [--runs N] [--markdown FILE]" >&2; exit 2 ;;
	esac
	shift
done
top=$(cd "$(dirname "$0")/../.." && pwd)
# meson test sets MALLOC_PERTURB_, which makes malloc touch every page it
# hands out: peak RSS would measure that, not the daemon.
unset MALLOC_PERTURB_

RSS_LIMIT_KB=8192		# the target: <= 8 MiB after 1M spoofed steps
PORT=2222			# the guarded service
SEQ_SK="7000/tcp,8000/udp,9000/udp"
S4=10.213.0.1 C4=10.213.0.2

results=() fails=0 pids=() netns=() T=""

say() { printf '%s\n' "$*" >&2; }
emit() {  # emit NAME VALUE UNIT: one figure
	printf '%s %s %s\n' "$1" "$2" "$3"
	results+=("$1 $2 $3")
}
check() {  # check WHAT COND...: a correctness check
	local what=$1
	shift
	if "$@"; then
		say "ok: $what"
	else
		say "FAILED: $what"
		fails=$((fails + 1))
	fi
}
. "$top/tests/lib/ns.sh"
cleanup() {
	local rc=$?
	ns_reap "${pids[@]}"
	ns_drop "${netns[@]}"
	[ -n "$T" ] && rm -rf "$T" "/dev/shm/$(basename "$T")"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

get() {  # get NAME: the value emitted under NAME, or -
	local r
	for r in "${results[@]}"; do
		[ "${r%% *}" = "$1" ] && { r=${r#* }; echo "${r%% *}"; return; }
	done
	echo -
}

# field KEY < TEXT: the word after KEY on its line.
field() { awk -v k="$1" '{for (i = 1; i < NF; i++) if ($i == k) print $(i + 1)}' | tail -n 1; }

# median/p90 of numbers on stdin: "MEDIAN P90".
stats() { sort -n | awk '{v[NR] = $1} END {if (NR == 0) {print "- -"; exit}
	m = v[int((NR + 1) / 2)]; p = v[int(NR * 0.9 + 0.999)]; if (p == "") p = v[NR]
	print m, p}'; }

# ---------------------------------------------------------------- setup
if [ "$quick" = yes ]; then
	B=${SK_BUILD:-$top/build}
else
	if [ "$(id -u)" != 0 ]; then
		echo "run.sh: needs root (namespaces, firewalls, raw packets)" >&2
		exit 1
	fi
	bash "$top/tests/deps.sh" --peers || exit 1
	bash "$top/tests/build.sh" build-bench || exit 1
	B=$top/build-bench
fi
SKNOCKD=$B/daemon/sknockd KNOCK=$B/client/knock HOOK=$B/conf/nft
TOOLS=$B/tests/bench LISTEN=$B/tests/e2e/listen
PCAPCOUNT=$B/tests/tools/pcapcount
for f in "$SKNOCKD" "$TOOLS/benchgen" "$PCAPCOUNT" "$TOOLS/benchtool"; do
	if [ ! -x "$f" ]; then
		echo "*** SKIPPED: $f is not built yet ***" >&2
		exit 77
	fi
done
[ -x "$HOOK" ] || HOOK=$top/conf/hooks/nft

T=$(mktemp -d /tmp/sknock-bench.XXXXXX) || exit 1
chmod 700 "$T"
SHM=/dev/shm/$(basename "$T")
# Captures and the -r replay cache on tmpfs: the offline figures measure the
# packet path, not the disk (each accepted token is fsync'd to state_dir).
if ! mkdir -m 700 "$SHM" 2>/dev/null; then
	SHM=$T/shm
	mkdir -m 700 "$SHM"
fi
(umask 077 && head -c 32 /dev/urandom | base64 >"$T/bench.key")

# sk_conf FILE STATE_DIR [DAEMON LINES]: a daemon config with door ssh.
sk_conf() {
	local f=$1 st=$2
	shift 2
	mkdir -p "$st" && chmod 700 "$st"
	{
		echo "[daemon]"
		echo "hook = $HOOK"
		echo "state_dir = $st"
		printf '%s\n' "$@"
		echo "[door:ssh]"
		echo "sequence = ${SEQ_SK//,/, }"
		echo "open = $PORT/tcp"
		echo "timeout = 30"
		echo "clients = bench"
		echo "[client:bench]"
		echo "key = $T/bench.key"
	} >"$f"
}

# sknockd_r CONF PCAP: run sknockd -r --dry-run; sets r_opens r_rss_kb
# r_cpu_s r_wall_s (peak RSS and CPU time from wait4, wall time).
sknockd_r() {
	rm -rf "$SHM/state-r" && mkdir -m 700 "$SHM/state-r"
	"$TOOLS/benchtool" rusage -- "$SKNOCKD" -c "$1" -r "$2" -n \
		>"$T/r.out" 2>"$T/r.err"
	local rc=$?
	r_opens=$(grep -c '^open ' "$T/r.out")
	r_rss_kb=$(field maxrss_kb <"$T/r.err")
	r_cpu_s=$(field cpu_s <"$T/r.err")
	r_wall_s=$(field wall_s <"$T/r.err")
	[ "$rc" -eq 0 ] || { say "sknockd -r $2 exited $rc:"; tail -n 5 "$T/r.err" >&2; }
}

# least A B: the smaller number (B may be empty).
least() { printf '%s\n%s\n' "$1" "$2" | awk 'NF' | sort -g | head -n 1; }

# callgrind_ipp N CMD...: instructions per packet of CMD over N packets
# (every process it starts counted), or - without valgrind.
callgrind_ipp() {
	local n=$1
	shift
	rm -f "$T"/cg.*
	rm -rf "$SHM/state-r" && mkdir -m 700 "$SHM/state-r"
	valgrind --tool=callgrind --trace-children=yes \
		--callgrind-out-file="$T/cg.%p" "$@" >/dev/null 2>"$T/cg.err" ||
		{ echo -; return; }
	awk -v n="$n" '/Collected :/ {s += $NF} END {printf "%.0f", s / n}' "$T/cg.err"
}

# instructions N TAG: callgrind's instructions per packet, the counter's
# and sknockd -r's, over the capture in hand (independent of load and I/O).
instructions() {
	local a b t=$2
	if ! command -v valgrind >/dev/null; then
		say "note: no valgrind, no instruction counts"
		return
	fi
	say "== offline: instructions per packet (callgrind), $1 packets"
	a=$(callgrind_ipp "$1" "$PCAPCOUNT" "$SHM/noise.pcap")
	b=$(callgrind_ipp "$1" "$SKNOCKD" -c "$SHM/r.conf" -r "$SHM/noise.pcap" -n)
	emit "pcap_loop_${t}_instr" "$a" instructions/packet
	emit "sknock_${t}_instr" "$b" instructions/packet
	emit "sknock_${t}_instr_ratio" "$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", b / a}')" x_pcap_loop
}

# ---------------------------------------------------------------- offline
# noise_run KIND TAG N RUNS: sknockd -r over N packets of benchgen KIND
# against the bare counter, best of RUNS; emits sknock_TAG_* figures.
noise_run() {
	local kind=$1 tag=$2 n=$3 n_runs=$4 expected i c cw
	local best_c="" best_s="" best_cw="" best_sw=""

	say "== offline: sknockd -r over $n packets of $kind"
	"$TOOLS/benchgen" "$kind" "$SHM/noise.pcap" "$n" "$T/bench.key" \
		"$S4" >"$T/gen.out" || { say "benchgen failed"; fails=$((fails + 1)); return; }
	expected=$(field expected_opens <"$T/gen.out")
	for ((i = 1; i <= n_runs; i++)); do
		"$TOOLS/benchtool" rusage -- "$PCAPCOUNT" "$SHM/noise.pcap" \
			>/dev/null 2>"$T/c.err"
		c=$(field cpu_s <"$T/c.err")
		cw=$(field wall_s <"$T/c.err")
		sknockd_r "$SHM/r.conf" "$SHM/noise.pcap"
		check "sknockd -r $kind run $i: $r_opens open decisions, expected $expected" \
			[ "$r_opens" = "$expected" ]
		best_c=$(least "$c" "$best_c") best_cw=$(least "$cw" "$best_cw")
		best_s=$(least "$r_cpu_s" "$best_s") best_sw=$(least "$r_wall_s" "$best_sw")
	done
	emit "sknock_${tag}_open_decisions" "$r_opens" "opens(expected_$expected)"
	[ "$quick" = yes ] && return
	# The target is wall time, best of 3; CPU time beside it.
	emit "pcap_loop_${tag}_pps" "$(awk -v n="$n" -v s="$best_cw" 'BEGIN {printf "%.0f", n / s}')" packets/s_wall
	emit "sknock_${tag}_pps" "$(awk -v n="$n" -v s="$best_sw" 'BEGIN {printf "%.0f", n / s}')" packets/s_wall
	emit "sknock_${tag}_ratio" "$(awk -v a="$best_cw" -v b="$best_sw" 'BEGIN {printf "%.2f", a / b}')" x_pcap_loop_wall
	emit "sknock_${tag}_ratio_cpu" "$(awk -v a="$best_c" -v b="$best_s" 'BEGIN {printf "%.2f", a / b}')" x_pcap_loop_cpu
	emit "sknock_${tag}_rss" "$r_rss_kb" KiB
	instructions "$n" "$tag"
}

offline() {
	local n_noise=2000000 n_flood=1000000 n_runs=3
	[ "$quick" = yes ] && n_noise=200000 n_runs=1
	sk_conf "$SHM/r.conf" "$SHM/state-r" "interface = any"

	# noise: a tenth aimed at the knock ports, 88-byte junk among it,
	# each such datagram verified (an HMAC) as DESIGN.md says;
	# noiseshort: the same with junk of other lengths, refused before
	# any MAC: the packet path alone.
	noise_run noise offline "$n_noise" "$n_runs"
	[ "$quick" = no ] && noise_run noiseshort offline_short "$n_noise" "$n_runs"

	say "== offline: $n_flood spoofed first steps, then one valid knock"
	"$TOOLS/benchgen" flood "$SHM/flood.pcap" "$n_flood" "$T/bench.key" \
		"$S4" >"$T/gen.out" || { say "benchgen failed"; fails=$((fails + 1)); return; }
	sknockd_r "$SHM/r.conf" "$SHM/flood.pcap"
	check "valid knock after $n_flood spoofed first steps opens (1 decision, got $r_opens)" \
		[ "$r_opens" = 1 ]
	if [ "${SK_BENCH_SANITIZED:-0}" = 1 ]; then
		say "note: sanitizer build, peak RSS ${r_rss_kb} KiB not checked"
	else
		check "peak RSS after the flood ${r_rss_kb} KiB <= $RSS_LIMIT_KB KiB (default max_sources)" \
			[ "${r_rss_kb:-999999}" -le "$RSS_LIMIT_KB" ]
	fi
	emit sknock_flood1m_rss "$r_rss_kb" KiB
	emit sknock_flood1m_opens "$r_opens" opens
	emit sknock_flood1m_cpu "$r_cpu_s" s_per_1M_packets
	rm -f "$SHM/flood.pcap" "$SHM/noise.pcap"

	if [ "$quick" = no ] && [ -x "$TOOLS/tokbench" ]; then
		say "== token verification, one core"
		"$TOOLS/tokbench" 2 >"$T/tok.out"
		emit tok_verify_valid "$(field tok_verify_valid <"$T/tok.out")" verifications/s
		emit tok_verify_garbage "$(field tok_verify_garbage <"$T/tok.out")" verifications/s
		emit mac_try_oneshot "$(field mac_try_oneshot <"$T/tok.out")" ns_per_key
		emit mac_try_prepared "$(field mac_try_prepared <"$T/tok.out")" ns_per_key
	fi
}

# fsync_cost: a replay record on the live state_dir's file system ($T,
# not tmpfs), appended or written into a slot made ahead, fdatasync'd.
fsync_cost() {
	local out
	out=$("$TOOLS/benchtool" fsync "$T" 50) || return
	say "== replay record on $(stat -f -c %T "$T"): $out"
	emit "state_fs_append_fdatasync_median" "$(field append_ms <<<"$out")" "ms($(stat -f -c %T "$T"))"
	emit "state_fs_slot_fdatasync_median" "$(field slot_ms <<<"$out")" "ms($(stat -f -c %T "$T"))"
}

# SK_BENCH_ONLY=offline: the offline part alone (for debugging).
case ${SK_BENCH_ONLY:-} in "" | offline) offline ;; esac
[ "$quick" = no ] && fsync_cost
[ -z "${SK_BENCH_ONLY:-}" ] && { dn=$(bash "$top/tests/bench/deny.sh" "$SKNOCKD" "$B/tests/daemon/mkpcap" ${quick/#yes/--quick}) || fails=$((fails + 1)); while read -r n v u; do emit "$n" "$v" "$u"; done <<<"$dn"; }
if [ "$quick" = yes ]; then
	echo "bench --quick: $fails failed checks"
	[ "$fails" -eq 0 ]
	exit
fi

# ---------------------------------------------------------------- live
NS_S=skbench-s-$$ NS_C=skbench-c-$$ IF_S=skbs$$ IF_C=skbc$$
in_s() { ip netns exec "$NS_S" "$@"; }
in_c() { ip netns exec "$NS_C" "$@"; }

net_up() {
	say "== namespaces $NS_S / $NS_C, veth $IF_S / $IF_C"
	ip netns add "$NS_S" && netns+=("$NS_S") || return 1
	ip netns add "$NS_C" && netns+=("$NS_C") || return 1
	ip -n "$NS_S" link add "$IF_S" type veth peer name "$IF_C" netns "$NS_C" || return 1
	ip -n "$NS_S" link set lo up && ip -n "$NS_C" link set lo up
	ip -n "$NS_S" link set "$IF_S" up && ip -n "$NS_C" link set "$IF_C" up
	ip -n "$NS_S" addr add "$S4/24" dev "$IF_S"
	ip -n "$NS_C" addr add "$C4/24" dev "$IF_C"
	MAC_S=$(ip -n "$NS_S" -br link show "$IF_S" | awk '{print $3}')
	MAC_C=$(ip -n "$NS_C" -br link show "$IF_C" | awk '{print $3}')
	ip netns exec "$NS_S" "$LISTEN" -p "$PORT" -t 3600 -r "$T/listen.ready" &
	pids+=($!)
	ns_poll 5 test -e "$T/listen.ready"
}

# lat DEADLINE_MS CLIENT...: one latency run; sets lat_ms client_ms.
lat() {
	local out
	out=$(in_c "$TOOLS/benchtool" lat "$S4" "$PORT" "$1" -- "${@:2}" 2>>"$T/client.err")
	lat_ms=$(field latency_ms <<<"$out")
	client_ms=$(field client_ms <<<"$out")
}

# kids PID: the living children of PID (sknockd's capture child, a
# serving hook).
kids() { cat /proc/"$1"/task/*/children 2>/dev/null; }
# cpu_ticks PID: utime + stime in clock ticks of PID, of its children
# that it has reaped (hooks) and of those still running.
cpu_ticks() {
	local p t
	t=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || echo 0)
	for p in $(kids "$1"); do
		t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$t"
}
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null; }
# rss_figures NAME WHEN: peak RSS (VmHWM) of the daemon and, for
# sknockd, of its capture child, and the sum with any other child.
rss_figures() {
	local d=$1 w=$2 p sum k
	sum=$(hwm_kb "$dpid")
	emit "${d}_${w}_rss" "$sum" KiB
	for p in $(kids "$dpid"); do
		k=$(hwm_kb "$p")
		[ -n "$k" ] || continue
		sum=$((sum + k))
		case $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) in
		*sknockd*) emit "${d}_${w}_rss_child" "$k" KiB ;;
		*) emit "${d}_${w}_rss_other" "$k" KiB ;;
		esac
	done
	[ "$sum" != "$(hwm_kb "$dpid")" ] && emit "${d}_${w}_rss_sum" "$sum" KiB
}
HZ=$(getconf CLK_TCK)

# hogs_start / hogs_stop: two CPU hogs at normal priority (2 cores here).
hogs=()
hogs_start() {
	local i
	for ((i = 0; i < 2; i++)); do
		nice -n 0 sh -c 'while :; do :; done' &
		hogs+=($!) pids+=($!)
	done
}
hogs_stop() {
	local p
	for p in "${hogs[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	hogs=()
}

# lat_runs NAME LABEL: ${runs} knocks, the access closed after each;
# emits NAME_LABEL_{median,p90} and, for the idle runs, the client's
# part and the part after it exited.
lat_runs() {
	local d=$1 w=$2 i l=() c=() a=() med p90
	for ((i = 0; i < runs; i++)); do
		lat 10000 "${cmd[@]}"
		if [ "$lat_ms" = timeout ] || [ -z "$lat_ms" ]; then
			say "$d: $w run $i did not open"; fails=$((fails + 1))
		else
			l+=("$lat_ms") c+=("$client_ms")
			a+=("$(awk -v l="$lat_ms" -v c="$client_ms" 'BEGIN {print l - c}')")
		fi
		"close_$d"
		[ "$i" -eq 0 ] && check "$d: closed again after close_$d" closed
		# The access was taken away behind the daemon's back; sknockd
		# runs the open hook again for an open door at most once a
		# second, so the next knock waits that long (all three alike).
		sleep 1.1
	done
	read -r med p90 <<<"$(printf '%s\n' "${l[@]}" | stats)"
	emit "${d}_${w}_median" "$med" ms
	emit "${d}_${w}_p90" "$p90" ms
	read -r med _ <<<"$(printf '%s\n' "${c[@]}" | stats)"
	emit "${d}_${w%open_latency}client_runtime_median" "$med" ms
	read -r med _ <<<"$(printf '%s\n' "${a[@]}" | stats)"
	emit "${d}_${w%open_latency}after_client_exit_median" "$med" ms
}

# The three daemons: start_NAME sets dpid (the daemon's PID) once it is
# ready; client_NAME is the knock command; close_NAME takes the opened
# access away again; stop_NAME ends it and its firewall.
start_sknock() {
	sk_conf "$T/sknockd.conf" "$T/state" "interface = $IF_S"
	# -v: a timing line per open, the daemon side's breakdown.
	ip netns exec "$NS_S" "$SKNOCKD" -c "$T/sknockd.conf" -f -v \
		>"$T/sknock.out" 2>"$T/sknock.err" &
	dpid=$!
	pids+=("$dpid")
	ns_poll 10 grep -q ready "$T/sknock.err"
}
client_sknock() { echo "$KNOCK" -s "$SEQ_SK" -k "$T/bench.key" --door ssh -p "$PORT/tcp" "$S4"; }
close_sknock() {
	in_s env SKNOCK_DOOR=ssh SKNOCK_CLIENT=bench SKNOCK_ADDRESS="$C4" \
		SKNOCK_FAMILY=4 SKNOCK_PROTO=tcp SKNOCK_PORT="$PORT" SKNOCK_TIMEOUT=30 \
		"$HOOK" close >/dev/null 2>&1
}
stop_sknock() { kill -TERM "$dpid"; wait "$dpid" 2>/dev/null; in_s nft flush ruleset; }

start_knockd() {
	cat >"$T/knockd.conf" <<-EOF
	[options]
	    LogFile = $T/knockd.log
	    Interface = $IF_S
	[ssh]
	    sequence    = 7000:tcp,8000:udp,9000:udp
	    seq_timeout = 10
	    tcpflags    = syn
	    command     = /usr/sbin/iptables -I INPUT -s %IP% -p tcp --dport $PORT -j ACCEPT
	EOF
	in_s iptables -A INPUT -p tcp --dport "$PORT" -j DROP
	ip netns exec "$NS_S" knockd -c "$T/knockd.conf" -i "$IF_S" -v \
		>"$T/knockd.out" 2>&1 &
	dpid=$!
	pids+=("$dpid")
	ns_poll 10 grep -q listening "$T/knockd.out"
}
client_knockd() { echo /usr/bin/knock "$S4" 7000:tcp 8000:udp 9000:udp; }
close_knockd() {
	local i
	for ((i = 0; i < 10; i++)); do
		in_s iptables -D INPUT -s "$C4" -p tcp --dport "$PORT" -j ACCEPT \
			2>/dev/null || break
	done
}
stop_knockd() { kill -TERM "$dpid"; wait "$dpid" 2>/dev/null; in_s iptables -F INPUT; in_s nft flush ruleset; }

start_fwknop() {
	mkdir -p "$T/fw/run" && chmod -R 700 "$T/fw"
	HOME=$T/fw fwknop --key-gen >"$T/fw/keys" 2>/dev/null
	FW_K=$(awk '/^KEY_BASE64/ {print $2}' "$T/fw/keys")
	FW_H=$(awk '/^HMAC_KEY_BASE64/ {print $2}' "$T/fw/keys")
	cat >"$T/fw/access.conf" <<-EOF
	SOURCE              ANY
	KEY_BASE64          $FW_K
	HMAC_KEY_BASE64     $FW_H
	OPEN_PORTS          tcp/$PORT
	FW_ACCESS_TIMEOUT   30
	EOF
	cat >"$T/fw/fwknopd.conf" <<-EOF
	PCAP_INTF                   $IF_S;
	FWKNOP_RUN_DIR              $T/fw/run;
	FIREWALL_EXE                /usr/sbin/iptables;
	EOF
	chmod 600 "$T/fw/access.conf" "$T/fw/fwknopd.conf"
	in_s iptables -A INPUT -p tcp --dport "$PORT" -j DROP
	ip netns exec "$NS_S" fwknopd -f -c "$T/fw/fwknopd.conf" \
		-a "$T/fw/access.conf" >"$T/fwknop.out" 2>&1 &
	dpid=$!
	pids+=("$dpid")
	ns_poll 10 grep -q "main event loop" "$T/fwknop.out"
}
client_fwknop() {
	echo /usr/bin/env HOME="$T/fw" /usr/bin/fwknop -A "tcp/$PORT" -a "$C4" -D "$S4" \
		--key-base64-rijndael "$FW_K" --key-base64-hmac "$FW_H"
}
close_fwknop() { in_s iptables -F FWKNOP_INPUT 2>/dev/null; }
stop_fwknop() { kill -TERM "$dpid"; wait "$dpid" 2>/dev/null; in_s iptables -F; in_s iptables -X 2>/dev/null; in_s nft flush ruleset; }

# closed: the guarded port does not answer (a probe gets nothing in 300 ms).
closed() { ! in_c "$TOOLS/benchtool" lat "$S4" "$PORT" 300 -- /bin/true >/dev/null 2>&1; }

bench_daemon() {  # bench_daemon NAME
	local d=$1 cmd t0 t1 n_flood=100000 kind=lflood
	say "== $d"
	if ! "start_$d"; then
		say "$d did not start"; fails=$((fails + 1)); "stop_$d"; return
	fi
	check "$d: port $PORT closed before any knock" closed
	read -ra cmd <<<"$("client_$d")"
	lat_runs "$d" open_latency
	[ "$d" = sknock ] && daemon_parts part 0
	# The same with both cores kept busy by other work.
	say "== $d, two CPU hogs at normal priority"
	hogs_start
	lat_runs "$d" busy_open_latency
	hogs_stop
	# timing.all still holds the idle runs' lines: skip those.
	[ "$d" = sknock ] && daemon_parts busy_part "$(wc -l <"$T/timing.all")"
	emit "${d}_busy_vs_idle" "$(awk -v b="$(get "${d}_busy_open_latency_median")" \
		-v i="$(get "${d}_open_latency_median")" 'BEGIN {printf "%.2f", b / i}')" x

	t0=$(cpu_ticks "$dpid")
	sleep 5
	t1=$(cpu_ticks "$dpid")
	emit "${d}_idle_cpu" "$(awk -v a="$t0" -v b="$t1" -v hz="$HZ" 'BEGIN {printf "%.2f", (b - a) / hz / 5 * 100}')" %
	rss_figures "$d" idle

	# Random-port flood: the capture filter should keep it from us.
	t0=$(cpu_ticks "$dpid")
	in_c "$TOOLS/benchtool" send "$IF_C" "$T/randport.pcap" >"$T/send.out"
	sleep 1
	t1=$(cpu_ticks "$dpid")
	emit "${d}_randport1m_cpu" "$(awk -v a="$t0" -v b="$t1" -v hz="$HZ" 'BEGIN {printf "%.2f", (b - a) / hz}')" s_per_1M_packets

	# Spoofed flood at the knock port, then a real knock.
	[ "$d" = fwknop ] && kind=fwflood
	"$TOOLS/benchgen" "$kind" "$T/flood.pcap" "$n_flood" - "$S4" "$MAC_S" "$MAC_C" >/dev/null
	t0=$(cpu_ticks "$dpid")
	in_c "$TOOLS/benchtool" send "$IF_C" "$T/flood.pcap" >"$T/send.out"
	emit "${d}_flood_send_rate" "$(awk '{printf "%.0f", $2 / $4}' "$T/send.out")" packets/s
	lat 10000 "${cmd[@]}"
	lat_ms=${lat_ms:-timeout}
	emit "${d}_open_after_100k_flood" "${lat_ms/timeout/>10000}" ms
	sleep 2
	t1=$(cpu_ticks "$dpid")
	emit "${d}_flood_cpu_per_1M" "$(awk -v a="$t0" -v b="$t1" -v hz="$HZ" -v n="$n_flood" 'BEGIN {printf "%.2f", (b - a) / hz * 1e6 / n}')" s
	rss_figures "$d" flood100k
	"close_$d"
	[ "$d" = sknock ] && live_flood_1m
	"stop_$d"
}

# daemon_parts NAME SKIP: the medians of the timing lines sknockd -v logs
# per open ("open timing: NAME_us=N ..."), the daemon side's own
# breakdown, from line SKIP + 1 on; emits sknock_NAME_*_median.
daemon_parts() {
	local k
	grep 'open timing:' "$T/sknock.err" 2>/dev/null | tail -n +$(($2 + 1)) >"$T/timing"
	touch "$T/timing.all"
	grep 'open timing:' "$T/sknock.err" >"$T/timing.all" 2>/dev/null
	[ -s "$T/timing" ] || { say "note: no timing lines from sknockd -v"; return; }
	for k in capture_us handoff_us verify_us record_us hook_request_us \
		hook_answer_us total_us; do
		read -r med _ <<<"$(grep -o "$k=[0-9]*" "$T/timing" | cut -d= -f2 | stats)"
		emit "sknock_${1}_${k%_us}_median" "$(awk -v u="$med" 'BEGIN {printf "%.3f", u / 1000}')" ms
	done
}

# live_flood_1m: 1M spoofed first steps from distinct sources (the table
# of max_sources fills and evicts), then peak RSS and a knock.
live_flood_1m() {
	say "== sknock: 1M spoofed first steps, live"
	"$TOOLS/benchgen" lflood "$T/flood.pcap" 1000000 - "$S4" "$MAC_S" "$MAC_C" >/dev/null
	in_c "$TOOLS/benchtool" send "$IF_C" "$T/flood.pcap" >"$T/send.out"
	lat 10000 "${cmd[@]}"
	lat_ms=${lat_ms:-timeout}
	emit sknock_open_after_1m_flood "${lat_ms/timeout/>10000}" ms
	rss_figures sknock flood1m_live
	if [ "${SK_BENCH_SANITIZED:-0}" != 1 ]; then
		local k=$(get sknock_flood1m_live_rss_child)
		[ "$k" = - ] && k=$(get sknock_flood1m_live_rss)
		check "live: capture process peak RSS after 1M spoofed steps $k KiB <= $RSS_LIMIT_KB KiB" \
			[ "$k" -le "$RSS_LIMIT_KB" ]
	fi
	close_sknock
}

# breakdown: where sknock's open latency goes.  Per run, the latency
# splits into the client's run time (process start, resolve, steps and
# gaps) and the time from its exit to the first connect (capture wake-up,
# verification, hook spawn and firewall change, probe granularity of
# 1 ms); here the default hook's `open` and one verification are timed
# on their own.
breakdown() {
	local i h=() med hook
	in_s env SKNOCK_GUARD="tcp/$PORT" "$HOOK" start >/dev/null 2>&1
	for ((i = 0; i < 20; i++)); do
		in_s env SKNOCK_DOOR=ssh SKNOCK_CLIENT=bench \
			SKNOCK_ADDRESS="$C4" SKNOCK_FAMILY=4 SKNOCK_PROTO=tcp \
			SKNOCK_PORT="$PORT" SKNOCK_TIMEOUT=30 \
			"$TOOLS/benchtool" rusage -- "$HOOK" open >/dev/null 2>"$T/hook.err"
		h+=("$(field wall_s <"$T/hook.err")")
		close_sknock
	done
	in_s env SKNOCK_GUARD="tcp/$PORT" "$HOOK" stop >/dev/null 2>&1
	in_s nft flush ruleset
	read -r med _ <<<"$(printf '%s\n' "${h[@]}" | stats)"
	hook=$(awk -v s="$med" 'BEGIN {printf "%.2f", s * 1000}')
	emit sknock_hook_open_median "$hook" ms
	emit sknock_verify_one "$(awk -v r="$(get tok_verify_valid)" 'BEGIN {printf "%.3f", 1000 / r}')" ms
}

# SK_BENCH_ONLY="knockd fwknop" limits the live part (for debugging).
live=${SK_BENCH_ONLY:-sknock knockd fwknop}
[ "$live" = offline ] && live=""
if [ -n "$live" ]; then
	net_up || { say "namespace setup failed"; exit 1; }
	"$TOOLS/benchgen" randport "$T/randport.pcap" 1000000 - "$S4" "$MAC_S" "$MAC_C" >/dev/null
fi
for d in $live; do
	bench_daemon "$d"
	[ "$d" = sknock ] && breakdown
done
rm -f "$T/randport.pcap" "$T/flood.pcap"

# Steps out of order on the wire, per gap (tests/bench/gap.sh: a veth
# pair, a multi-queue NIC model, busy and flooded); the client's default
# gap comes from these figures.
if [ -z "${SK_BENCH_ONLY:-}" ] || [ -n "${SK_BENCH_GAP:-}" ]; then
	say "== gap: knocks whose steps arrive out of order"
	bash "$top/tests/bench/gap.sh" "$B" "${SK_BENCH_GAP_RUNS:-500}" 0 100 1000 \
		>"$T/gap.out" 2>>"$T/client.err"
	while read -r name value unit _; do
		emit "$name" "$value" "$unit"
	done <"$T/gap.out"
fi

# ---------------------------------------------------------------- table
# ratio PEER SK: PEER / SK to one decimal, or - when either is not a
# positive number (lower is better in every row, so > 1 favours sknock).
ratio() {
	awk -v p="$1" -v s="$2" 'BEGIN {
		if (p ~ /^[0-9.]+$/ && s ~ /^[0-9.]+$/ && p > 0 && s > 0)
			printf "%.1f", p / s; else printf "-" }'
}
row() {  # row LABEL KEY UNIT
	local sk kd fw
	sk=$(get "sknock_$2") kd=$(get "knockd_$2") fw=$(get "fwknop_$2")
	printf '| %-44s | %12s | %12s | %12s | %9s |\n' "$1 ($3)" \
		"$sk" "$kd" "$fw" "$(ratio "$kd" "$sk") / $(ratio "$fw" "$sk")"
}
line() {  # line LABEL SKNOCK KNOCKD FWKNOP: a row without ratios
	printf '| %-44s | %12s | %12s | %12s | %9s |\n' "$@" ""
}
# gap0: "N of M" knocks out of order at gap 0, over every gap.sh topology.
gap0() {
	local r n=0 m=0 v
	for r in "${results[@]}"; do
		case ${r%% *} in
		gap_reordered_*_0us)
			v=${r#* }
			n=$((n + ${v%% *}))
			v=${v#* of_}
			m=$((m + ${v%% *})) ;;
		esac
	done
	[ "$m" -gt 0 ] && echo "$n of $m" || echo -
}

# parts: sknockd's own timing of the daemon side, one row per part.
parts() {
	local r k
	for r in "${results[@]}"; do
		k=${r%% *}
		case $k in
		sknock_part_*_median)
			k=${k#sknock_part_}
			line "  daemon (sknockd -v): ${k%_median}, median (ms)" \
				"$(get "sknock_part_$k")" - - ;;
		esac
	done
}
table() {
	echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), $(date -u '+%Y-%m-%d %H:%M UTC'), $runs runs"
	printf '| %-44s | %12s | %12s | %12s | %9s |\n' figure sknock knockd fwknop \
		"knockd/sknock / fwknop/sknock"
	printf '|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..46})" "--------------" \
		"--------------" "--------------" "-----------"
	row "open latency, median" open_latency_median ms
	row "open latency, p90" open_latency_p90 ms
	row "  client run time, median" client_runtime_median ms
	row "  client exit to connect, median" after_client_exit_median ms
	parts
	line "  sknock hook open alone, median (ms)" "$(get sknock_hook_open_median)" - -
	row "busy (2 CPU hogs): open latency, median" busy_open_latency_median ms
	row "busy (2 CPU hogs): open latency, p90" busy_open_latency_p90 ms
	row "  busy: client run time, median" busy_client_runtime_median ms
	row "  busy: client exit to connect, median" busy_after_client_exit_median ms
	line "  busy: daemon side (sknockd -v), median (ms)" "$(get sknock_busy_part_total_median)" - -
	row "busy median / idle median" busy_vs_idle x
	row "idle CPU" idle_cpu %
	row "idle peak RSS (sknockd: parent)" idle_rss KiB
	line "  idle peak RSS, capture child (KiB)" "$(get sknock_idle_rss_child)" - -
	row "CPU per 1M random-port packets" randport1m_cpu s
	row "CPU per 1M spoofed knock-port packets" flood_cpu_per_1M s
	row "open after 100k spoofed packets" open_after_100k_flood ms
	row "peak RSS after 100k spoofed packets" flood100k_rss KiB
	line "  the same, capture child (KiB)" "$(get sknock_flood100k_rss_child)" - -
	line "live, 1M spoofed steps: parent / child (KiB)" \
		"$(get sknock_flood1m_live_rss) / $(get sknock_flood1m_live_rss_child)" - -
	line "live, open after 1M spoofed steps (ms)" "$(get sknock_open_after_1m_flood)" - -
	line "offline vs pcap_loop, wall / CPU (x)" \
		"$(get sknock_offline_ratio) / $(get sknock_offline_ratio_cpu)" "no -r mode" -
	line "offline instructions/packet (callgrind)" \
		"$(get sknock_offline_instr) vs $(get pcap_loop_offline_instr)" - -
	line "  the same, no 88-byte junk (packet path)" \
		"$(get sknock_offline_short_instr) vs $(get pcap_loop_offline_short_instr)" - -
	line "  wall / CPU vs pcap_loop, no 88-byte junk" \
		"$(get sknock_offline_short_ratio) / $(get sknock_offline_short_ratio_cpu)" - -
	line "peak RSS after 1M spoofed steps, -r (KiB)" "$(get sknock_flood1m_rss)" - -
	line "knocks out of order at gap 0 (gap.sh)" "$(gap0)" - -
	line "token verifications/s, valid / garbage" \
		"$(get tok_verify_valid) / $(get tok_verify_garbage)" - -
}
echo
table | tee "$T/table"
if [ -n "$md" ]; then
	{
		echo "Measured by \`bash tests/bench/run.sh\` (as root)."
		echo
		head -n 1 "$T/table"
		echo
		tail -n +2 "$T/table"
		echo
		echo "All figures (\`name value unit\`):"
		echo
		echo '```'
		printf '%s\n' "${results[@]}"
		echo '```'
	} >"$md"
fi
echo "bench: $fails failed checks"
[ "$fails" -eq 0 ]
