#!/usr/bin/env bash
# clients.sh SKNOCKD SENDKNOCK [BOUND_MS]: clients_dir.  `sknockd -t` on bad client
# files (each a FILE[:LINE] error and exit 1), then sknockd live in a
# network namespace made here: a client file added and reloaded opens, a
# file deleted and reloaded is refused while its open door stays open
# until its timeout, a broken file keeps the old configuration, a
# deleted key file fails the reload, metrics_file is written at start,
# every 15 s and at exit, and 1000 client files load and reload in under a
# second (BOUND_MS, default 1000; the figures are
# printed).
set -uo pipefail
sknockd=$1 sendknock=$2 bound=${3:-1000}

. "${BASH_SOURCE%/*}/../lib/ns.sh"
ns_need_root "file owners, network namespaces"
ns_names skc clients 202
tmp=$(mktemp -d /tmp/sknock-clients.XXXXXX)
chmod 755 "$tmp"
pid=

trap 'ns_stop; ns_remove' EXIT

fail() {
	echo "FAIL: $*"
	ns_dump 30
	exit 1
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

mkkey() {  # mkkey NAME: a fresh key file, mode 0600
	head -c 32 /dev/urandom | base64 > "$tmp/keys/$1.key"
	chmod 600 "$tmp/keys/$1.key"
}

client() {  # client NAME [DOORS]: the text of a client file
	printf '[client:%s]\nkey = %s\ndoors = %s\n' "$1" "$tmp/keys/$1.key" \
		"${2:-ssh}"
}

mkdir -p "$tmp/keys" "$tmp/clients.d"
chmod 755 "$tmp/clients.d"
for n in alice bob carol dave; do mkkey "$n"; done
printf '#!/bin/sh\nexit 0\n' > "$tmp/hook"
chmod 755 "$tmp/hook"
cat > "$tmp/sknockd.conf" <<CONF
[daemon]
interface = $if_s
hook = $tmp/hook
state_dir = $tmp/state
metrics_file = $tmp/sknock.prom

[door:ssh]
sequence = 7000/tcp, 9000/udp
open = 22/tcp
timeout = 4
clients = alice

[door:web]
sequence = 7100/tcp, 9100/udp
open = 443/tcp
signed = no

[client:alice]
key = $tmp/keys/alice.key
CONF
client bob > "$tmp/clients.d/bob.conf"

# ---- sknockd -t on what clients_dir holds ----

t_ok() {  # t_ok WHAT: -t accepts the config
	"$sknockd" -t -c "$tmp/sknockd.conf" > "$tmp/t.out" 2> "$tmp/t.err" \
		|| fail "$1: -t refused: $(cat "$tmp/t.err")"
}
t_bad() {  # t_bad WHAT EXPECTED-LINE: -t exits 1 and prints that line
	"$sknockd" -t -c "$tmp/sknockd.conf" > "$tmp/t.out" 2> "$tmp/t.err"
	local rc=$?
	[ "$rc" -eq 1 ] || fail "$1: -t exit $rc, want 1: $(cat "$tmp/t.err")"
	grep -qxF -- "$2" "$tmp/t.err" \
		|| fail "$1: no line '$2' in: $(cat "$tmp/t.err")"
	echo "ok -t: $1"
}

t_ok "one client file"
grep -qx 'configuration OK' "$tmp/t.out" || fail "-t said: $(cat "$tmp/t.out")"

D=$tmp/clients.d
client carol > "$D/carol.conf"
chmod 666 "$D/carol.conf"
t_bad "world-writable client file" "$D/carol.conf: mode 0666 lets group or others change who may knock; run chmod go-w $D/carol.conf"
chmod 644 "$D/carol.conf"

client dave > "$tmp/dave.conf"
chown 65534 "$tmp/dave.conf"
ln -s "$tmp/dave.conf" "$D/dave.conf"
t_bad "symlink to a file not owned by root" "$D/dave.conf: a symlink to a file owned by uid 65534, not root; a client file grants access, so run chown root $D/dave.conf"
chown 0 "$tmp/dave.conf"
t_ok "symlink to a root-owned file"
rm -f "$D/dave.conf"

client bob > "$D/zz-bob-again.conf"
t_bad "a client defined twice" "$D/zz-bob-again.conf:1: [client:bob]: already defined at $D/bob.conf:1; a client is defined once across all files; remove one"
rm -f "$D/zz-bob-again.conf"


printf '[client:erin]\nkey = %s\nexpires = tomorrow\n' "$tmp/keys/alice.key" > "$D/erin.conf"
t_bad "expires = tomorrow" "$D/erin.conf:3: expires = tomorrow: not a date; use YYYY-MM-DD (UTC midnight) or YYYY-MM-DDTHH:MM:SSZ, e.g. 2027-01-31"
rm -f "$D/erin.conf"
printf '[client:erin]\nkey = %s\nexpires = 2026-13-01\n' "$tmp/keys/alice.key" > "$D/erin.conf"
t_bad "expires = 2026-13-01" "$D/erin.conf:3: expires = 2026-13-01: no such date or time; use YYYY-MM-DD (UTC midnight) or YYYY-MM-DDTHH:MM:SSZ from 2000 on, e.g. 2027-01-31"
rm -f "$D/erin.conf"

mkdir "$D/sub.conf"
t_bad "a directory named *.conf" "$D/sub.conf: not a regular file; a client file holds [client:NAME] sections"
rmdir "$D/sub.conf"

# Not *.conf: never read (so never a way in, and never a failed reload).
printf 'garbage that would not parse\n' > "$D/frank.conf.dpkg-old"
printf 'garbage\n' > "$D/.alice.conf.swp"
t_ok "entries that are not *.conf"
grep -qxF "warning: $D/frank.conf.dpkg-old: ignored: not a *.conf file; rename it to NAME.conf to use it" "$tmp/t.err" \
	|| fail "no warning for a non-*.conf entry: $(cat "$tmp/t.err")"
grep -q 'alice.conf.swp' "$tmp/t.err" && fail "a hidden entry was reported"
echo "ok -t: entries that are not *.conf are ignored with a warning"
rm -f "$D/frank.conf.dpkg-old" "$D/.alice.conf.swp"

chmod 777 "$D"
t_bad "world-writable clients_dir" "$D: mode 0777 lets group or others change who may knock; run chmod go-w $D"
chmod 755 "$D"

printf '[client:key-pasted]\nkey = %s\ndoors = ssh\n' "$(cat "$tmp/keys/alice.key")" > "$D/pasted.conf"
"$sknockd" -t -c "$tmp/sknockd.conf" > /dev/null 2> "$tmp/t.err" && fail "a pasted key was accepted"
grep -qF "$(head -c 20 "$tmp/keys/alice.key")" "$tmp/t.err" && fail "-t echoed a pasted key: $(cat "$tmp/t.err")"
grep -q "^$D/pasted.conf:2: key = (not shown: it looks like a key): this is a key" "$tmp/t.err" \
	|| fail "no error for a pasted key: $(cat "$tmp/t.err")"
echo "ok -t: a key pasted into key = is refused and not echoed"
rm -f "$D/pasted.conf" "$D/carol.conf"

# ---- live: reloads ----

ns_up

ip netns exec "$ns_s" "$sknockd" -f -c "$tmp/sknockd.conf" \
	> "$tmp/out" 2> "$tmp/log" &
pid=$!
wait_for "$tmp/log" 'ready' 1 20 || fail "no ready line"
for ((i = 0; i < 100; i++)); do [ -f "$tmp/sknock.prom" ] && break; sleep 0.05; done
[ -f "$tmp/sknock.prom" ] || fail "no metrics file at start"
prom_inode=$(stat -c %i "$tmp/sknock.prom")
t_prom=$(now_ms)

knock() {  # knock NAME [KEYFILE]
	ip netns exec "$ns_c" "$sendknock" "$v4_s" ssh "${2:-$tmp/keys/$1.key}" \
		7000/tcp 9000/token || fail "sendknock $1"
}
opens() { grep -c "^open door=ssh client=$1 " "$tmp/out"; }
reloads=0
reload() {  # reload: SIGHUP, then wait for its outcome line
	reloads=$((reloads + 1))
	kill -HUP "$pid"
	wait_for "$tmp/log" 'reloaded |reload failed' "$reloads" 20 \
		|| fail "no outcome of reload $reloads"
}

knock bob
wait_for "$tmp/out" '^open door=ssh client=bob ' || fail "bob (clients.d) did not open"
knock carol
wait_for "$tmp/log" 'rejected token from .* door=ssh' 1 5 || fail "carol opened before her file was there"
echo "ok a client of clients.d opens"

client carol > "$D/carol.conf"
reload
grep -q 'reloaded .*: 2 doors, 3 clients' "$tmp/log" || fail "reload did not read carol.conf"
knock carol
wait_for "$tmp/out" '^open door=ssh client=carol ' || fail "carol did not open after her file was added"
t_open=$(now_ms)
[ "$(opens carol)" -eq 1 ] || fail "carol opened before her file was there"
echo "ok a client file added and reloaded opens"

rm "$D/carol.conf"
reload
grep -q 'reloaded .*: 2 doors, 2 clients' "$tmp/log" || fail "reload kept carol"
grep -q '^close door=ssh address=.* port=22/tcp' "$tmp/out" && \
	[ $(( $(now_ms) - t_open )) -lt 3500 ] && fail "a reload closed carol's door early"
knock carol
wait_for "$tmp/log" 'rejected token from .* door=ssh' 2 5 || fail "carol's knock after removal not rejected"
[ "$(opens carol)" -eq 1 ] || fail "carol opened after her file was deleted"
wait_for "$tmp/out" '^close door=ssh' 1 10 || fail "carol's door never closed"
t_close=$(now_ms)
[ $(( t_close - t_open )) -ge 3500 ] || fail "carol's door closed after $(( t_close - t_open )) ms, before its 4 s timeout"
echo "ok a client file deleted and reloaded is refused; its open door stays until its timeout"

printf '[client:bob]\nkey = %s\ndoors = ssh\nbroken line\n' "$tmp/keys/bob.key" > "$D/bob.conf"
reload
wait_for "$tmp/log" 'keeping the old configuration' 1 5 || fail "a broken client file was accepted"
grep -qF "$D/bob.conf:4: broken line: not [SECTION], KEY = VALUE or a ; comment" "$tmp/log" \
	|| fail "the error does not name file and line"
knock bob
wait_for "$tmp/out" '^open door=ssh client=bob ' 2 || fail "old config not in force after a broken file"
client bob > "$D/bob.conf"
echo "ok a broken client file keeps the old configuration; the error names file and line"

mv "$tmp/keys/bob.key" "$tmp/bob.key.away"
reload
wait_for "$tmp/log" 'keeping the old configuration' 2 5 || fail "a missing key file was accepted"
grep -q "\[client:bob\] key: $tmp/keys/bob.key" "$tmp/log" || fail "the error does not name the key file"
"$sknockd" -t -c "$tmp/sknockd.conf" > /dev/null 2>&1 && fail "-t accepted a missing key file"
knock bob "$tmp/bob.key.away"
wait_for "$tmp/out" '^open door=ssh client=bob ' 3 || fail "old keys not in force after a failed reload"
mv "$tmp/bob.key.away" "$tmp/keys/bob.key"
echo "ok a deleted key file fails the reload (and -t); the old configuration stays"

# ---- expires and key_next, live ----
mkkey bob2
printf '[client:bob]\nkey = %s\nkey_next = %s\ndoors = ssh\n' "$tmp/keys/bob.key" \
	"$tmp/keys/bob2.key" > "$D/bob.conf"
printf '[client:carol]\nkey = %s\ndoors = ssh\nexpires = %s\n' "$tmp/keys/carol.key" \
	"$(date -u -d yesterday +%F)" > "$D/carol.conf"
reload
grep -q 'reloaded .*: 2 doors, 3 clients' "$tmp/log" || fail "rotation config not loaded"
n=$(opens bob)
knock bob "$tmp/keys/bob2.key"
wait_for "$tmp/out" '^open door=ssh client=bob ' $((n + 1)) || fail "key_next did not open"
knock bob
wait_for "$tmp/out" '^open door=ssh client=bob ' $((n + 2)) || fail "key stopped opening during the rotation"
knock carol
wait_for "$tmp/log" 'rejected token from .* door=ssh: client expired \(expires\): client carol' 1 5 \
	|| fail "an expired client was not refused as expired"
grep -q "^<4>$D/carol.conf:1: \[client:carol\]: expired at" "$tmp/log" \
	|| fail "the reload did not warn about the expired client"
printf '[client:bob]\nkey = %s\ndoors = ssh\n' "$tmp/keys/bob2.key" > "$D/bob.conf"
rm "$D/carol.conf"
reload
n_rej=$(grep -c 'rejected token from .* door=ssh: bad MAC' "$tmp/log")
knock bob
wait_for "$tmp/log" 'rejected token from .* door=ssh: bad MAC' $((n_rej + 1)) 5 \
	|| fail "the old key still opened after the rotation"
knock bob "$tmp/keys/bob2.key"
wait_for "$tmp/out" '^open door=ssh client=bob ' $((n + 3)) || fail "the new key did not open after the rotation"
echo "ok live: key_next opens during a rotation and alone after it; an expired client is refused"

# ---- 1000 client files ----
key=$(cat "$tmp/keys/alice.key")
for ((i = 0; i < 1000; i++)); do
	n=$(printf 'u%04d' "$i")
	printf '%s\n' "$key" > "$tmp/keys/$n.key"
	printf '[client:%s]\nkey = %s\ndoors = ssh\n' "$n" "$tmp/keys/$n.key" > "$D/$n.conf"
done
chmod 600 "$tmp"/keys/u*.key
t0=$(now_ms)
t_ok "1000 client files"
t_ms=$(( $(now_ms) - t0 ))
reload
line=$(grep 'reloaded ' "$tmp/log" | tail -n 1)
case $line in *": 2 doors, 1002 clients in "*) ;; *) fail "1000 files not loaded: $line" ;; esac
r_ms=${line##* in }; r_ms=${r_ms%% ms*}
echo "clientsd_check_1000_files $t_ms ms"
echo "clientsd_reload_1000_files $r_ms ms"
[ "$t_ms" -lt "$bound" ] || fail "sknockd -t on 1000 client files took $t_ms ms"
[ "$r_ms" -lt "$bound" ] || fail "a reload of 1000 client files took $r_ms ms"
n_open=$(grep -c '^open ' "$tmp/out")
knock u0999
wait_for "$tmp/out" '^open door=ssh client=' $((n_open + 1)) || fail "a client of the 1000 did not open"
echo "ok 1000 client files load and reload in under $bound ms"

# metrics_file: rewritten (a new file renamed over the old) every 15 s.
for ((i = 0; i < 500; i++)); do
	[ "$(stat -c %i "$tmp/sknock.prom")" != "$prom_inode" ] && break
	sleep 0.05
done
[ "$(stat -c %i "$tmp/sknock.prom")" != "$prom_inode" ] || fail "metrics file not rewritten"
[ $(( $(now_ms) - t_prom )) -ge 14000 ] || fail "metrics file rewritten after $(( $(now_ms) - t_prom )) ms, before 15 s"
kill -TERM "$pid"
for ((i = 0; i < 200; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
kill -0 "$pid" 2>/dev/null && fail "sknockd did not stop"
pid=
# ...and at exit, with every open counted.
/usr/bin/python3 - "$tmp/sknock.prom" "$(grep -c '^open ' "$tmp/out")" <<'PY' || fail "metrics at exit"
import sys
from prometheus_client.parser import text_string_to_metric_families
v = {s.name: s.value for f in text_string_to_metric_families(open(sys.argv[1]).read())
     for s in f.samples if not s.labels}
if v.get("sknock_opens_total") != float(sys.argv[2]):
    sys.exit("opens_total %s, want %s" % (v.get("sknock_opens_total"), sys.argv[2]))
PY
echo "ok metrics_file written at start, every 15 s and at exit"
