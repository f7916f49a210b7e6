#!/usr/bin/env bash
# test_dualstack.sh: in a namespace of our own whose hosts file gives one
# name an A and an AAAA record (`ip netns exec` bind-mounts
# /etc/netns/NS/hosts), knock --dry-run sends the whole sequence to the
# first address of each family, each with its own token; -4/-6 pick one.
# And the source address is signed by itself exactly when it is global
# unicast.  Needs root.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/ns.sh"
: "${KNOCK_CHECK:?}"

ns_need_root "network namespace, /etc/netns"
ns=knock-ds-$$
cleanup_ns() { ns_drop "$ns"; ns_unhosts "$ns"; cleanup; }
trap cleanup_ns EXIT
ns_add "$ns" || { fail "ip netns add"; finish; }
ns_hosts "$ns" '198.51.100.10 dual.test' '2001:db8:10::10 dual.test' \
  '198.51.100.11 v4only.test' || { fail "/etc/netns/$ns/hosts"; finish; }
# A global address of each family (documentation ranges, on a veth pair
# inside the namespace: nothing leaves it), and private ones on another.
{ ns_veth "$ns" d0 "$ns" d0p &&
  ns_addr "$ns" d0 198.51.100.2/24 2001:db8:10::2/64 &&
  ns_veth "$ns" d1 "$ns" d1p && ns_addr "$ns" d1 10.77.0.2/24 fd77::2/64; } ||
  { fail "addresses in $ns"; finish; }
inns() { ip netns exec "$ns" "$@"; }
key=$(keyfile ds "$(head -c 32 /dev/urandom | base64)")

# nsrun ARGS...: run knock in the namespace (as run does).
nsrun() {
  inns "$KNOCK" "$@" >"$tmp/out" 2>"$tmp/err"
  status=$?
  out=$(cat "$tmp/out") err=$(cat "$tmp/err")
}

nsrun --dry-run -s 7000/tcp,8000/udp dual.test
v4=$(grep -c '^198\.51\.100\.10 ' <<<"$out") v6=$(grep -c '^2001:db8:10::10 ' <<<"$out")
[ "$status" = 0 ] && [ "$v4" = 2 ] && [ "$v6" = 2 ] &&
  pass "unsigned: the whole sequence to each family" || fail "dual: $status $out $err"
nsrun --dry-run -s 7000/tcp,8000/udp,9000/udp --door ssh -k "$key" -p 22/tcp dual.test
t4=$(awk '/^198\.51\.100\.10 udp\/9000 token/ {print $4}' <<<"$out")
t6=$(awk '/^2001:db8:10::10 udp\/9000 token/ {print $4}' <<<"$out")
[ "$status" = 0 ] && [ "$(wc -l <<<"$out")" = 6 ] && [ -n "$t4" ] && [ -n "$t6" ] &&
  [ "${t4:0:48}" != "${t6:0:48}" ] && pass "signed: a token and nonce of its own per family" ||
  fail "signed dual: $status $out $err"
# Each family signs its own (global) source: the address that family
# sends from, so a require_source_address door opens for that one.
a4=$("$KNOCK_CHECK" verify "$key" ssh "$t4") a6=$("$KNOCK_CHECK" verify "$key" ssh "$t6")
[ "$a4" = "ok port=22 proto=6 allow=198.51.100.2" ] && [ "$a6" = "ok port=22 proto=6 allow=2001:db8:10::2" ] &&
  pass "global unicast source signed per family" || fail "allow: $a4 / $a6"
nsrun --dry-run -4 -s 7000/tcp dual.test
[ "$out" = '198.51.100.10 tcp/7000' ] && pass "-4: IPv4 only" || fail "-4: $out $err"
nsrun --dry-run -6 -s 7000/tcp dual.test
[ "$out" = '2001:db8:10::10 tcp/7000' ] && pass "-6: IPv6 only" || fail "-6: $out $err"
nsrun --dry-run -s 7000/tcp v4only.test
[ "$out" = '198.51.100.11 tcp/7000' ] && pass "a name with one family: that one" || fail "v4only: $out"
nsrun -v --dry-run -s 7000/tcp dual.test
grep -q 'dual.test is 198.51.100.10' <<<"$err" && grep -q 'dual.test is 2001:db8:10::10' <<<"$err" &&
  pass "-v names both addresses" || fail "-v: $err"

# Private, ULA and loopback sources: no address signed (NAT likely);
# -a overrides; -a :: signs none even from a global source.
for dst in 10.77.0.1 fd77::1 127.0.0.1; do
  nsrun --dry-run -s 9000/udp --door ssh -k "$key" "$dst"
  [ "$("$KNOCK_CHECK" verify "$key" ssh "${out##* token }")" = "ok port=0 proto=6 allow=-" ] &&
    pass "source toward $dst is not global: none signed" || fail "$dst: $out $err"
done
nsrun --dry-run -s 9000/udp --door ssh -k "$key" -a :: 198.51.100.10
[ "$("$KNOCK_CHECK" verify "$key" ssh "${out##* token }")" = "ok port=0 proto=6 allow=-" ] &&
  pass "-a :: signs none" || fail "-a :: $out"
nsrun --dry-run -s 9000/udp --door ssh -k "$key" -a 203.0.113.9 198.51.100.10
[ "$("$KNOCK_CHECK" verify "$key" ssh "${out##* token }")" = "ok port=0 proto=6 allow=203.0.113.9" ] &&
  pass "-a ADDR wins over the source" || fail "-a: $out"
nsrun --dry-run -s 9000/udp 198.51.100.10
[ "$out" = '198.51.100.10 udp/9000' ] && pass "unsigned: nothing signed" || fail "unsigned: $out"
finish
