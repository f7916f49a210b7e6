#!/usr/bin/env bash
# test_send.sh: a real knock over loopback, captured with libpcap: the
# steps arrive in order as SYN / empty datagram, and the last datagram's
# 88-byte payload verifies with the same key (tok_verify).  Needs root.
. "$(dirname "$0")/lib.sh"
: "${KNOCK_CHECK:?}" "${KNOCK_CAPTURE:?}"

if [ "$(id -u)" != 0 ]; then
  echo "SKIPPED: needs root (libpcap capture on lo)"
  exit 77
fi

key=$(keyfile s1 "$(head -c 32 /dev/urandom | base64)")
# Ports of our own: other tests may knock on loopback at the same time.
base=$((20000 + ($$ * 7 + RANDOM) % 40000))
p1=$base p2=$((base + 1)) p3=$((base + 2))

# capture_knock ADDR ARGS...: knock ADDR while capturing; lines in $cap.
capture_knock() {
  local addr=$1 filter
  shift
  filter="dst host $addr and ((tcp and dst port $p1) or (udp and (dst port $p2 or dst port $p3)))"
  : >"$tmp/cap"
  "$KNOCK_CAPTURE" lo "$filter" 3 5 >"$tmp/cap" 2>"$tmp/cap.err" &
  local cpid=$!
  pids+=("$cpid")
  wait_line "$tmp/cap" || { fail "capture did not start: $(cat "$tmp/cap.err")"; return 1; }
  run "$@" "$addr"
  wait "$cpid"
  cap=$(tail -n +2 "$tmp/cap")
}

for addr in 127.0.0.1 ::1; do
  if [ "$addr" = ::1 ] && ! ip -6 addr show dev lo 2>/dev/null | grep -q '::1'; then
    echo "note: no ::1 on lo, IPv6 case not run"
    continue
  fi
  capture_knock "$addr" -s "$p1/tcp,$p2/udp,$p3/udp" --door ssh -k "$key" \
    -p 2222/tcp -a 198.51.100.7 --gap 2 || continue
  [ "$status" = 0 ] && [ -z "$out$err" ] && pass "$addr: knock exits 0, quiet" ||
    fail "$addr: knock exited $status: $err"
  mapfile -t l <<<"$cap"
  [ "${#l[@]}" = 3 ] && [ "${l[0]}" = "tcp $p1 S" ] && [ "${l[1]}" = "udp $p2 0" ] &&
    [[ ${l[2]} == "udp $p3 88 "* ]] && pass "$addr: SYN, empty datagram, 88-byte token in order" ||
    fail "$addr: captured:"$'\n'"$cap"
  hex=${l[2]##* }
  "$KNOCK_CHECK" verify "$key" ssh "$hex" >"$tmp/v" 2>&1 &&
    grep -qx 'ok port=2222 proto=6 allow=198.51.100.7' "$tmp/v" &&
    pass "$addr: captured token verifies with the key" || fail "$addr: verify: $(cat "$tmp/v")"
  "$KNOCK_CHECK" verify "$key" web "$hex" >/dev/null 2>&1 &&
    fail "$addr: token verifies for another door" || pass "$addr: not for another door"
done

# Unsigned, -4: three bare steps, nothing else.
capture_knock 127.0.0.1 -4 -s "$p1/tcp,$p2/udp,$p3/udp" --gap 0
[ "$status" = 0 ] && [ "$cap" = $'tcp '$p1$' S\nudp '$p2$' 0\nudp '$p3' 0' ] &&
  pass "unsigned knock: three bare steps" || fail "unsigned: $status $err"$'\n'"$cap"

finish
