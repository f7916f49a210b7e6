#!/usr/bin/env bash
# test_keygen.sh: knock --keygen writes a 0600 key and prints stanzas
# that, pasted as they are, make a working pair: the server's config
# parses (conf_load), the alias parses (kconf_load), the shell line makes
# the server's key file, and a knock from the alias verifies with it.
. "$(dirname "$0")/lib.sh"
: "${KNOCK_CHECK:?}"

# section FILE START STOP: the lines after the comment matching START, up
# to the next one matching STOP (or the end).
section() {
  awk -v a="$2" -v b="$3" '$0 ~ a { on = 1; next } on && $0 ~ b { exit } on' "$1"
}

run --keygen t1 --host 127.0.0.1
printf '%s\n' "$out" >"$tmp/kg1"
kf=$HOME/.config/sknock/t1.key
[ "$status" = 0 ] && pass "keygen exits 0" || fail "keygen: $status $err"
[ "$(stat -c %a "$kf" 2>/dev/null)" = 600 ] && pass "key file mode 0600" ||
  fail "key file $kf: mode $(stat -c %a "$kf" 2>&1)"
[ "$(stat -c %a "$HOME/.config/sknock")" = 700 ] && pass "directory 0700" ||
  fail "directory mode $(stat -c %a "$HOME/.config/sknock")"
grep -q '^# A key belongs to one server: the replay cache is per server' \
  "$tmp/kg1" && pass "explains one key per server" || fail "no per-server note"

section "$tmp/kg1" '^# ---- server: add to' '^# ---- client' >"$tmp/srv.conf"
section "$tmp/kg1" '^# ---- client: add to' '^# ----' >"$tmp/knock.conf"

# The shell line, aimed at a directory of ours instead of the server's
# key directory (confdir/keys, named in the [client:t1] stanza).
line=$(grep '^(set -C' "$tmp/kg1")
keydir=$(sed -n 's|^key = \(/.*\)/t1\.key$|\1|p' "$tmp/srv.conf")
srvkeys=$tmp/srv/keys
[ -n "$keydir" ] && [[ $line == *"> $keydir/t1.key)" ]] &&
  pass "shell line writes the key the stanza names" || fail "shell line: $line"
sh -c "${line//$keydir/$srvkeys}" &&
  [ "$(stat -c %a "$srvkeys/t1.key")" = 600 ] && cmp -s "$kf" "$srvkeys/t1.key" &&
  pass "shell line makes the server's key, mode 0600" ||
  fail "shell line: $line"
sh -c "${line//$keydir/$srvkeys}" 2>/dev/null &&
  fail "shell line overwrote an existing key" || pass "shell line never overwrites"

grep -q '^# ---- client: add to ~/.config/sknock/knock.conf' "$tmp/kg1" &&
  pass "names the client config" || fail "client config path not named"

# The door stanza offers require_source_address, with when to turn it on.
grep -B1 -x 'require_source_address = no' "$tmp/srv.conf" | head -1 |
  grep -Eq '^; yes once every client of this door knocks from a public address' &&
  pass "door stanza: require_source_address, with a one-line comment" ||
  fail "door stanza: $(cat "$tmp/srv.conf")"

if "$KNOCK_CHECK" conf "$tmp/srv.conf" >"$tmp/srv.txt" 2>"$tmp/srv.err"; then
  pass "server stanzas parse (conf_load)"
else
  fail "server stanzas: $(cat "$tmp/srv.err")"$'\n'"$(cat "$tmp/srv.conf")"
fi
grep -qx "client t1 key $keydir/t1.key" "$tmp/srv.txt" &&
  grep -qx 'door ssh signed 1 clients t1' "$tmp/srv.txt" &&
  grep -qx 'open 22/tcp' "$tmp/srv.txt" && pass "server: client, door, open" ||
  fail "server config: $(cat "$tmp/srv.txt")"

if "$KNOCK_CHECK" kconf "$tmp/knock.conf" t1 >"$tmp/cli.txt" 2>"$tmp/cli.err"; then
  pass "alias stanza parses (kconf_load)"
else
  fail "alias stanza: $(cat "$tmp/cli.err")"$'\n'"$(cat "$tmp/knock.conf")"
fi
grep -qx 'host 127.0.0.1' "$tmp/cli.txt" && grep -qx 'door ssh' "$tmp/cli.txt" &&
  grep -qx "key $kf" "$tmp/cli.txt" && grep -qx 'open 22/tcp' "$tmp/cli.txt" &&
  pass "alias: host, door, key, open" || fail "alias: $(cat "$tmp/cli.txt")"
srv_seq=$(grep '^sequence' "$tmp/srv.txt")
[ -n "$srv_seq" ] && [ "$srv_seq" = "$(grep '^sequence' "$tmp/cli.txt")" ] &&
  pass "same sequence on both sides: $srv_seq" ||
  fail "sequences differ: $srv_seq / $(grep '^sequence' "$tmp/cli.txt")"
if [[ $srv_seq =~ ^sequence\ ([0-9]+)/tcp\ ([0-9]+)/udp\ ([0-9]+)/udp$ ]] &&
   for p in "${BASH_REMATCH[@]:1}"; do
     [ "$p" -ge 10000 ] && [ "$p" -le 60000 ] || exit 1
   done; then
  pass "random sequence tcp,udp,udp in 10000-60000"
else
  fail "random sequence: $srv_seq"
fi

# The pair works: a knock from the pasted alias verifies with the
# server's key file and door.
cp "$tmp/knock.conf" "$HOME/.config/sknock/knock.conf"
run --dry-run t1
hex=${out##* token }
"$KNOCK_CHECK" verify "$srvkeys/t1.key" ssh "$hex" >"$tmp/v" 2>&1 &&
  grep -q 'ok port=22 proto=6' "$tmp/v" && pass "token verifies on the server side" ||
  fail "verify: $(cat "$tmp/v") ($out $err)"

before=$(cat "$kf")
expect 1 "$kf: already exists" 'refuses to overwrite' --keygen t1
[ "$(cat "$kf")" = "$before" ] && pass "key unchanged" || fail "key overwritten"

run --keygen t2
run --keygen t3
[ "$(grep '^sequence' <<<"$out" | head -1)" != "$srv_seq" ] &&
  pass "each keygen draws a new sequence" || fail "same sequence twice"
grep -qx 'host = t3' <<<"$out" && pass "host defaults to NAME" ||
  fail "default host: $out"

run --keygen t4 -D web -s 7000/tcp,8000/udp -p 443/tcp --host h.example.org
grep -qx '\[door:web\]' <<<"$out" && grep -qx 'sequence = 7000/tcp, 8000/udp' <<<"$out" &&
  grep -qx 'open = 443/tcp' <<<"$out" && grep -qx 'host = h.example.org' <<<"$out" &&
  grep -qx 'door = web' <<<"$out" && pass "-d, -s, -p, --host apply" ||
  fail "keygen options: $out $err"

run --keygen t6 -c "$tmp/elsewhere.conf"
grep -qx "# ---- client: add to $tmp/elsewhere.conf" <<<"$out" &&
  pass "-c names the client config to paste into" || fail "keygen -c: $out"

XDG_CONFIG_HOME=$tmp/xdg run --keygen t5
[ -f "$tmp/xdg/sknock/t5.key" ] && grep -q "^key = $tmp/xdg/sknock/t5.key" <<<"$out" &&
  pass "XDG_CONFIG_HOME holds the key" || fail "XDG keygen: $out $err"

finish
