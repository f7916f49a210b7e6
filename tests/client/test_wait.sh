#!/usr/bin/env bash
# test_wait.sh: --wait exits 0 as soon as the port accepts, and 1 at its
# deadline (with a tolerance) when the port stays closed.
. "$(dirname "$0")/lib.sh"
: "${KNOCK_CHECK:?}"

listen_port open "$KNOCK_CHECK" listen 30
listen_port closed "$KNOCK_CHECK" closed 30
seq=(-s "$closed/tcp,$closed/udp")

t0=$(now_ms)
run --wait=5 -p "$open/tcp" "${seq[@]}" 127.0.0.1
dt=$(($(now_ms) - t0))
[ "$status" = 0 ] && [ -z "$out$err" ] && [ "$dt" -lt 1000 ] &&
  pass "open port: exit 0, quiet, ${dt} ms" ||
  fail "open port: exit $status after ${dt} ms: $err"

run --wait 5 -p "$open/tcp" "${seq[@]}" -v 127.0.0.1
[ "$status" = 0 ] && grep -q "tcp/$open accepts connections" <<<"$err" &&
  pass "--wait SECONDS HOST, -v says so" || fail "--wait 5 HOST: $status $err"

t0=$(now_ms)
run --wait=1.5 -p "$closed/tcp" "${seq[@]}" 127.0.0.1
dt=$(($(now_ms) - t0))
if [ "$status" = 1 ] && [ "$dt" -ge 1500 ] && [ "$dt" -lt 3000 ] &&
   grep -q "tcp/$closed did not accept a connection within 1.5 s" <<<"$err"; then
  pass "closed port: exit 1 after ${dt} ms"
else
  fail "closed port: exit $status after ${dt} ms (want 1 in 1500-3000): $err"
fi

# The default port comes from the alias's open.
cat >"$tmp/w.conf" <<EOF
[loop]
host = 127.0.0.1
sequence = $closed/udp
open = $open/tcp
EOF
run -c "$tmp/w.conf" --wait=5 loop
[ "$status" = 0 ] && pass "alias open = port probed" || fail "alias wait: $err"

finish
