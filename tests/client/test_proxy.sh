#!/usr/bin/env bash
# test_proxy.sh: knock --proxy on loopback: the relay carries bytes both
# ways and passes each end of file on (an echo server answers only after
# our EOF reaches it), survives a reader that goes away, and a port that
# never opens ends in exit 1 at the deadline, naming host, port and wait.
. "$(dirname "$0")/lib.sh"
: "${KNOCK_CHECK:?}"

listen_port echo "$KNOCK_CHECK" echo 60
listen_port closed "$KNOCK_CHECK" closed 60
seq=(-s "$closed/udp")

out=$(printf 'hello\n' | timeout 20 "$KNOCK" --proxy "${seq[@]}" 127.0.0.1 "$echo" 2>"$tmp/err")
status=$?
[ "$status" = 0 ] && [ "$out" = hello ] && [ ! -s "$tmp/err" ] &&
  pass "--proxy relays both ways, half-close passed on, exit 0" ||
  fail "--proxy echo: exit $status, out '$out', err $(cat "$tmp/err")"

head -c $((8 * 1024 * 1024)) /dev/urandom >"$tmp/big"
timeout 30 "$KNOCK" --proxy "${seq[@]}" 127.0.0.1 "$echo" <"$tmp/big" >"$tmp/big.back" 2>"$tmp/err"
status=$?
[ "$status" = 0 ] && cmp -s "$tmp/big" "$tmp/big.back" &&
  pass "8 MiB both ways at once, byte for byte" || fail "8 MiB: exit $status $(cat "$tmp/err")"

timeout 30 "$KNOCK" --proxy "${seq[@]}" 127.0.0.1 "$echo" <"$tmp/big" 2>"$tmp/err" | head -c 10 >/dev/null
status=${PIPESTATUS[0]}
[ "$status" = 0 ] && pass "a reader that goes away: no SIGPIPE death, no hang" ||
  fail "reader gone: exit $status $(cat "$tmp/err")"

t0=$(now_ms)
out=$(timeout 20 "$KNOCK" --proxy --wait=1 "${seq[@]}" 127.0.0.1 "$closed" </dev/null 2>"$tmp/err")
status=$?
dt=$(($(now_ms) - t0))
[ "$status" = 1 ] && [ "$dt" -ge 1000 ] && [ "$dt" -lt 5000 ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
  grep -q "^knock: 127.0.0.1 (127.0.0.1) tcp/$closed did not accept a connection within 1 s" "$tmp/err" &&
  pass "a port that stays closed: exit 1 after $dt ms, one line naming host, port, wait" ||
  fail "closed: exit $status after $dt ms: $(cat "$tmp/err")"
finish
