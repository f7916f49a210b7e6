#!/usr/bin/env bash
# test_wait_fw.sh: --wait behind a firewall that drops SYNs (no RST, as a
# guarded port looks): knock keeps probing, and succeeds within a few ms
# of the rule going away, not after the kernel's 1 s SYN retransmission.
# Runs in a network namespace of its own, with nftables.  Needs root.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/ns.sh"
: "${KNOCK_CHECK:?}"

ns_need_root "a network namespace with a drop rule"
if ! command -v nft >/dev/null; then
  echo "*** SKIPPED: nft not installed; run tests/deps.sh ***"
  exit 77
fi

ns=knock-client-$$
cleanup_ns() { ns_drop "$ns"; cleanup; }
trap cleanup_ns EXIT
ns_add "$ns" || { fail "cannot create namespace $ns"; finish; }
nsx() { ip netns exec "$ns" "$@"; }

listen_port port ip netns exec "$ns" "$KNOCK_CHECK" listen 30
nsx nft -f - <<EOF || { fail "nft rule"; finish; }
table inet knocktest {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport $port drop
  }
}
EOF

ip netns exec "$ns" "$KNOCK" --wait=5 -s "$((port + 1))/udp" -p "$port/tcp" 127.0.0.1 \
  >"$tmp/kout" 2>&1 &
kpid=$!
pids+=("$kpid")
# Let the probes hit the drop rule for a while, then open the door.
sleep 0.3
nsx nft delete table inet knocktest
t_open=$(now_ms)
wait "$kpid"
st=$?
dt=$(($(now_ms) - t_open))
# Generous for a loaded CI machine, far below the 1 s retransmission.
[ "$st" = 0 ] && [ "$dt" -lt 500 ] &&
  pass "opened ${dt} ms after the drop rule went away" ||
  fail "exit $st, ${dt} ms after the rule went: $(cat "$tmp/kout")"

# Still dropped: exit 1 at the deadline, "no answer".
nsx nft add table inet knocktest
nsx nft add chain inet knocktest input '{ type filter hook input priority 0; }'
nsx nft add rule inet knocktest input tcp dport "$port" drop
t0=$(now_ms)
nsx "$KNOCK" --wait=1 -s "$((port + 1))/udp" -p "$port/tcp" 127.0.0.1 \
  >"$tmp/kout" 2>&1
st=$?
dt=$(($(now_ms) - t0))
[ "$st" = 1 ] && [ "$dt" -ge 1000 ] && [ "$dt" -lt 2500 ] &&
  grep -q 'last: no answer' "$tmp/kout" &&
  pass "dropped port: exit 1 after ${dt} ms, no answer" ||
  fail "dropped port: exit $st after ${dt} ms: $(cat "$tmp/kout")"

finish
