#!/usr/bin/env bash
# pcap-cases.sh SKNOCKD MKPCAP: the whole packet path, offline.  Each case
# writes a capture with mkpcap, runs `sknockd -r FILE --dry-run -c CONF`
# and compares stdout (the decision lines) with what DESIGN.md says.
set -uo pipefail
sknockd=$1 mkpcap=$2
tmp=$(mktemp -d /tmp/sknock-daemon-pcap.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0 passes=0

# Fixed keys (the token vectors' keys 1 and 2).
printf 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n' > "$tmp/alice.key"
printf 'paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU=\n' > "$tmp/bob.key"
chmod 600 "$tmp"/*.key
A=$tmp/alice.key B=$tmp/bob.key

cat > "$tmp/sknockd.conf" <<EOF
[daemon]
interface = lo
state_dir = $tmp/state-must-not-exist
window = 60

[door:ssh]
sequence = 7000/tcp, 8000/udp, 9000/udp
open = 22/tcp, 2222/tcp
timeout = 30
seq_timeout = 10
clients = alice

[door:web]
sequence = 7100/tcp, 9100/udp
open = 443/tcp
clients = bob

[door:classic]
signed = no
sequence = 7200/tcp, 7300/tcp, 7400/udp
open = 8080/tcp, 53/udp
timeout = 5

[door:nat]
sequence = 9500/udp
open = 22/tcp
clients = alice
allow_other_address = yes

[door:strict]
sequence = 9600/udp
open = 22/tcp
clients = alice, bob
require_source_address = yes

[client:alice]
key = $A

[client:bob]
key = $B
EOF

# run_case NAME EXPECTED < SCRIPT: build the capture, run, compare.
run_case() {
	local name=$1 want=$2 got
	if ! "$mkpcap" "$tmp/$name.pcap" > "$tmp/$name.mk" 2>&1; then
		echo "FAIL $name: mkpcap: $(cat "$tmp/$name.mk")"
		fails=$((fails + 1)); return
	fi
	got=$("$sknockd" -r "$tmp/$name.pcap" --dry-run -c "$tmp/sknockd.conf" \
		2> "$tmp/$name.log")
	local rc=$?
	if [ "$rc" -ne 0 ] || [ "$got" != "$want" ]; then
		echo "FAIL $name (exit $rc)"
		echo "--- want"; printf '%s\n' "$want"
		echo "--- got"; printf '%s\n' "$got"
		echo "--- log"; tail -n 20 "$tmp/$name.log"
		fails=$((fails + 1)); return
	fi
	passes=$((passes + 1))
	echo "ok $name"
}

S=192.0.2.10 D=192.0.2.1
OPEN22="open door=ssh client=alice address=$S port=22/tcp timeout=30"

# ssh_knock KEY [TOKEN_OPTS...]: mkpcap lines for the ssh door's three
# steps from $S at 0, 0.1 and 0.2 s, the token signed with KEY.
ssh_knock() {
	local key=$1
	shift
	printf '0 %s %s tcp 7000\n0.1 %s %s udp 8000\n' "$S" "$D" "$S" "$D"
	echo "0.2 $S $D token 9000 door=ssh key=$key${*:+ $*}"
}
CLOSE22="close door=ssh address=$S port=22/tcp"

# A valid knock in the middle of noise: exactly one open, then its close.
run_case valid-among-noise "$OPEN22
$CLOSE22" <<EOF
noise 3000 0 0.001 7
3.0 $S $D tcp 7000
3.1 $S $D udp 8000 len=1
3.2 $S $D token 9000 door=ssh key=$A
noise 3000 3.3 0.001 8
40 $S $D udp 1
EOF

run_case pending-close-not-printed "$OPEN22" <<EOF
$(ssh_knock "$A")
29 $S $D udp 1
EOF

NONCE=000102030405060708090a0b0c0d0e0f1011121314151617
run_case replay-same-file "$OPEN22" <<EOF
$(ssh_knock "$A" nonce=$NONCE)
2 $S $D tcp 7000
2.1 $S $D udp 8000
2.2 $S $D token 9000 door=ssh key=$A nonce=$NONCE
3 192.0.2.99 $D tcp 7000
3.1 192.0.2.99 $D udp 8000
3.2 192.0.2.99 $D token 9000 door=ssh key=$A nonce=$NONCE
EOF

run_case wrong-key "" <<EOF
$(ssh_knock "$B")
EOF

run_case stale-timestamp "" <<EOF
$(ssh_knock "$A" ts=-61)
EOF

run_case future-timestamp "" <<EOF
$(ssh_knock "$A" ts=+61)
EOF

run_case timestamp-within-window "$OPEN22" <<EOF
$(ssh_knock "$A" ts=-59)
EOF

run_case wrong-door "" <<EOF
0 $S $D tcp 7000
0.1 $S $D udp 8000
0.2 $S $D token 9000 door=web key=$A
1 $S $D tcp 7100
1.1 $S $D token 9100 door=ssh key=$B
EOF

run_case other-address-refused "" <<EOF
$(ssh_knock "$A" allow=198.51.100.9)
EOF

run_case other-address-allowed \
"open door=nat client=alice address=198.51.100.9 port=22/tcp timeout=30" <<EOF
0 $S $D token 9500 door=nat key=$A allow=198.51.100.9
EOF

run_case own-address-signed "$OPEN22" <<EOF
$(ssh_knock "$A" allow=$S)
EOF

run_case require-source-address \
"open door=strict client=bob address=$S port=22/tcp timeout=30" <<EOF
0 $S $D token 9600 door=strict key=$A
1 $S $D token 9600 door=strict key=$B allow=$S
EOF

for n in 0 1 87; do
	run_case "truncated-$n" "" <<EOF
$(ssh_knock "$A" trunc=$n)
EOF
done

run_case oversize-payload "" <<EOF
0 $S $D tcp 7000
0.1 $S $D udp 8000
0.2 $S $D udp 9000 len=89
EOF

run_case out-of-order "" <<EOF
0 $S $D udp 8000
0.1 $S $D tcp 7000
0.2 $S $D token 9000 door=ssh key=$A
EOF

# DESIGN.md: on a signed door nothing undoes a step (a packet in the
# user's name cannot reset the attempt); an unsigned door resets.
run_case signed-wrong-step-does-not-reset "$OPEN22" <<EOF
0 $S $D tcp 7000
0.1 $S $D udp 9000
0.2 $S $D udp 8000
0.25 $S $D tcp 7000
0.3 $S $D token 9000 door=ssh key=$A
EOF

run_case unsigned-wrong-step-resets "" <<EOF
0 $S $D tcp 7200
0.1 $S $D udp 7400
0.2 $S $D tcp 7300
0.3 $S $D udp 7400
EOF

run_case too-slow "" <<EOF
0 $S $D tcp 7000
5 $S $D udp 8000
10.5 $S $D token 9000 door=ssh key=$A
EOF

run_case duplicates-and-noise-between "$OPEN22" <<EOF
0 $S $D tcp 7000
0.01 $S $D tcp 7000
0.02 $S $D tcp 22 flags=SA
0.05 $S $D udp 5555 len=3
0.1 $S $D udp 8000 len=1
0.11 $S $D udp 8000 len=1
0.2 $S $D token 9000 door=ssh key=$A
EOF

run_case ecn-syn-counts-ack-does-not "$OPEN22" <<EOF
0 $S $D tcp 7000 flags=SA
0.1 $S $D udp 8000
0.2 $S $D token 9000 door=ssh key=$A
1 $S $D tcp 7000 flags=SEC
1.1 $S $D udp 8000
1.2 $S $D token 9000 door=ssh key=$A
EOF

run_case port-requested \
"open door=ssh client=alice address=$S port=2222/tcp timeout=30" <<EOF
$(ssh_knock "$A" port=2222 proto=tcp)
1 $S $D tcp 7000
1.1 $S $D udp 8000
1.2 $S $D token 9000 door=ssh key=$A port=23 proto=tcp
2 $S $D tcp 7000
2.1 $S $D udp 8000
2.2 $S $D token 9000 door=ssh key=$A port=2222 proto=udp
3 $S $D tcp 7000
3.1 $S $D udp 8000
3.2 $S $D token 9000 door=ssh key=$A proto=1
EOF

# Port 0 is the first open entry exactly as written, whatever the
# protocol byte says.
run_case port-zero-udp-byte "$OPEN22" <<EOF
$(ssh_knock "$A" port=0 proto=udp)
EOF

run_case reknock-reschedules-close "$OPEN22
$OPEN22
$CLOSE22" <<EOF
$(ssh_knock "$A")
20 $S $D tcp 7000
20.1 $S $D udp 8000
20.2 $S $D token 9000 door=ssh key=$A
35 $S $D udp 1
51 $S $D udp 1
EOF

run_case unsigned-door-opens \
"open door=classic client=- address=$S port=8080/tcp timeout=5
open door=classic client=- address=$S port=53/udp timeout=5
close door=classic address=$S port=8080/tcp
close door=classic address=$S port=53/udp" <<EOF
0 $S $D tcp 7200
0.1 $S $D tcp 7300
0.2 $S $D udp 7400 len=1
6 $S $D udp 1
EOF

run_case fragment-token-dropped "" <<EOF
$(ssh_knock "$A" mf)
EOF

run_case vlan-knock "$OPEN22" <<EOF
0 $S $D tcp 7000 vlan=100
0.1 $S $D udp 8000 vlan=100
0.2 $S $D token 9000 door=ssh key=$A vlan=100
EOF

run_case ipv4-options "$OPEN22" <<EOF
0 $S $D tcp 7000 ipopt
0.1 $S $D udp 8000 ipopt
0.2 $S $D token 9000 door=ssh key=$A ipopt
EOF

S6=2001:db8::10 D6=2001:db8::1
run_case ipv6-extension-header \
"open door=ssh client=alice address=$S6 port=22/tcp timeout=30" <<EOF
0 $S6 $D6 tcp 7000 hbh
0.1 $S6 $D6 udp 8000 hbh
0.2 $S6 $D6 token 9000 door=ssh key=$A hbh
EOF

run_case ipv6-vlan \
"open door=ssh client=alice address=$S6 port=22/tcp timeout=30" <<EOF
0 $S6 $D6 tcp 7000 vlan=7
0.1 $S6 $D6 udp 8000 vlan=7
0.2 $S6 $D6 token 9000 door=ssh key=$A vlan=7 hbh
EOF

for link in raw ipv4 sll sll2; do
	run_case "link-$link" "$OPEN22" <<EOF
link $link
$(ssh_knock "$A")
EOF
done

run_case link-ipv6 \
"open door=ssh client=alice address=$S6 port=22/tcp timeout=30" <<EOF
link ipv6
0 $S6 $D6 tcp 7000
0.1 $S6 $D6 udp 8000
0.2 $S6 $D6 token 9000 door=ssh key=$A hbh
EOF

for link in sll sll2; do
	run_case "outgoing-$link-skipped" "" <<EOF
link $link
0 $S $D tcp 7000 out
0.1 $S $D udp 8000 out
0.2 $S $D token 9000 door=ssh key=$A out
EOF
done

# DESIGN.md: a source whose own budget (verify_per_source) is spent is
# still verified while the global budget has room.
run_case per-source-budget-spent-still-verified \
"open door=nat client=alice address=$S port=22/tcp timeout=30" <<EOF
0 $S $D token 9500 door=nat key=$B
0.01 $S $D token 9500 door=nat key=$B
0.02 $S $D token 9500 door=nat key=$B
0.03 $S $D token 9500 door=nat key=$B
0.04 $S $D token 9500 door=nat key=$B
0.05 $S $D token 9500 door=nat key=$A
EOF

# The rate limit forgets: a second later the valid token is verified.
run_case rate-limit-recovers \
"open door=nat client=alice address=$S port=22/tcp timeout=30" <<EOF
0 $S $D token 9500 door=nat key=$B
0.01 $S $D token 9500 door=nat key=$B
0.02 $S $D token 9500 door=nat key=$B
0.03 $S $D token 9500 door=nat key=$B
0.04 $S $D token 9500 door=nat key=$B
2 $S $D token 9500 door=nat key=$A
EOF

for bad in 0.0.0.0 127.0.0.1 224.0.0.1 255.255.255.255 240.0.0.9 $D; do
	run_case "bogus-source-$bad" "" <<EOF
0 $bad $D tcp 7000
0.1 $bad $D udp 8000
0.2 $bad $D token 9000 door=ssh key=$A
EOF
done
for bad in :: ::1 ff02::1 2001:db8::1; do
	run_case "bogus-source-$bad" "" <<EOF
0 $bad 2001:db8::1 tcp 7000
0.1 $bad 2001:db8::1 udp 8000
0.2 $bad 2001:db8::1 token 9000 door=ssh key=$A
EOF
done

run_case bogus-signed-address "" <<EOF
0 $S $D token 9500 door=nat key=$A allow=224.0.0.1
0.2 $S $D token 9500 door=nat key=$A allow=127.0.0.1
EOF

# -r without --dry-run runs the hooks: start, open, close (by packet
# time), stop at the end of the file, with the decisions on stdout too.
# max_hooks = 1: runs queue and go one at a time, in order.
cat > "$tmp/hook" <<HOOK
#!/bin/sh
echo "\$1 \${SKNOCK_DOOR:-} \${SKNOCK_ADDRESS:-} \${SKNOCK_PORT:-} \${SKNOCK_GUARD:-}" >> $tmp/hook.rec
HOOK
chmod 755 "$tmp/hook"
sed "s|^\[daemon\]|[daemon]\nhook = $tmp/hook\nmax_hooks = 1|" "$tmp/sknockd.conf" > "$tmp/hooked.conf"
"$mkpcap" "$tmp/hooked.pcap" <<EOF
$(ssh_knock "$A")
31 $S $D udp 1
EOF
got=$("$sknockd" -r "$tmp/hooked.pcap" -c "$tmp/hooked.conf" 2> "$tmp/hooked.log")
# (First `HOOK serve`, DESIGN.md "Hook servers": this hook does not greet.)
want_rec="serve    
start    tcp/22 tcp/2222 tcp/443 tcp/8080 udp/53
open ssh $S 22 
close ssh $S 22 
stop    tcp/22 tcp/2222 tcp/443 tcp/8080 udp/53"
if [ "$got" != "$OPEN22
$CLOSE22" ] || [ "$(cat "$tmp/hook.rec" 2>/dev/null)" != "$want_rec" ]; then
	echo "FAIL hooks-in-r-mode"; printf 'stdout:\n%s\nhook record:\n' "$got"
	cat "$tmp/hook.rec"; cat "$tmp/hooked.log"; fails=$((fails + 1))
else
	echo "ok hooks-in-r-mode"; passes=$((passes + 1))
fi

# -r never touches state_dir.
if [ -e "$tmp/state-must-not-exist" ]; then
	echo "FAIL: sknockd -r created state_dir"; fails=$((fails + 1))
fi

# Rejections are logged with source, door and reason.
if ! grep -q "192.0.2.10.*door=ssh.*bad MAC" "$tmp/wrong-key.log"; then
	echo "FAIL: no rejection line in the wrong-key log:"
	cat "$tmp/wrong-key.log"; fails=$((fails + 1))
fi
if ! grep -q "door classic is unsigned" "$tmp/wrong-key.log"; then
	echo "FAIL: no warning about the unsigned door"; fails=$((fails + 1))
fi

echo "pcap cases: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
