#!/usr/bin/env bash
# attacks.sh SKNOCKD MKPCAP: attacks by a watcher who can spoof any
# source address, each a capture fed to `sknockd -r FILE --dry-run` (packet
# time is the clock, so floods of thousands of packets a second are
# exact and cheap).  Each case shows that the attacker's replay of the
# user's token opens nothing and, where the attack is a spoof, that the
# user's own knock still opens.
set -uo pipefail
sknockd=$1 mkpcap=$2
tmp=$(mktemp -d /tmp/sknock-attacks.XXXXXX)
trap '[ -n "${SK_KEEP:-}" ] || rm -rf "$tmp"' EXIT
fails=0 passes=0
base=1764000000

printf 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n' > "$tmp/alice.key"
chmod 600 "$tmp/alice.key"
A=$tmp/alice.key

write_conf() {  # write_conf FILE [HOOK]
	cat > "$1" <<EOF
[daemon]
interface = lo
state_dir = $tmp/state-must-not-exist
window = 60
${2:+hook = $2}
${2:+max_hooks = 1}

[door:ssh]
sequence = 7000/tcp, 8000/udp, 9000/udp
open = 22/tcp
timeout = 30
seq_timeout = 10
clients = alice

[door:dns]
sequence = 7500/tcp, 9500/udp
open = 53/udp
clients = alice

[door:free]
signed = no
sequence = 7700/tcp, 7800/tcp
open = 8080/tcp
timeout = 600

[client:alice]
key = $A
EOF
}
write_conf "$tmp/sknockd.conf"

U=192.0.2.10 X=203.0.113.66 D=192.0.2.1
OPEN_U="open door=ssh client=alice address=$U port=22/tcp timeout=30"

# run NAME < SCRIPT: capture NAME.pcap, decisions NAME.out, log NAME.log.
# The script's lines may come in any order: they are sorted by time.
run() {
	local name=$1
	sort -g -s -k1,1 > "$tmp/$name.script"
	if ! "$mkpcap" "$tmp/$name.pcap" < "$tmp/$name.script" \
		> "$tmp/$name.mk" 2>&1; then
		echo "FAIL $name: mkpcap: $(cat "$tmp/$name.mk")"
		return 1
	fi
	"$sknockd" -r "$tmp/$name.pcap" ${dry_run-"--dry-run"} \
		-c "${conf:-$tmp/sknockd.conf}" > "$tmp/$name.out" 2> "$tmp/$name.log"
}

bad() {  # bad NAME WHY
	echo "FAIL $1: $2"
	echo "--- decisions"; head -n 20 "$tmp/$1.out"
	echo "--- log"; grep -v 'is unsigned' "$tmp/$1.log" | tail -n 15
	fails=$((fails + 1))
}
ok() { echo "ok $1"; passes=$((passes + 1)); }

# expect NAME WANT: the decisions are exactly WANT.
expect() {
	if [ "$(cat "$tmp/$1.out")" != "$2" ]; then
		bad "$1" "want exactly: $2"
		return 1
	fi
}

# logged NAME PATTERN: the log has a line matching PATTERN (grep -E).
logged() {
	grep -qE -- "$2" "$tmp/$1.log" || { bad "$1" "no log line /$2/"; return 1; }
}

# knock SRC T NONCE_HEX [TS [OPTS]]: the user's three packets from T
# (10 ms apart) to $DST; the token is timestamped TS (default base +
# int(T)), so a replay can copy it byte for byte.
DST=$D
knock() {
	awk -v s="$1" -v d="$DST" -v t="$2" -v n="$3" -v ts="${4:-}" \
		-v o="${5:-}" -v b=$base -v k="$A" 'BEGIN {
		if (ts == "") ts = b + int(t)
		printf "%.4f %s %s tcp 7000 %s\n", t, s, d, o
		printf "%.4f %s %s udp 8000 %s\n", t + 0.01, s, d, o
		printf "%.4f %s %s token 9000 door=ssh key=%s nonce=%s ts=%d %s\n",
		    t + 0.02, s, d, k, n, ts, o }'
}
nonce() { printf '%048x' "$1"; }

# 1. One spoofed datagram between the user's step 2 and token used to
# end the attempt; the token then went unrecorded and the attacker's
# replay 5 s later opened for the attacker.
for kind in empty garbage; do
	len=0
	[ "$kind" = garbage ] && len=88
	name=stolen-by-one-$kind-datagram
	{
		echo "0 $U $D tcp 7000"
		echo "0.1 $U $D udp 8000"
		echo "0.15 $U $D udp 9000 len=$len"
		echo "0.2 $U $D token 9000 door=ssh key=$A nonce=$(nonce 1) ts=$base"
		knock $X 5 "$(nonce 1)"
	} | run $name &&
	expect $name "$OPEN_U" &&
	logged $name "rejected token from $X door=ssh: replayed token" && ok $name
done

# 2. Garbage completions in the user's name at 10/s used to spend the
# user's per-source budget (5/s), so the real token was refused and
# unrecorded.  Now a source over its own budget is still verified while
# the global budget has room.
name=stolen-by-rate-drain
{
	for ((i = 0; i < 100; i++)); do
		t=$(printf '%d.%d' $((i / 10)) $((i % 10)))
		echo "$t $U $D tcp 7000"
		echo "$t $U $D udp 8000"
		echo "$t $U $D udp 9000 len=88"
	done
	knock $U 4.03 "$(nonce 2)"
	knock $X 8.05 "$(nonce 2)" $((base + 4))
} | run $name &&
expect $name "$OPEN_U" && ok $name

# 3. A step dropped on the path: the token alone is verified and its
# nonce recorded (nothing opens), so the attacker's steps and replay
# open nothing; the user's next knock opens.
name=stolen-by-dropped-step
{
	echo "0 $U $D tcp 7000"
	echo "0.2 $U $D token 9000 door=ssh key=$A nonce=$(nonce 3) ts=$base"
	knock $X 3 "$(nonce 3)" $base
	knock $U 6 "$(nonce 4)"
} | run $name &&
expect $name "$OPEN_U" &&
logged $name "rejected token from $U door=ssh: steps not completed" &&
logged $name "rejected token from $X door=ssh: replayed token" && ok $name

# 4. 2000 spoofed step-1 SYNs a second in the user's name for 45 s used to
# reset every attempt (40 of 40 knocks blocked).  On a signed door
# nothing undoes a step: all 40 knocks open, and the replay does not.
name=step1-flood
{
	awk -v u=$U -v d=$D 'BEGIN { for (i = 0; i < 90000; i++)
		printf "%.4f %s %s tcp 7000\n", i / 2000, u, d }'
	for ((k = 0; k < 40; k++)); do
		knock $U $((k + 1)).3 "$(nonce $((100 + k)))"
	done
	knock $X 44.5 "$(nonce 139)" $((base + 40))
} | run $name
if [ "$(grep -c . "$tmp/$name.out")" -ne 40 ] ||
	[ "$(grep -cxF "$OPEN_U" "$tmp/$name.out")" -ne 40 ]; then
	bad $name "want 40 opens for $U, nothing else"
else
	logged $name "rejected token from $X door=ssh: replayed token" && ok $name
fi

# 5. IPv6 packets from v4-mapped sources (::ffff:0:0/96, never on the
# wire) used to count as the IPv4 address.  They are dropped before
# matching: neither a knock nor a replay that way opens; IPv4 does.
name=v4-mapped-source
M=::ffff:$U D6=2001:db8::1
{
	DST=$D6 knock $M 0 "$(nonce 5)" "" v6
	knock $U 1 "$(nonce 6)"
	DST=$D6 knock $M 2 "$(nonce 6)" $((base + 1)) v6
} | run $name &&
expect $name "$OPEN_U" && ok $name

# 6. Port 0 is the door's first open entry exactly as written: a plain
# knock on `open = 53/udp` opens 53/udp (the token's protocol byte says
# tcp), never 53/tcp.
name=port-zero-udp-door
{
	echo "0 $U $D tcp 7500"
	echo "0.01 $U $D token 9500 door=dns key=$A"
} | run $name &&
expect $name "open door=dns client=alice address=$U port=53/udp timeout=30" &&
ok $name

# 7. Anyone can open an unsigned door: 5000 spoofed sources used to fill
# the shared table (4096), and a valid signed knock then got "too many
# doors open".  Each door has its own share.
name=unsigned-door-cannot-starve-signed
{
	awk -v d=$D 'BEGIN { for (i = 0; i < 5000; i++) {
		src = sprintf("198.51.%d.%d", int(i / 250), i % 250 + 1)
		printf "%.4f %s %s tcp 7700\n", i / 1000, src, d
		printf "%.4f %s %s tcp 7800\n", i / 1000 + 0.0001, src, d } }'
	knock $U 6 "$(nonce 7)"
} | run $name
if ! grep -qxF "$OPEN_U" "$tmp/$name.out"; then
	bad $name "the signed knock did not open"
elif [ "$(grep -c '^open door=free ' "$tmp/$name.out")" -ne 4096 ]; then
	bad $name "want exactly 4096 unsigned opens (the per-door cap)"
else
	logged $name "door=free: too many doors open" && ok $name
fi

# 8. A repeated valid open for an open address and door is a new open
# (stdout says so, the close moves) but reruns the open hook at most once
# a second: four knocks in 0.9 s, then one at 2 s, run the hook twice.
name=reopen-hook-once-a-second
cat > "$tmp/hook" <<HOOK
#!/bin/sh
echo "\$1 \${SKNOCK_ADDRESS:-}" >> $tmp/hook.rec
HOOK
chmod 755 "$tmp/hook"
write_conf "$tmp/hooked.conf" "$tmp/hook"
{
	i=10
	for t in 0 0.3 0.6 0.9 2; do
		i=$((i + 1))
		knock $U $t "$(nonce $i)"
	done
	echo "40 $U $D udp 1"
} | conf=$tmp/hooked.conf dry_run= run $name
if [ "$(grep -cxF "$OPEN_U" "$tmp/$name.out")" -ne 5 ]; then
	bad $name "want 5 open lines"
elif [ "$(grep -c "^open $U" "$tmp/hook.rec")" -ne 2 ]; then
	bad $name "want 2 open hook runs, got: $(tr '\n' ' ' < "$tmp/hook.rec")"
elif [ "$(grep -c "^close $U" "$tmp/hook.rec")" -ne 1 ]; then
	bad $name "want 1 close, 30 s after the last open"
else
	ok $name
fi

# 9. One source spoofing garbage tokens: its lines stop once it is past
# its own verification budget (5), so it cannot fill the log (before,
# every one was logged up to log_rate = 20 a second).
name=one-source-cannot-fill-the-log
{
	for ((i = 0; i < 100; i++)); do
		echo "0.$(printf '%03d' $i) $X $D udp 9000 len=88"
	done
} | run $name
n=$(grep -c "rejected token from $X " "$tmp/$name.log")
if [ "$n" -ne 5 ]; then
	bad $name "want 5 log lines from $X, got $n"
else
	ok $name
fi

# 10. An attempt lives until it opens: right after the open, the same
# source's token without steps opens nothing (it is verified and spent).
name=open-ends-the-attempt
{
	knock $U 0 "$(nonce 30)"
	echo "1 $U $D token 9000 door=ssh key=$A nonce=$(nonce 31)"
} | run $name &&
expect $name "$OPEN_U" &&
logged $name "rejected token from $U door=ssh: steps not completed" && ok $name

# 11. The open doors are a hash index and a heap of closes: closes come
# in deadline order across doors with different timeouts, a refresh
# moves one, and every door's close comes exactly once.
name=closes-in-deadline-order
cat > "$tmp/mixed.conf" <<EOF
[daemon]
interface = lo
state_dir = $tmp/state-must-not-exist

[door:ssh]
sequence = 7000/tcp, 8000/udp, 9000/udp
open = 22/tcp
timeout = 30
clients = alice

[door:short]
signed = no
sequence = 7700/tcp, 7800/tcp
open = 8080/tcp
timeout = 5

[client:alice]
key = $A
EOF
{
	echo "0 198.51.100.1 $D tcp 7700"; echo "0.01 198.51.100.1 $D tcp 7800"
	knock $U 1 "$(nonce 20)"
	echo "2 198.51.100.2 $D tcp 7700"; echo "2.01 198.51.100.2 $D tcp 7800"
	# 198.51.100.1 again at 4: its close moves from 5 to 9.
	echo "4 198.51.100.1 $D tcp 7700"; echo "4.01 198.51.100.1 $D tcp 7800"
	for t in 6 8 10 20 32 40; do echo "$t 192.0.2.99 $D udp 1"; done
} | conf=$tmp/mixed.conf run $name
S1="door=short client=- address=198.51.100.1 port=8080/tcp timeout=5"
S2="door=short client=- address=198.51.100.2 port=8080/tcp timeout=5"
expect $name "open $S1
$OPEN_U
open $S2
open $S1
close door=short address=198.51.100.2 port=8080/tcp
close door=short address=198.51.100.1 port=8080/tcp
close door=ssh address=$U port=22/tcp" && ok $name

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
