#!/usr/bin/env bash
# test_fleet.sh: fleet keys (DESIGN.md, "Fleet keys"): --derive prints the
# vectors' server keys, --keygen --fleet makes the fleet file once and
# reuses it, a derive = alias signs with the derived key (and only it),
# and bad fleet files are one-line errors.
. "$(dirname "$0")/lib.sh"
: "${KNOCK_CHECK:?}" "${SK_VECTORS:?}"

# The three vectors: knock --derive NAME -k FILE prints the server key.
n=0
while read -r fleet name want; do
  n=$((n + 1))
  f=$(keyfile "fleet$n" "$fleet")
  run --derive "$name" -k "$f"
  [ "$status" = 0 ] && [ "$out" = "$want" ] && [ -z "$err" ] &&
    pass "--derive vector $n ($name)" || fail "--derive $name: $status $out $err"
done < <(awk '/^fleet_key_b64/ {f = $2} /^name/ {n = $2}
  /^server_key_b64/ {print f, n, $2}' "$SK_VECTORS/derive-v1.txt")
[ "$n" = 3 ] && pass "read 3 derive vectors" || fail "read $n derive vectors"

# --keygen --fleet: the file is made (0600) once, then reused.
fl=$HOME/.config/sknock/fleet.key
run --keygen web01 --fleet "$fl" --host 192.0.2.1
printf '%s\n' "$out" >"$tmp/kg1"
[ "$status" = 0 ] && [ "$(stat -c %a "$fl")" = 600 ] &&
  pass "--fleet makes the fleet key file, mode 0600" || fail "keygen --fleet: $status $err"
fsum=$(sha256sum <"$fl")
run --keygen web02 --fleet "$fl" --host 192.0.2.2
printf '%s\n' "$out" >"$tmp/kg2"
[ "$status" = 0 ] && [ "$(sha256sum <"$fl")" = "$fsum" ] &&
  pass "a second --keygen --fleet reuses the file" || fail "reuse: $status $err"
[ ! -e "$HOME/.config/sknock/web01.key" ] && pass "no NAME.key with --fleet" ||
  fail "--fleet wrote web01.key"
for i in 1 2; do
  k=$(sed -n "s/^(set -C.*printf '%s\\\\n' '\([^']*\)' >.*/\1/p" "$tmp/kg$i")
  d=$("$KNOCK" --derive "web0$i" -k "$fl")
  [ -n "$k" ] && [ "$k" = "$d" ] && pass "web0$i: the server gets the derived key" ||
    fail "web0$i: server key '$k', derived '$d'"
  grep -qx "derive = web0$i" "$tmp/kg$i" && grep -qx "key = ~/.config/sknock/fleet.key" "$tmp/kg$i" &&
    pass "web0$i: alias says key = the fleet file, derive = web0$i" ||
    fail "web0$i alias: $(cat "$tmp/kg$i")"
  keyfile "srv$i" "$k" >/dev/null
done
grep -q "$(cut -c1-20 "$fl")" "$tmp/kg1" "$tmp/kg2" &&
  fail "the fleet key is printed" || pass "the fleet key is never printed"

# The aliases, pasted, knock with the derived key: web01's token verifies
# with web01's server key and not with web02's.
mkdir -p "$HOME/.config/sknock"
for i in 1 2; do
  awk '/^# ---- client: add to/ {on = 1; next} on' "$tmp/kg$i"
  echo
done >"$HOME/.config/sknock/knock.conf"
"$KNOCK_CHECK" kconf "$HOME/.config/sknock/knock.conf" web01 | grep -qx 'derive web01' &&
  pass "kconf reads derive =" || fail "kconf: no derive"
run --dry-run -a :: web01
tok=${out##* token }
[ "$status" = 0 ] && "$KNOCK_CHECK" verify "$tmp/srv1.key" ssh "$tok" >/dev/null 2>&1 &&
  pass "web01's knock verifies with web01's server key" || fail "web01: $status $out $err"
"$KNOCK_CHECK" verify "$tmp/srv2.key" ssh "$tok" >/dev/null 2>&1 &&
  fail "web01's token verifies at web02" || pass "web01's token does not verify at web02"
"$KNOCK_CHECK" verify "$fl" ssh "$tok" >/dev/null 2>&1 &&
  fail "the token verifies with the fleet key itself" || pass "not with the fleet key itself"

# Bad fleet files: one line naming the file and the fix; exit 1.
bad=$(keyfile short "$(head -c 16 /dev/urandom | base64)")
expect 1 "^knock: $bad: .*32 bytes.*fleet key" 'fleet file of 16 bytes' --derive web01 -k "$bad"
[ "$(wc -l <"$tmp/err")" = 1 ] && pass "one line" || fail "not one line: $err"
bad=$(keyfile junk 'not base64 at all!')
expect 1 "^knock: $bad: .*fleet key" 'fleet file not base64' --derive web01 -k "$bad"
chmod 644 "$fl"
expect 1 "^knock: $fl: mode 0644.*chmod 600" 'fleet file readable by others' \
  --derive web01 -k "$fl"
expect 1 "^knock: $fl: mode 0644.*chmod 600" 'keygen --fleet, readable by others' \
  --keygen web03 --fleet "$fl"
run --dry-run web01
[ "$status" = 1 ] && grep -q "mode 0644" <<<"$err" && pass "alias with a readable fleet file" ||
  fail "alias, readable fleet file: $status $err"
chmod 600 "$fl"
expect 2 '^knock: --derive Web01: a server name' 'bad --derive name' --derive Web01 -k "$fl"
expect 2 '^knock: --derive web01 needs the fleet key file' '--derive without -k' --derive web01
expect 2 'takes no HOST' '--derive with a host' --derive web01 -k "$fl" 192.0.2.1
printf '[x]\nhost = 192.0.2.1\ndoor = ssh\nsequence = 1/udp\nderive = web01\n' >"$tmp/nokey.conf"
expect 1 "$tmp/nokey.conf:5: derive = web01: derives from the fleet key file.*add key = FILE" \
  'derive without key' -c "$tmp/nokey.conf" --dry-run x
finish
