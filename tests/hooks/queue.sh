#!/usr/bin/env bash
# queue.sh SKNOCKD MKPCAP: a flood of opens (3000 sources knocking an
# unsigned door in 0.3 s of a capture, sknockd -r) against a hook server
# (one request at a time).  The queue refuses opens past its bound (counted,
# logged at a limited rate), never a close: every door that opened gets
# its close run.  Needs nothing but a shell; no root.
set -uo pipefail
sknockd=$1 mkpcap=$2
tmp=$(mktemp -d /tmp/sknock-hookq.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
fails=0
say() { echo "[hooks/queue] $*"; }
check() { local w=$1; shift; if "$@"; then say "ok: $w"; else say "FAIL: $w"; fails=$((fails + 1)); fi; }

cat >"$tmp/hook" <<HOOK
#!/bin/bash
if [ "\$1" = serve ]; then
	echo "sknock-hook 1"
	while read -r act rest; do echo "\$act"; echo ok >&3; done 3>&1 >>"$tmp/runs"
	exit 0
fi
echo "\$1" >>"$tmp/runs"
HOOK
chmod 755 "$tmp/hook"
cat >"$tmp/sknockd.conf" <<CONF
[daemon]
hook = $tmp/hook
state_dir = $tmp/state
max_hooks = 1
max_sources = 8192
log_rate = 5

[door:web]
signed = no
sequence = 7000/tcp
open = 8080/tcp
timeout = 10
CONF
{
	for ((i = 0; i < 3000; i++)); do
		printf '0.%04d 198.51.%d.%d 192.0.2.1 tcp 7000\n' \
			$((i / 10)) $((i / 250)) $((i % 250 + 1))
	done
	echo "100 198.51.99.1 192.0.2.1 tcp 1"	# time moves on: closes fall due
} | "$mkpcap" "$tmp/flood.pcap" || { say "FAIL: mkpcap"; exit 1; }

start=$(date +%s%N)
"$sknockd" -r "$tmp/flood.pcap" -c "$tmp/sknockd.conf" >"$tmp/out" 2>"$tmp/log"
rc=$?
took=$((($(date +%s%N) - start) / 1000000))
opens=$(grep -c '^open ' "$tmp/out")
closes=$(grep -c '^close ' "$tmp/out")
open_runs=$(grep -cx open "$tmp/runs")
close_runs=$(grep -cx close "$tmp/runs")
refused_lines=$(grep -c 'hook open not run' "$tmp/log")
say "$opens opens, $closes closes decided; $open_runs open and $close_runs close runs; $refused_lines refusal lines; ${took} ms"
check "sknockd -r exits 0 (got $rc)" [ "$rc" = 0 ]
check "every source opened and closed" [ "$opens" = 3000 ] && [ "$closes" = 3000 ]
check "the queue refused opens past its bound" [ "$open_runs" -lt "$opens" ] && [ "$open_runs" -ge 1000 ]
check "not one close was dropped" [ "$close_runs" = "$closes" ]
check "the refusals are logged at a limited rate" [ "$refused_lines" -ge 1 ] && [ "$refused_lines" -le 50 ]
check "start and stop ran" grep -qx start "$tmp/runs" && grep -qx stop "$tmp/runs"
[ $fails -eq 0 ] && { say PASS; exit 0; }
say "FAIL: $fails checks failed"; exit 1
