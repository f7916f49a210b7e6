#!/usr/bin/env bash
# cost.sh NFT_HOOK: what one open costs through the compiled nft hook, as
# a server (one request line, one netlink transaction) and one-shot (a
# process start each), and through the nft.sh script, in a namespace
# made here.  Prints `name value unit` lines; asserts only that every
# open succeeded and put its element in place (not a speed gate).
set -uo pipefail
. "${BASH_SOURCE%/*}/../lib/ns.sh"
hook=$1
n=${SK_COST_N:-300}
ns_need_root "a network namespace, nftables"
ns=skcost$$
T=$(mktemp -d /tmp/sknock-cost.XXXXXX)
cleanup() {
	ns_drop "$ns"
	rm -rf "$T"
}
trap cleanup EXIT
mkdir -m 700 "$T/hooks"
for f in "$hook" "${hook%/*}/nft.sh" "${hook%/*}/hook-lib.sh"; do
	cp "$f" "$T/hooks/" && chmod 755 "$T/hooks/${f##*/}" || exit 1
done
hook=$T/hooks/nft
ns_add "$ns" || exit 1
in_ns() { ip netns exec "$ns" "$@"; }
in_ns env -i SKNOCK_GUARD=tcp/22 "$hook" start 2>/dev/null || { echo "FAIL: start"; exit 1; }
fails=0
elements() { in_ns nft list set inet sknock allow4 | grep -o expires | wc -l; }

# The loops run inside the namespace, as sknockd does: no `ip netns exec`
# per open.  Each prints "NAME MICROSECONDS_PER_OPEN FAILURES".
ip netns exec "$ns" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin bash -s "$hook" "$n" >"$T/figures" <<'LOOPS'
hook=$1 n=$2
now() { echo $(( ${EPOCHREALTIME/[.,]/} )); }
report() { echo "$1 $(( ($(now) - $2) / $3 )) $4"; }
export SKNOCK_FAMILY=4 SKNOCK_PROTO=tcp SKNOCK_PORT=22 SKNOCK_TIMEOUT=60
f=0 t=$(now)
for ((i = 0; i < n; i++)); do
	SKNOCK_ADDRESS=10.1.$((i / 250)).$((i % 250 + 1)) "$hook" open || f=$((f + 1))
done
report hook_open_oneshot_compiled "$t" "$n" "$f"
f=0 t=$(now) m=$((n / 10))
for ((i = 0; i < m; i++)); do
	SKNOCK_ADDRESS=10.2.$((i / 250)).$((i % 250 + 1)) "${hook%/*}/nft.sh" open || f=$((f + 1))
done
report hook_open_oneshot_script "$t" "$m" "$f"
t=$(now)
for ((i = 0; i < n; i++)); do /bin/true; done
report process_start_floor "$t" "$n" 0
coproc SRV { "$hook" serve; }
IFS= read -r -t 5 greet <&"${SRV[0]}"
[ "$greet" = "sknock-hook 1" ] || echo "no greeting" >&2
f=0 t=$(now)
for ((i = 0; i < n; i++)); do
	printf 'open door=ssh client=alice address=10.3.%d.%d family=4 proto=tcp port=22 timeout=60\n' \
		$((i / 250)) $((i % 250 + 1)) >&"${SRV[1]}"
	IFS= read -r -t 5 reply <&"${SRV[0]}"
	[ "$reply" = ok ] || f=$((f + 1))
done
report hook_open_serve "$t" "$n" "$f"
exec {SRV[1]}>&-
wait
LOOPS
while read -r name us f; do
	echo "$name $us us"
	fails=$((fails + f))
done <"$T/figures"
[ "$(grep -c . "$T/figures")" = 4 ] || { echo "FAIL: figures missing"; fails=$((fails + 1)); }

want=$((n + n / 10 + n))
got=$(elements)
echo "elements $got (want $want)"
[ "$got" = "$want" ] || fails=$((fails + 1))
[ "$fails" = 0 ] && { echo "1 passed, 0 failed"; exit 0; }
echo "FAIL: $fails opens failed"; exit 1
