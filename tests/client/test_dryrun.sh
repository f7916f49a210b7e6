#!/usr/bin/env bash
# test_dryrun.sh: knock --dry-run prints the known-answer tokens of
# tests/vectors/token-v1.txt exactly, from the command line and from an
# alias (found by section name and by host value).
. "$(dirname "$0")/lib.sh"
: "${SK_VECTORS:?set SK_VECTORS to tests/vectors}"

proto_name() { [ "$1" = 6 ] && echo tcp || echo udp; }

# Each vector: key_b64 door nonce port proto timestamp allow token.
n=0
while read -r id key door nonce port proto ts allow token; do
  n=$((n + 1))
  kf=$(keyfile "v$id" "$key")
  args=(--door "$door" -k "$kf" --nonce "$nonce" --time "$ts")
  [ "$port" != 0 ] && args+=(-p "$port/$(proto_name "$proto")")
  # No allow in the vector: sign none, whatever the source address is.
  [ "$allow" != - ] && args+=(-a "$allow") || args+=(-a ::)
  run --dry-run -s 7000/tcp,8000/udp,9000/udp "${args[@]}" 192.0.2.1
  want=$(printf '192.0.2.1 tcp/7000\n192.0.2.1 udp/8000\n192.0.2.1 udp/9000 token %s' "$token")
  if [ "$status" = 0 ] && [ "$out" = "$want" ]; then
    pass "vector $id"
  else
    fail "vector $id: exit $status, got:"$'\n'"$out"$'\n'"want:"$'\n'"$want"$'\n'"$err"
  fi
  # The token alone, one step (single packet authorisation), over IPv6.
  run --dry-run -s 62201/udp "${args[@]}" 2001:db8::1
  if [ "$out" = "2001:db8::1 udp/62201 token $token" ]; then
    pass "vector $id, one step, IPv6"
  else
    fail "vector $id over IPv6: $out $err"
  fi
done < <(awk '
  /^vector /   { id = $2; allow = "-"; port = 0 }
  /^key_b64 /  { key = $2 }
  /^door /     { door = $2 }
  /^nonce /    { nonce = $2 }
  /^version /  { port = $6; proto = $8; ts = $10
                 if ($12 != "(zero:") allow = $12 }
  /^token /    { print id, key, door, nonce, port, proto, ts, allow, $2 }
' "$SK_VECTORS/token-v1.txt")
[ "$n" = 3 ] && pass "read 3 vectors" || fail "read $n vectors, want 3"

# A different door name gives a different token (the MAC covers it).
kf=$(keyfile w "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
run --dry-run -s 9000/udp -D web -k "$kf" --time 1764000000 \
  --nonce 404142434445464748494a4b4c4d4e4f5051525354555657 192.0.2.1
tok1=$(awk '/^token /{print $2; exit}' "$SK_VECTORS/token-v1.txt")
[ "$status" = 0 ] && [ "${out##* token }" != "$tok1" ] &&
  [ "${out##* token }" != "$out" ] && pass "door name is signed" ||
  fail "door name does not change the token: $out"

# Unsigned: every step bare, no token.
run --dry-run -s 1000,2000/udp,3000/tcp 198.51.100.1
[ "$out" = $'198.51.100.1 tcp/1000\n198.51.100.1 udp/2000\n198.51.100.1 tcp/3000' ] &&
  pass "unsigned sequence" || fail "unsigned sequence: $out $err"

# Without --nonce, two runs differ (a random nonce per knock).
run --dry-run -s 9000/udp --door ssh -k "$kf" 192.0.2.1
first=$out
run --dry-run -s 9000/udp --door ssh -k "$kf" 192.0.2.1
[ "$first" != "$out" ] && [[ $out =~ ^192\.0\.2\.1\ udp/9000\ token\ [0-9a-f]{176}$ ]] &&
  pass "random nonce" || fail "random nonce: $first / $out"

# Vector 2 from an alias, by section name and by host value; options
# override the alias.
v2=paWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaU=
tok2=1111111111111111111111111111111111111111111111118654fb1887af2d73b79f7f86f53ccf636dda6d58136f1906f8e8a813f321c3db9ae4f132103a3f9c7442cc463871f385bf7a2faefa8389710ac99ae3949ea422
mkdir -p "$HOME/.config/sknock"
(umask 077 && echo "$v2" >"$HOME/.config/sknock/srv.key")
cat >"$HOME/.config/sknock/knock.conf" <<EOF
[other]
host = 198.51.100.9
sequence = 1/udp

[srv]
host = 192.0.2.1
door = ssh
sequence = 7000/tcp, 9000/udp
key = ~/.config/sknock/srv.key
open = 2222/tcp
allow = 192.0.2.7
EOF
fixed=(--nonce 111111111111111111111111111111111111111111111111 --time 1764003600)
want=$'192.0.2.1 tcp/7000\n192.0.2.1 udp/9000 token '$tok2
for name in srv 192.0.2.1; do
  run --dry-run "${fixed[@]}" "$name"
  [ "$status" = 0 ] && [ "$out" = "$want" ] && pass "alias by $name" ||
    fail "alias by $name: exit $status: $out $err"
done
XDG_CONFIG_HOME=$HOME/.config run --dry-run "${fixed[@]}" srv
[ "$out" = "$want" ] && pass "XDG_CONFIG_HOME" || fail "XDG_CONFIG_HOME: $out $err"
cp "$HOME/.config/sknock/knock.conf" "$tmp/c.conf"
mv "$HOME/.config/sknock/knock.conf" "$tmp/moved.conf"
run --dry-run "${fixed[@]}" -c "$tmp/c.conf" srv
[ "$out" = "$want" ] && pass "-c FILE" || fail "-c FILE: $out $err"
run --dry-run "${fixed[@]}" -c "$tmp/c.conf" -s 5000/udp -p 22/tcp srv
[ "${out%% token*}" = "192.0.2.1 udp/5000" ] && [ "${out#*token }" != "$tok2" ] &&
  pass "options override the alias" || fail "override: $out $err"

# --key=~/... (no shell expands it) means the home directory.
run --dry-run "${fixed[@]}" -c "$tmp/c.conf" --key=~/.config/sknock/srv.key srv
[ "$status" = 0 ] && [ "$out" = "$want" ] && pass "--key=~/ is the home" ||
  fail "--key=~/: $status $out $err"

finish
