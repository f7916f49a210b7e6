#!/usr/bin/env bash
# verifycost.sh SKNOCKD MKPCAP [CPU_BOUND_S]: the global verification
# budget pays per key.  A door of 1000 clients in rotation (2000 keys)
# gets, through `sknockd -r`, a spoofed flood of garbage tokens from
# 4000 sources at 2000 a second for 2 s, then 10 a second for 2 s with
# one valid knock of the last client among them.  Every garbage token is
# tried against all 2000 keys, so at cost rate_cost(2000) = 1000 units
# the default verify_global = 20000 lets at most 20 + 20 * 4 tokens
# reach the MACs (counted in the metrics file) and the run's CPU stays
# bounded (without the per-key charge: 4000 tokens, 8 million HMACs);
# the valid knock, sent while the flood is under the budget, opens.
# Prints the figures.
set -uo pipefail
sknockd=$1 mkpcap=$2 cpu_bound=${3:-4}
tmp=$(mktemp -d /tmp/sknock-verifycost.$$.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; tail -n 20 "$tmp/log" 2>/dev/null; exit 1; }

# 1000 clients, each with key and key_next, alice last.
mkdir -p "$tmp/keys" "$tmp/clients.d"
chmod 755 "$tmp/clients.d"
/usr/bin/python3 - "$tmp" <<'PY' || fail "cannot write the client files"
import base64, os, sys
tmp = sys.argv[1]
for i in range(1000):
    name = "alice" if i == 999 else "c%04d" % i
    for which in ("key", "next"):
        p = "%s/keys/%s.%s" % (tmp, name, which)
        fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, base64.b64encode(os.urandom(32)) + b"\n")
        os.close(fd)
    with open("%s/clients.d/%s.conf" % (tmp, name), "w") as f:
        f.write("[client:%s]\nkey = %s/keys/%s.key\nkey_next = %s/keys/%s.next\n"
                "doors = ssh\n" % (name, tmp, name, tmp, name))
PY
cat > "$tmp/sknockd.conf" <<CONF
[daemon]
state_dir = $tmp/state
metrics_file = $tmp/sknock.prom
clients_dir = $tmp/clients.d

[door:ssh]
sequence = 9000/udp
open = 22/tcp
CONF

D=192.0.2.1
awk -v d="$D" -v key="$tmp/keys/alice.key" 'BEGIN {
	for (i = 0; i < 4000; i++)	# 2000/s for 2 s, a new source each
		printf "%.4f 198.18.%d.%d %s udp 9000 len=88\n", i * 0.0005,
		    int(i / 250), i % 250 + 1, d
	for (i = 0; i < 20; i++)	# then 10/s for 2 s
		printf "%.4f 198.19.0.%d %s udp 9000 len=88\n", 2 + i * 0.1,
		    i + 1, d
	printf "3.05 192.0.2.7 %s token 9000 door=ssh key=%s\n", d, key
	print "5 192.0.2.250 192.0.2.1 udp 1"
}' | "$mkpcap" "$tmp/flood.pcap" || fail "mkpcap"

TIMEFORMAT='%U %S'
{ time "$sknockd" -r "$tmp/flood.pcap" --dry-run -c "$tmp/sknockd.conf" \
	> "$tmp/out" 2> "$tmp/log"; } 2> "$tmp/time" || fail "sknockd -r exited"
read -r user sys < "$tmp/time"
sample() {  # sample REASON: sknock_tokens_rejected_total{reason="REASON"}
	awk -v r="reason=\"$1\"" 'index($0, "sknock_tokens_rejected_total{") == 1 &&
		index($0, r) { print $2 + 0; f = 1 } END { if (!f) print -1 }' \
		"$tmp/sknock.prom"
}
mac=$(sample mac) rg=$(sample rate_global) rs=$(sample rate_source)
tried=$((mac + 1))
echo "flood: 4020 garbage tokens, 2000 keys; tokens tried $tried" \
	"(bound 101), rate_global $rg rate_source $rs"
awk -v u="$user" -v s="$sys" -v t="$tried" 'BEGIN {
	printf "flood_cpu %.3f s\nflood_key_tries %d\n", u + s, t * 2000 }'
grep -q '^open door=ssh client=alice address=192.0.2.7 ' "$tmp/out" \
	|| fail "alice's knock during the flood did not open: $(cat "$tmp/out")"
[ "$mac" -ge 20 ] || fail "only $mac garbage tokens verified: the budget was not used"
[ "$tried" -le 101 ] || fail "$tried tokens reached the MACs, over 101"
[ $((mac + rg + rs)) -eq 4020 ] || fail "mac+rate_global+rate_source = $((mac + rg + rs)), want 4020"
awk -v u="$user" -v s="$sys" -v b="$cpu_bound" 'BEGIN { exit !(u + s < b) }' \
	|| fail "CPU $user + $sys s, over $cpu_bound s"
echo "ok the flood's verification work is bounded and alice opens"

# A door whose token costs more than the whole budget: refused at load.
sed -i 's|^\[daemon\]$|[daemon]\nverify_global = 999\nhook = /bin/true|' \
	"$tmp/sknockd.conf"
"$sknockd" -t -c "$tmp/sknockd.conf" > "$tmp/t.out" 2>&1 \
	&& fail "sknockd -t accepted a door that could verify no token"
grep -q 'verify_global = 999: \[door:ssh\] has 2000 client keys, so each token costs 1000; .*set verify_global = 1000 or more' \
	"$tmp/t.out" || fail "no clear error: $(cat "$tmp/t.out")"
echo "ok a door dearer than verify_global is a configuration error"
