#!/usr/bin/env bash
# metrics.sh SKNOCKD MKPCAP: metrics_file after known traffic.  A capture
# with noise, two opens, a bad MAC and a replay goes through
# `sknockd -r --dry-run`; the file it leaves is read with Debian's
# python3-prometheus-client text parser (the format node_exporter's
# textfile collector reads), and the counts are checked against what the
# capture holds.
set -uo pipefail
sknockd=$1 mkpcap=$2
py=/usr/bin/python3
if ! "$py" -c 'import prometheus_client.parser' 2>/dev/null; then
	echo "FAIL: python3-prometheus-client is missing (tests/deps.sh installs it)"
	exit 1
fi
tmp=$(mktemp -d /tmp/sknock-metrics.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; tail -n 20 "$tmp/log" 2>/dev/null; exit 1; }

printf 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n' > "$tmp/alice.key"
printf 'paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU=\n' > "$tmp/bob.key"
chmod 600 "$tmp"/*.key
cat > "$tmp/sknockd.conf" <<CONF
[daemon]
state_dir = $tmp/state-must-not-exist
metrics_file = $tmp/sknock.prom

[door:ssh]
sequence = 7000/tcp, 8000/udp, 9000/udp
open = 22/tcp
clients = alice

[client:alice]
key = $tmp/alice.key
CONF

S=192.0.2.10 T=192.0.2.11 D=192.0.2.1
N1=000102030405060708090a0b0c0d0e0f1011121314151617
"$mkpcap" "$tmp/k.pcap" <<PCAP || fail "mkpcap"
noise 500 0 0.001 7
1 $S $D tcp 7000
1.1 $S $D udp 8000
1.2 $S $D token 9000 door=ssh key=$tmp/alice.key nonce=$N1
2 $T $D tcp 7000
2.1 $T $D udp 8000
2.2 $T $D token 9000 door=ssh key=$tmp/alice.key
3 $S $D tcp 7000
3.1 $S $D udp 8000
3.2 $S $D token 9000 door=ssh key=$tmp/bob.key
4 $T $D tcp 7000
4.1 $T $D udp 8000
4.2 $T $D token 9000 door=ssh key=$tmp/alice.key nonce=$N1
PCAP
"$sknockd" -r "$tmp/k.pcap" --dry-run -c "$tmp/sknockd.conf" > "$tmp/out" 2> "$tmp/log" \
	|| fail "sknockd -r exited $?"
[ "$(grep -c '^open ' "$tmp/out")" -eq 2 ] || fail "want 2 opens: $(cat "$tmp/out")"
[ -f "$tmp/sknock.prom" ] || fail "no metrics file written at exit"
[ -e "$tmp/sknock.prom.tmp" ] && fail "the temporary file was left behind"

"$py" - "$tmp/sknock.prom" <<'PY' || fail "metrics file: see above"
import sys
from prometheus_client.parser import text_string_to_metric_families

text = open(sys.argv[1]).read()
fams = {f.name: f for f in text_string_to_metric_families(text)}
bad = []

def value(name, **labels):
    for fam in fams.values():
        for s in fam.samples:
            if s.name == name and s.labels == labels:
                return s.value
    bad.append("no sample %s%s" % (name, labels or ""))
    return None

def want(name, v, **labels):
    got = value(name, **labels)
    if got is not None and got != v:
        bad.append("%s%s = %s, want %s" % (name, labels or "", got, v))

for name, fam in fams.items():
    if not name.startswith("sknock_"):
        bad.append("family %s is not prefixed sknock_" % name)
    if not fam.documentation:
        bad.append("family %s has no HELP" % name)
    if fam.type not in ("counter", "gauge"):
        bad.append("family %s has type %s" % (name, fam.type))
for line in text.splitlines():
    if line.startswith("sknock_"):
        fam = line.split("{")[0].split(" ")[0]
        if "# TYPE %s " % fam not in text:
            bad.append("no TYPE line for %s" % fam)

# 500 noise packets and 12 knock packets.
want("sknock_packets_total", 512)
want("sknock_opens_total", 2)
want("sknock_doors_open", 2)
want("sknock_tokens_verified_total", 3)   # two opens and the replay
want("sknock_tokens_rejected_total", 1, reason="mac")
want("sknock_tokens_rejected_total", 1, reason="replay")
want("sknock_tokens_rejected_total", 0, reason="stale")
want("sknock_sequence_events_total", 4, event="complete")
want("sknock_closes_total", 0)
if bad:
    print("\n".join(bad))
    sys.exit(1)
print("families", len(fams))
PY
echo "ok metrics_file parses with prometheus_client; counts match the capture"
grep -E '^sknock_[a-z_]+(\{[a-z]+="[a-z_]+"\})? [0-9]+$' "$tmp/sknock.prom" | wc -l | \
	awk '{ print "metrics_samples " $1 " samples" }'

# Something left at PATH.tmp (a symlink, a hard link) is replaced, never
# written through.
printf 'precious\n' > "$tmp/precious"
rm -f "$tmp/sknock.prom"
ln -s "$tmp/precious" "$tmp/sknock.prom.tmp"
"$sknockd" -r "$tmp/k.pcap" --dry-run -c "$tmp/sknockd.conf" > /dev/null 2> "$tmp/log" \
	|| fail "sknockd -r exited $?"
[ "$(cat "$tmp/precious")" = precious ] || fail "the metrics write followed a symlink at PATH.tmp"
grep -q '^sknock_opens_total 2$' "$tmp/sknock.prom" || fail "no metrics file after a stale PATH.tmp"
[ -L "$tmp/sknock.prom" ] && fail "the metrics file is a symlink"
ln "$tmp/precious" "$tmp/sknock.prom.tmp"
"$sknockd" -r "$tmp/k.pcap" --dry-run -c "$tmp/sknockd.conf" > /dev/null 2> "$tmp/log" \
	|| fail "sknockd -r exited $?"
[ "$(cat "$tmp/precious")" = precious ] || fail "the metrics write went through a hard link at PATH.tmp"
echo "ok a file left at PATH.tmp is replaced, not written through"

# An unwritable metrics_file is logged, and the daemon runs on.
sed -i "s|^metrics_file = .*|metrics_file = $tmp/no-such-dir/sknock.prom|" "$tmp/sknockd.conf"
"$sknockd" -r "$tmp/k.pcap" --dry-run -c "$tmp/sknockd.conf" > "$tmp/out" 2> "$tmp/log" \
	|| fail "an unwritable metrics_file stopped sknockd"
grep -q "metrics_file $tmp/no-such-dir/sknock.prom: cannot write" "$tmp/log" \
	|| fail "an unwritable metrics_file was not logged"
echo "ok an unwritable metrics_file is logged"
