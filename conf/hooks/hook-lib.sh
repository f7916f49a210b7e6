# hook-lib.sh: checks shared by the sknock hooks (nft, iptables, log).
# Sourced, not run: a hook sets sk_hook (its name, for messages), checks
# this file as sknockd checked the hook (owned by root or by the hook's
# user, not writable by group or others, nor any directory above it: see
# sk_lib_ok in each hook), and then
#	. "${0%/*}/hook-lib.sh"
#
# The daemon runs a hook as `HOOK ACTION` with the SKNOCK_* variables of
# DESIGN.md "Hooks" in the environment.  It asks `HOOK serve` first: a
# hook that prints "sknock-hook 0" there and exits (nft, iptables) is also
# sent check every 5 s; one that prints nothing (log) never is.  A hook trusts none of them: each
# value is checked here against a strict pattern before a firewall tool
# sees it, and anything else ends the hook with a message on stderr and
# exit status 2.  The checks are pure shell (no grep, no awk): a hook runs
# on the path that opens a door, and every process it starts costs time.

PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

# sk_shown VALUE: VALUE for a message, or a note when it would not print
# as one line (a newline in a value must not forge a log line).
sk_shown() {
	case $1 in
	*[![:print:]]*) printf '(%s bytes, not printable)' ${#1} ;;
	*) printf "'%s'" "$1" ;;
	esac
}

# sk_die MESSAGE: refuse, exit 2.
sk_die() {
	printf '%s: %s\n' "$sk_hook" "$*" >&2
	exit 2
}

# sk_say MESSAGE: one line to the daemon's log.
sk_say() {
	printf '%s: %s\n' "$sk_hook" "$*" >&2
}

# sk_uint_ok VALUE MIN MAX: VALUE is a decimal integer in MIN..MAX without
# sign, blanks or leading zeros.
sk_uint_ok() {
	case $1 in
	'' | *[!0-9]* | 0?*) return 1 ;;
	esac
	[ ${#1} -le 10 ] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

# sk_ipv4_ok TEXT: TEXT is a dotted quad, four decimal octets 0-255.
sk_ipv4_ok() {
	[ ${#1} -le 15 ] || return 1
	case $1 in
	*[!0-9.]* | .* | *. | *..*) return 1 ;;
	esac
	_sk_rest=$1
	_sk_n=0
	while [ "$_sk_n" -lt 4 ]; do
		_sk_oct=${_sk_rest%%.*}
		sk_uint_ok "$_sk_oct" 0 255 || return 1
		_sk_n=$((_sk_n + 1))
		[ "$_sk_rest" = "$_sk_oct" ] && break
		_sk_rest=${_sk_rest#*.}
	done
	[ "$_sk_n" -eq 4 ] && [ "$_sk_rest" = "$_sk_oct" ]
}

# sk_hex_groups TEXT: TEXT is empty or colon-separated groups of 1-4 hex
# digits; sets sk_groups to their number.
sk_hex_groups() {
	sk_groups=0
	[ -z "$1" ] && return 0
	_sk_rest=$1
	while [ "$sk_groups" -lt 8 ]; do
		_sk_grp=${_sk_rest%%:*}
		case $_sk_grp in
		'' | ?????* | *[!0-9a-fA-F]*) return 1 ;;
		esac
		sk_groups=$((sk_groups + 1))
		[ "$_sk_rest" = "$_sk_grp" ] && return 0
		_sk_rest=${_sk_rest#*:}
	done
	return 1
}

# sk_ipv6_ok TEXT: TEXT is an IPv6 address in RFC 4291 text form: eight
# hex groups, or fewer with one "::", optionally ending in a dotted quad.
sk_ipv6_ok() {
	[ ${#1} -le 45 ] || return 1
	case $1 in
	*:*) ;;
	*) return 1 ;;
	esac
	case $1 in
	*[!0-9a-fA-F:.]* | *:::* | *::*::* | :[!:]* | *[!:]:) return 1 ;;
	esac
	_sk_addr=$1
	case $_sk_addr in
	*.*)	# a trailing dotted quad stands for the last two groups
		_sk_v4=${_sk_addr##*:}
		sk_ipv4_ok "$_sk_v4" || return 1
		_sk_addr=${_sk_addr%"$_sk_v4"}0:0 ;;
	esac
	case $_sk_addr in
	*::*)
		sk_hex_groups "${_sk_addr%%::*}" || return 1
		_sk_left=$sk_groups
		sk_hex_groups "${_sk_addr#*::}" || return 1
		[ $((_sk_left + sk_groups)) -le 7 ] ;;
	*)
		sk_hex_groups "$_sk_addr" && [ "$sk_groups" -eq 8 ] ;;
	esac
}

# sk_check_door: check the variables of `open` and `close` and set
# sk_addr, sk_family (4 or 6), sk_proto (tcp or udp), sk_port.
sk_check_door() {
	sk_family=${SKNOCK_FAMILY-}
	sk_addr=${SKNOCK_ADDRESS-}
	sk_proto=${SKNOCK_PROTO-}
	sk_port=${SKNOCK_PORT-}
	case $sk_family in
	4)	sk_ipv4_ok "$sk_addr" || sk_die "SKNOCK_ADDRESS=$(sk_shown "$sk_addr") is not an IPv4 address (SKNOCK_FAMILY=4); expected e.g. 192.0.2.7" ;;
	6)	sk_ipv6_ok "$sk_addr" || sk_die "SKNOCK_ADDRESS=$(sk_shown "$sk_addr") is not an IPv6 address (SKNOCK_FAMILY=6); expected e.g. 2001:db8::7" ;;
	*)	sk_die "SKNOCK_FAMILY=$(sk_shown "$sk_family"): expected 4 or 6" ;;
	esac
	case $sk_proto in
	tcp | udp) ;;
	*)	sk_die "SKNOCK_PROTO=$(sk_shown "$sk_proto"): expected tcp or udp" ;;
	esac
	sk_uint_ok "$sk_port" 1 65535 || sk_die "SKNOCK_PORT=$(sk_shown "$sk_port"): expected a port 1-65535"
}

# sk_check_timeout: check SKNOCK_TIMEOUT (seconds, 1 to about 49 days, the
# most an nftables element timeout holds) and set sk_timeout.
sk_check_timeout() {
	sk_timeout=${SKNOCK_TIMEOUT-}
	sk_uint_ok "$sk_timeout" 1 4294967 || sk_die "SKNOCK_TIMEOUT=$(sk_shown "$sk_timeout"): expected seconds, 1-4294967"
}

# sk_guard_list_ok NAME VALUE: VALUE is a guard list ("tcp/22 udp/53 ...",
# entries separated by single spaces); refuses with a message naming NAME.
sk_guard_list_ok() {
	# Only these characters, so the split below can neither glob nor
	# take a tab or newline for a separator.
	case $2 in
	*[!a-z0-9/\ ]* | ' '* | *' ' | *'  '*)
		sk_die "$1=$(sk_shown "$2"): expected entries separated by single spaces, e.g. 'tcp/22 tcp/2222'" ;;
	esac
	for _sk_ent in $2; do
		case $_sk_ent in
		tcp/* | udp/*) sk_uint_ok "${_sk_ent#*/}" 1 65535 && continue ;;
		esac
		sk_die "$1 entry '$_sk_ent': expected PROTO/PORT with tcp or udp and a port 1-65535, e.g. tcp/22"
	done
}

# sk_check_guard: check SKNOCK_GUARD (at least one entry) and set sk_guard
# to the same list.
sk_check_guard() {
	sk_guard=${SKNOCK_GUARD-}
	[ -n "$sk_guard" ] || sk_die "SKNOCK_GUARD is empty: expected the guarded ports, e.g. 'tcp/22 tcp/2222'"
	sk_guard_list_ok SKNOCK_GUARD "$sk_guard"
}

# sk_check_guard_forward: check SKNOCK_GUARD_FORWARD, the ports of the
# doors with forward = yes (empty when there is none), and set
# sk_guard_forward.
sk_check_guard_forward() {
	sk_guard_forward=${SKNOCK_GUARD_FORWARD-}
	sk_guard_list_ok SKNOCK_GUARD_FORWARD "$sk_guard_forward"
}

# sk_describe: the door's variables, for a log line.
sk_describe() {
	printf 'door=%s client=%s address=%s port=%s/%s' \
	    "$(sk_shown "${SKNOCK_DOOR-}")" "$(sk_shown "${SKNOCK_CLIENT-}")" \
	    "$sk_addr" "$sk_port" "$sk_proto"
}
