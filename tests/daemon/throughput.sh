#!/usr/bin/env bash
# throughput.sh SKNOCKD MKPCAP PCAPCOUNT: `sknockd -r --dry-run` over a
# noise capture (SK_BENCH_PACKETS, default 400000) holding K valid knocks
# from distinct sources: exactly K open and K close decisions.  Prints
# packets/s for sknockd and for a bare pcap_loop counter; the ratio is a
# figure, not a gate.
set -uo pipefail
sknockd=$1 mkpcap=$2 pcapcount=$3
n=${SK_BENCH_PACKETS:-400000} k=20
tmp=$(mktemp -d /tmp/sknock-daemon-tput.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

printf 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n' > "$tmp/a.key"
chmod 600 "$tmp/a.key"
cat > "$tmp/sknockd.conf" <<CONF
[daemon]
state_dir = $tmp/state
[door:ssh]
sequence = 7000/tcp, 8000/udp, 9000/udp
open = 22/tcp
timeout = 5
clients = alice
[client:alice]
key = $tmp/a.key
CONF

# Noise in k+1 slices, one knock between slices; 10 us apart.
slice=$((n / (k + 1)))
{
	t=0
	for ((i = 0; i <= k; i++)); do
		echo "noise $slice $t 0.00001 $i"
		t=$(awk -v t="$t" -v s="$slice" 'BEGIN { printf "%.5f", t + s * 0.00001 }')
		if [ "$i" -lt "$k" ]; then
			src=192.0.2.$((i + 10))
			echo "$t $src 192.0.2.1 tcp 7000"
			echo "$t $src 192.0.2.1 udp 8000"
			echo "$t $src 192.0.2.1 token 9000 door=ssh key=$tmp/a.key"
		fi
	done
	echo "1000 192.0.2.250 192.0.2.1 udp 1"
} | "$mkpcap" "$tmp/noise.pcap" || { echo "FAIL: mkpcap"; exit 1; }

# Both timed the same way: whole processes, wall clock.
now() { date +%s.%N; }
t0=$(now)
base=$("$pcapcount" "$tmp/noise.pcap") || exit 1
t1=$(now)
"$sknockd" -r "$tmp/noise.pcap" --dry-run -c "$tmp/sknockd.conf" \
	> "$tmp/out" 2> "$tmp/log" || { echo "FAIL: sknockd exit"; cat "$tmp/log"; exit 1; }
t2=$(now)
opens=$(grep -c '^open ' "$tmp/out") closes=$(grep -c '^close ' "$tmp/out")
total=$(awk '{ print $2 }' <<< "$base")
awk -v n="$total" -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
	p = n / (b - a); s = n / (c - b)
	printf "pcap_loop counter: packets %d seconds %.3f pps %.0f\n", n, b - a, p
	printf "sknockd -r: packets %d seconds %.3f pps %.0f ratio %.2f\n",
		n, c - b, s, s / p }'
echo "opens $opens closes $closes (want $k and $k)"
[ "$opens" -eq "$k" ] && [ "$closes" -eq "$k" ] || { echo FAIL; tail "$tmp/log"; exit 1; }
