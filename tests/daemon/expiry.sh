#!/usr/bin/env bash
# expiry.sh SKNOCKD MKPCAP: expires and key_next through the real packet
# path, offline: captures (their own clock decides, a capture may be
# days old) run with `sknockd -r --dry-run`.  A client past its expires
# is refused with the reason expired and its name in the log; one before
# it opens; key_next opens beside key during a rotation; -t warns about
# clients that expire within 7 days.
set -uo pipefail
sknockd=$1 mkpcap=$2
tmp=$(mktemp -d /tmp/sknock-expiry.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

printf 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n' > "$tmp/alice.key"
printf 'paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU=\n' > "$tmp/bob.key"
head -c 32 /dev/urandom | base64 > "$tmp/new.key"
head -c 32 /dev/urandom | base64 > "$tmp/other.key"
chmod 600 "$tmp"/*.key
mkdir -m 755 "$tmp/clients.d"
printf '#!/bin/sh\nexit 0\n' > "$tmp/hook"
chmod 755 "$tmp/hook"

# mkpcap's clock starts at 1764000000 = 2025-11-24T16:00:00Z.
conf() {  # conf ALICE-EXTRA BOB-EXTRA [ALICE-KEYFILE]
	cat > "$tmp/sknockd.conf" <<CONF
[daemon]
state_dir = $tmp/state-must-not-exist
hook = $tmp/hook

[door:ssh]
sequence = 7000/tcp, 9000/udp
open = 22/tcp
clients = alice, bob

[client:alice]
key = ${3:-$tmp/alice.key}
$1

[client:bob]
key = $tmp/bob.key
$2
CONF
}

knock_at() {  # knock_at T SRC KEY: one knock at T (whole) seconds
	printf '%s %s 192.0.2.1 tcp 7000\n%s.1 %s 192.0.2.1 token 9000 door=ssh key=%s\n' \
		"$1" "$2" "$1" "$2" "$3"
}

run() {  # run NAME: the capture from stdin; decisions in NAME.out
	"$mkpcap" "$tmp/$1.pcap" > /dev/null || { fail "$1: mkpcap"; return; }
	"$sknockd" -r "$tmp/$1.pcap" --dry-run -c "$tmp/sknockd.conf" \
		> "$tmp/$1.out" 2> "$tmp/$1.log" || fail "$1: sknockd exited $?"
}

opened() { grep -c "^open door=ssh client=$2 address=$3 " "$tmp/$1.out"; }

# Expired a day before the capture; bob not yet (a date: UTC midnight).
conf "expires = 2025-11-23" "expires = 2025-11-25"
{ knock_at 1 192.0.2.10 "$tmp/alice.key"; knock_at 2 192.0.2.11 "$tmp/bob.key"; } | run dates
[ "$(opened dates alice 192.0.2.10)" -eq 0 ] || fail "an expired client opened"
[ "$(opened dates bob 192.0.2.11)" -eq 1 ] || fail "a client before its expires did not open"
grep -q 'rejected token from 192.0.2.10 door=ssh: client expired (expires): client alice' "$tmp/dates.log" \
	|| fail "the expired refusal does not name the client: $(grep rejected "$tmp/dates.log")"
[ "$fails" -eq 0 ] && echo "ok expires = DATE: refused after, opens before; the log names the client"

# A timestamp: the capture's clock crosses it between two knocks.
conf "expires = 2025-11-24T16:00:05Z" ""
{ knock_at 2 192.0.2.10 "$tmp/alice.key"; knock_at 6 192.0.2.12 "$tmp/alice.key"; } | run stamp
[ "$(opened stamp alice 192.0.2.10)" -eq 1 ] || fail "a knock 3 s before expires did not open"
[ "$(opened stamp alice 192.0.2.12)" -eq 0 ] || fail "a knock 1 s after expires opened"
grep -q 'rejected token from 192.0.2.12 door=ssh: client expired' "$tmp/stamp.log" \
	|| fail "no expired refusal after the timestamp"
[ "$fails" -eq 0 ] && echo "ok expires = TIMESTAMP: the capture's clock decides"

# key_next: both keys open as the same client; another key opens nothing.
conf "key_next = $tmp/new.key" ""
{ knock_at 1 192.0.2.10 "$tmp/alice.key"; knock_at 2 192.0.2.11 "$tmp/new.key";
  knock_at 3 192.0.2.12 "$tmp/other.key"; } | run rotate
[ "$(opened rotate alice 192.0.2.10)" -eq 1 ] || fail "key did not open during a rotation"
[ "$(opened rotate alice 192.0.2.11)" -eq 1 ] || fail "key_next did not open as the client"
[ "$(grep -c '^open ' "$tmp/rotate.out")" -eq 2 ] || fail "an unknown key opened: $(cat "$tmp/rotate.out")"
# ...then key_next becomes key: the old key is refused.
conf "" "" "$tmp/new.key"
{ knock_at 1 192.0.2.10 "$tmp/alice.key"; knock_at 2 192.0.2.11 "$tmp/new.key"; } | run rotated
[ "$(opened rotated alice 192.0.2.10)" -eq 0 ] || fail "the old key opened after the rotation"
[ "$(opened rotated alice 192.0.2.11)" -eq 1 ] || fail "the new key did not open after the rotation"
[ "$fails" -eq 0 ] && echo "ok key_next: both keys during a rotation, only the new one after"

# -t: warnings for clients expiring within 7 days (the wall clock here).
soon=$(date -u -d '+3 days' +%F) later=$(date -u -d '+30 days' +%F)
conf "expires = $soon" "expires = $later"
"$sknockd" -t -c "$tmp/sknockd.conf" > "$tmp/t.out" 2> "$tmp/t.err" || fail "-t refused: $(cat "$tmp/t.err")"
grep -q "^warning: $tmp/sknockd.conf:10: \[client:alice\]: expires at ${soon}T00:00:00Z, in [0-9]* h" "$tmp/t.err" \
	|| fail "-t did not warn about alice: $(cat "$tmp/t.err")"
grep -q 'client:bob' "$tmp/t.err" && fail "-t warned about a client 30 days off"
conf "expires = 2025-11-23" ""
"$sknockd" -t -c "$tmp/sknockd.conf" > /dev/null 2> "$tmp/t.err" || fail "-t refused an expired client"
grep -q '\[client:alice\]: expired at 2025-11-23T00:00:00Z; its knocks are refused' "$tmp/t.err" \
	|| fail "-t did not warn about an expired client: $(cat "$tmp/t.err")"
[ "$fails" -eq 0 ] && echo "ok -t warns about clients expiring within 7 days, and expired ones"

[ "$fails" -eq 0 ] || exit 1
