#!/usr/bin/env bash
# gap.sh BUILD_DIR [RUNS] [GAPS_US...]: how often do a knock's steps reach
# the capture out of order, per gap between them?  As root.
# For each topology below and each gap, RUNS knocks of three steps
# (tests/bench/gaptest: a TCP SYN then two UDP datagrams, each from its
# own socket as knock(1) sends them) go from one namespace to another
# and a libpcap capture behind the receiving veth counts the knocks that
# arrived out of order.  Prints one `gap_reordered_TOPOLOGY_GAPus N
# of_RUNS` line per cell.  Topologies:
#   veth      a veth pair (noqueue), the sender wherever the scheduler puts it
#   veth-hop  the same, the sender moved to another CPU before each step
#   mq        a NIC queue model: the sending veth has 4 TX queues under
#             mq with an fq qdisc each, the receiving one spreads flows
#             over every CPU (RPS, as RSS does on a real NIC), the sender
#             hops CPUs before each step
#   mq-busy   mq with two CPU hogs at normal priority on the 2 cores
#   mq-flood  mq-busy while a flood of packets to random ports from
#             random sources goes the same way (so receive processing
#             falls behind and moves to ksoftirqd, unevenly per CPU)
# It kills only the PIDs it started and deletes what it created.
set -uo pipefail
B=${1:?usage: gap.sh BUILD_DIR [RUNS] [GAPS_US...]}
runs=${2:-1000}
shift 2 2>/dev/null || shift $#
gaps=("$@")
[ ${#gaps[@]} -eq 0 ] && gaps=(0 10 50 100 200 500 1000)
G=$B/tests/bench/gaptest
[ -x "$G" ] || { echo "*** SKIPPED: $G is not built ***" >&2; exit 77; }
. "${BASH_SOURCE%/*}/../lib/ns.sh"
ns_need_root "network namespaces, a veth pair" >&2

NS_S=skgap-s-$$ NS_C=skgap-c-$$ IF_S=skgs$$ IF_C=skgc$$
S4=10.215.0.1 C4=10.215.0.2
T=$(mktemp -d /tmp/sknock-gap.XXXXXX) || exit 1
hogs=() flood=""
cleanup() {
	ns_reap $flood "${hogs[@]}"
	ns_drop "$NS_S" "$NS_C"
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# net_up QUEUES: the pair, with QUEUES TX/RX queues; mq/fq and RPS if > 1.
net_up() {
	local q=$1 i n mask
	ns_drop "$NS_S" "$NS_C"
	ns_add "$NS_S" "$NS_C" &&
		ns_veth "$NS_C" "$IF_C" "$NS_S" "$IF_S" "$q" || return 1
	ns_addr "$NS_S" "$IF_S" "$S4/24"
	ns_addr "$NS_C" "$IF_C" "$C4/24"
	if [ "$q" -gt 1 ]; then
		ip netns exec "$NS_C" tc qdisc replace dev "$IF_C" root handle 1: mq
		# fq where the kernel has it, else pfifo_fast (mq's default).
		for ((i = 1; i <= q; i++)); do
			ip netns exec "$NS_C" tc qdisc replace dev "$IF_C" \
				parent "1:$i" fq 2>/dev/null ||
				ip netns exec "$NS_C" tc qdisc replace \
				dev "$IF_C" parent "1:$i" pfifo_fast
		done
		n=$(nproc)
		mask=$(printf '%x' $(((1 << n) - 1)))
		for ((i = 0; i < q; i++)); do
			ip netns exec "$NS_S" sh -c \
				"echo $mask > /sys/class/net/$IF_S/queues/rx-$i/rps_cpus"
		done
		echo "gap_qdisc $(ip netns exec "$NS_C" tc qdisc show dev "$IF_C" |
			awk '{print $2}' | sort | uniq -c | awk '{printf "%s%s", $1, $2}') -"
		echo "gap_rps_cpus $(ip netns exec "$NS_S" cat "/sys/class/net/$IF_S/queues/rx-0/rps_cpus") -"
	fi
	# A static neighbour: no ARP in the measurement.
	ip -n "$NS_C" neigh replace "$S4" dev "$IF_C" lladdr \
		"$(ip -n "$NS_S" -br link show "$IF_S" | awk '{print $3}')"
	ip -n "$NS_S" neigh replace "$C4" dev "$IF_S" lladdr \
		"$(ip -n "$NS_C" -br link show "$IF_C" | awk '{print $3}')"
}

cell() {  # cell TOPOLOGY GAP HOP
	local out rx
	rm -f "$T/ready"
	ip netns exec "$NS_S" "$G" recv "$IF_S" "$runs" "$T/ready" >"$T/rx" &
	rx=$!
	ns_poll 5 test -e "$T/ready"
	ip netns exec "$NS_C" "$G" send "$S4" "$2" "$runs" "$3" >/dev/null
	wait "$rx"
	out=$(cat "$T/rx")
	read -r _ _ _ seen _ reo _ miss <<<"$out"
	echo "gap_reordered_${1}_${2}us $reo of_$runs (missing $miss)"
}

# flood_loop: resend the random-port capture until killed (bounded).
flood_loop() {
	local i
	for ((i = 0; i < 1000; i++)); do
		ip netns exec "$NS_C" "$B/tests/bench/benchtool" send "$IF_C" \
			"$T/randport.pcap" >/dev/null 2>&1 || break
	done
}

for topo in veth veth-hop mq mq-busy mq-flood; do
	case $topo in
	veth) net_up 1; hop=0 ;;
	veth-hop) hop=1 ;;
	mq) net_up 4; hop=1 ;;
	mq-busy)
		hop=1
		for _ in 1 2; do
			sh -c 'while :; do :; done' &
			hogs+=($!)
		done ;;
	mq-flood)
		"$B/tests/bench/benchgen" randport "$T/randport.pcap" 200000 - "$S4" \
			"$(ip -n "$NS_S" -br link show "$IF_S" | awk '{print $3}')" \
			"$(ip -n "$NS_C" -br link show "$IF_C" | awk '{print $3}')" >/dev/null
		flood_loop &
		flood=$! ;;
	esac
	for g in "${gaps[@]}"; do
		cell "$topo" "$g" "$hop"
	done
done
