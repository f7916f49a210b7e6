#!/usr/bin/env bash
# deny.sh SKNOCKD MKPCAP [--quick]: how many spoofed packets a second in a
# user's name it takes to deny that user.  Offline, through the real
# packet path (`sknockd -r --dry-run`, packet time is the clock, so the
# rates are exact whatever the machine): a flood of 88-byte garbage
# tokens "from" the user to the door's last step, already past the
# global budget's burst, and the user's own knocks (steps, then a
# token) five times a second among them.  A rate denies the user when at
# least half of the knocks open nothing.  Prints `name value unit`:
#   deny_users_name_pps        the smallest such rate (binary search)
#   deny_users_name_first_pps  the smallest rate at which any knock failed
#   deny_step1_flood_opened    knocks opened under 2000 spoofed step-1
#                              SYNs a second in the user's name
#   deny_random_30k_opened     knocks opened under 30000 garbage tokens a
#                              second from random sources
# --quick checks only that 1000 pps in the user's name denies nothing
# and that the step-1 flood blocks no knock (exit 1 otherwise).
set -uo pipefail
sknockd=$1 mkpcap=$2 quick=${3:-}
for f in "$sknockd" "$mkpcap"; do
	[ -x "$f" ] || { echo "deny.sh: $f is not built" >&2; exit 1; }
done
tmp=$(mktemp -d /tmp/sknock-deny.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT

KNOCKS=10 U=192.0.2.10 D=192.0.2.1
printf 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n' > "$tmp/u.key"
chmod 600 "$tmp/u.key"
cat > "$tmp/sknockd.conf" <<EOF
[daemon]
interface = lo
state_dir = $tmp/state
window = 60

[door:ssh]
sequence = 7000/tcp, 8000/udp, 9000/udp
open = 22/tcp
clients = u

[client:u]
key = $tmp/u.key
EOF

# knocks: the user's KNOCKS knocks, from 0.5 s, 0.2 s apart; each at
# another offset inside its millisecond (the global budget refills by
# the millisecond), so they sample the flood's phases evenly.
knocks() {
	awk -v n=$KNOCKS -v u=$U -v d=$D -v k="$tmp/u.key" 'BEGIN {
		for (i = 0; i < n; i++) {
			t = 0.5 + 0.2 * i + (i * 0.000618) % 0.001
			printf "%.6f %s %s tcp 7000\n", t, u, d
			printf "%.6f %s %s udp 8000\n", t + 0.005, u, d
			printf "%.6f %s %s token 9000 door=ssh key=%s\n",
			    t + 0.01, u, d, k } }'
}

# flood RATE SRC KIND: RATE packets a second up to the last knock, after
# a burst that spends the global budget's 20000 (a flood already going).
flood() {
	awk -v r="$1" -v s="$2" -v kind="$3" -v d=$D \
		-v n=$KNOCKS 'BEGIN {
		srand(7)
		end = 0.6 + 0.2 * n
		for (i = 0; i < 20000 && kind == "garbage"; i++)
			pkt(i / 400000.0)
		for (t = 0.05; t < end; t += 1.0 / r)
			pkt(t) }
	function pkt(t, src) {
		src = s
		if (s == "random")
			src = sprintf("198.18.%d.%d", int(rand() * 256), int(rand() * 254) + 1)
		if (kind == "garbage")
			printf "%.6f %s %s udp 9000 len=88\n", t, src, d
		else
			printf "%.6f %s %s tcp 7000\n", t, src, d }'
}

# opened RATE SRC KIND: how many of the user's knocks open under that
# flood (fails when the capture cannot be made or read).
opened() {
	{ flood "$@"; knocks; } | sort -g -s -k1,1 > "$tmp/script"
	"$mkpcap" "$tmp/f.pcap" < "$tmp/script" >&2 || return 1
	"$sknockd" -r "$tmp/f.pcap" --dry-run -c "$tmp/sknockd.conf" \
		> "$tmp/out" 2> "$tmp/log" || { tail -n 3 "$tmp/log" >&2; return 1; }
	grep -c "^open door=ssh client=u address=$U " "$tmp/out" || true
}

denied() {
	local n
	n=$(opened "$1" $U garbage) || exit 1
	[ "$n" -lt $((KNOCKS - KNOCKS / 2)) ]
}

if [ "$quick" = --quick ]; then
	a=$(opened 1000 $U garbage) || exit 1
	b=$(opened 2000 $U syn) || exit 1
	echo "deny_users_name_1000pps_opened $a knocks_of_$KNOCKS"
	echo "deny_step1_flood_opened $b knocks_of_$KNOCKS"
	[ "$a" -eq $KNOCKS ] && [ "$b" -eq $KNOCKS ]
	exit
fi

first=""
lo=1 hi=""
for r in 1 10 30 100 300 1000 10000 20000 25000 30000 40000 60000 100000; do
	n=$(opened $r $U garbage) || exit 1
	[ -z "$first" ] && [ "$n" -lt $KNOCKS ] && first=$r
	if [ "$n" -lt $((KNOCKS - KNOCKS / 2)) ]; then
		hi=$r
		break
	fi
	lo=$r
done
if [ -z "$hi" ]; then
	echo "deny_users_name_pps >100000 packets/s"
else
	while [ $((hi - lo)) -gt 1000 ]; do
		mid=$(((lo + hi) / 2))
		if denied $mid; then hi=$mid; else lo=$mid; fi
	done
	echo "deny_users_name_pps $hi packets/s"
fi
echo "deny_users_name_first_pps ${first:->100000} packets/s"
n=$(opened 2000 $U syn) || exit 1
echo "deny_step1_flood_opened $n knocks_of_$KNOCKS"
n=$(opened 30000 random garbage) || exit 1
echo "deny_random_30k_opened $n knocks_of_$KNOCKS"
