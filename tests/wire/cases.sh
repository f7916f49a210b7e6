# cases.sh: the wire-abuse cases.  Each sends hand-made frames
# (sendraw.c) from the client namespace, then checks: the daemon is alive,
# it decided nothing (no `open` line), and a valid knock still opens.
# shellcheck source=../e2e/cases.sh
. "$(dirname "${BASH_SOURCE[0]}")/../e2e/cases.sh"

# Many tokens from one source in a few seconds: lift the per-source
# verification limit so it cannot be the reason a knock fails here.
wire_setup() {
	# shellcheck disable=SC2034 # read by sk_conf_daemon
	SK_DAEMON_EXTRA="verify_per_source = 1000"
	std_setup
	sk_step "closed before any abuse"
	sk_expect_closed "$NS_C" "$SK_S4"
}

raw4() { sk_raw "$NS_C" "$SK_C4" "$SK_S4" "$@"; }
raw6() { sk_raw "$NS_C" "$SK_C6" "$SK_S6" "$@"; }
STEPS=(syn:7000 udp:8000:0)	# the door's steps 1..N-1, by hand

# abuse WHAT CMD...: CMD sends the abuse; then the three checks.
abuse() {
	local what=$1 n
	shift
	sk_step "$what"
	n=$(sk_opens)
	"$@"
	sk_barrier
	sk_daemon_alive || sk_fail "sknockd died"
	sk_no_open_since "$n"
	sk_step "$what: a valid knock still opens"
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
}

case_udp_sizes() {
	wire_setup
	{
		abuse "IPv4 zero-length and one-byte UDP to the knock ports" \
			raw4 udp:8000:0 udp:9000:0 udp:7000:0 udp:8000:1 udp:9000:1 \
			"${STEPS[@]}" udp:9000:0 "${STEPS[@]}" udp:9000:1
		abuse "IPv4 token-step payloads of 87, 89 and 88 junk bytes" \
			raw4 "${STEPS[@]}" udp:9000:87 "${STEPS[@]}" udp:9000:89 "${STEPS[@]}" udp:9000:88
		abuse "IPv4 largest unfragmented UDP payload (1472)" \
			raw4 udp:8000:1472 "${STEPS[@]}" udp:9000:1472
		abuse "IPv4 largest UDP datagram (65507, fragmented by the kernel)" \
			raw4 "${STEPS[@]}" sockudp:9000:65507 sockudp:8000:65507
		abuse "IPv6 zero-length, one-byte, 88 junk and 1452-byte UDP" \
			raw6 udp:8000:0 udp:9000:0 "${STEPS[@]}" udp:9000:1 "${STEPS[@]}" \
			udp:9000:88 "${STEPS[@]}" udp:9000:1452
		abuse "IPv6 largest UDP datagram (65527, fragmented by the kernel)" \
			raw6 "${STEPS[@]}" sockudp:9000:65527
	}
}

case_truncated() {
	wire_setup
	{
		abuse "IPv4 frames cut inside the IP, UDP and TCP headers" \
			raw4 truncip:8000 truncip:9000 trunctcp:7000 truncudp:8000 \
			"${STEPS[@]}" truncudp:9000 "${STEPS[@]}" truncip:9000
		abuse "IPv6 frames cut inside the IP, UDP and TCP headers" \
			raw6 truncip:8000 trunctcp:7000 truncudp:8000 "${STEPS[@]}" \
			truncudp:9000 "${STEPS[@]}" truncip:9000
	}
}

case_bogus_lengths() {
	wire_setup
	{
		abuse "IPv4 header lengths 0, 4, 6 and 15 words" \
			raw4 "${STEPS[@]}" ihl:0:9000 "${STEPS[@]}" ihl:4:9000 "${STEPS[@]}" ihl:6:9000 \
			"${STEPS[@]}" ihl:15:9000
		abuse "IPv4 total lengths 0, 19, 40 and 65535" \
			raw4 "${STEPS[@]}" totlen:0:9000 "${STEPS[@]}" totlen:19:9000 "${STEPS[@]}" \
			totlen:40:9000 "${STEPS[@]}" totlen:65535:9000
		abuse "IPv6 payload lengths 0, 10 and 65535" \
			raw6 "${STEPS[@]}" plen:0:9000 "${STEPS[@]}" plen:10:9000 "${STEPS[@]}" plen:65535:9000
	}
}

case_fragments() {
	wire_setup
	sk_token "$T/t1.tok" -k "$T/alice.key" -d ssh
	sk_token "$T/t2.tok" -k "$T/alice.key" -d ssh
	sk_token "$T/t3.tok" -k "$T/alice.key" -d ssh
	sk_token "$T/t5.tok" -k "$T/alice.key" -d ssh
	sk_token "$T/t6.tok" -k "$T/alice.key" -d ssh
	{
		abuse "IPv4: a valid token in two fragments" \
			raw4 "${STEPS[@]}" "frag:9000:$T/t1.tok"
		abuse "IPv6: a valid token in two fragments" \
			raw6 "${STEPS[@]}" "frag:9000:$T/t2.tok"
		abuse "IPv6: a valid token in an atomic fragment (offset 0, M=0)" \
			raw6 "${STEPS[@]}" "fragatomic:9000:$T/t3.tok"
		abuse "IPv6: the fragment header after a hop-by-hop header" \
			raw6 -x "${STEPS[@]}" "frag:9000:$T/t5.tok"
		abuse "802.1Q-tagged IPv4 with options: a valid token in fragments" \
			raw4 -v 7 -o "${STEPS[@]}" "frag:9000:$T/t6.tok"
	}
	sk_step "the hand-made sender does open with an unfragmented token"
	sk_token "$T/t4.tok" -k "$T/alice.key" -d ssh
	local n
	n=$(sk_opens "client=alice address=$SK_C6")
	raw6 "${STEPS[@]}" "udpfile:9000:$T/t4.tok"
	sk_wait_open "client=alice address=$SK_C6" "$n"
}

case_syn_payload() {
	wire_setup
	sk_token "$T/t1.tok" -k "$T/alice.key" -d ssh
	{
		abuse "IPv4 SYNs with payload to every step port" \
			raw4 synpay:7000:88 synpay:8000:1 synpay:9000:88 synpay:7000:1400
		abuse "IPv4 steps, then a valid token in a SYN to the token port" \
			raw4 "${STEPS[@]}" "synfile:9000:$T/t1.tok"
		abuse "IPv6 SYNs with payload" \
			raw6 synpay:7000:88 "${STEPS[@]}" synpay:9000:88
	}
}

# signed_raw SRC DST: the steps and a fresh valid token (allow address
# zero, so "the packet's source") as raw frames from SRC to DST.
signed_raw() {
	local tok
	tok=$(mktemp "$T/raw.XXXXXX")
	sk_token "$tok" -k "$T/alice.key" -d ssh
	sk_raw "$NS_C" "$1" "$2" "${STEPS[@]}" "udpfile:9000:$tok"
}

# forged DST SRC...: signed_raw from each forged SRC to DST.
forged() {
	local dst=$1 src
	shift
	for src in "$@"; do signed_raw "$src" "$dst"; done
}

# The server itself, unspecified, multicast, broadcast, loopback; any
# `open` line names the address that got through.
case_forged_sources() {
	wire_setup
	abuse "IPv4 valid knocks from forged sources" forged "$SK_S4" \
		"$SK_S4" 0.0.0.0 224.0.0.1 255.255.255.255 127.0.0.1
	abuse "IPv6 valid knocks from forged sources" forged "$SK_S6" \
		"$SK_S6" :: ff02::1 ::1
}

# toward SRC DST...: signed_raw from SRC (a real client's address) to
# each DST, in frames for the server's MAC.
toward() {
	local src=$1 dst
	shift
	for dst in "$@"; do signed_raw "$src" "$dst"; done
}

# DESIGN.md: on a live interface a packet whose destination is not one
# of this host's own addresses is no knock (a router or bridge sees
# others' traffic); nor is broadcast or multicast.
case_foreign_destination() {
	wire_setup
	abuse "IPv4 valid knocks for the third host, broadcast, multicast" \
		toward "$SK_C4" "$SK_T4" 10.66.0.255 224.0.0.9
	abuse "IPv6 valid knocks for the third host and multicast" \
		toward "$SK_C6" "$SK_T6" ff02::1
}

# IPv6 from a v4-mapped source (::ffff:0:0/96) is never on the wire: no
# knock, not even for the IPv4 address inside it.
case_v4_mapped_source() {
	wire_setup
	abuse "IPv6 valid knock from ::ffff:$SK_C4" \
		forged "$SK_S6" "::ffff:$SK_C4"
	abuse "IPv6 valid knock from ::ffff:$SK_T4" \
		forged "$SK_S6" "::ffff:$SK_T4"
}

# valid_raw WHAT raw4|raw6 SENDRAW_OPTIONS...: the steps and a fresh valid
# token, hand-made with those header variants, open for the source.
valid_raw() {
	local what=$1 fn=$2 src=$SK_C6 n tok
	shift 2
	[ "$fn" = raw4 ] && src=$SK_C4
	sk_step "$what: a valid knock opens"
	tok=$(mktemp "$T/valid.XXXXXX")
	sk_token "$tok" -k "$T/alice.key" -d ssh
	n=$(sk_opens "client=alice address=$src ")
	"$fn" "$@" "${STEPS[@]}" "udpfile:9000:$tok"
	sk_wait_open "client=alice address=$src " "$n"
}

# DESIGN.md: IPv4 options, IPv6 extension headers and 802.1Q tags are
# handled everywhere, and the BPF fast path never drops what the decoder
# would accept.
case_header_variants() {
	wire_setup
	valid_raw "IPv4 with options" raw4 -o
	valid_raw "IPv6 with a hop-by-hop header first" raw6 -x
	valid_raw "802.1Q-tagged IPv4" raw4 -v 7
	valid_raw "802.1Q-tagged IPv6 with a hop-by-hop header" raw6 -v 7 -x
}
