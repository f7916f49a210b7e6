# cases.sh: the end-to-end cases; run.sh CASES_FILE NAME calls
# case_NAME after sk_setup (namespaces and listener are up, no daemon yet).
# Every case asserts on TCP connects from the namespaces.

SEQ="7000/tcp, 8000/udp, 9000/udp"

# door NAME SEQUENCE CLIENTS [KEY = VALUE lines...]: a [door:NAME] section.
door() {
	local name=$1 seq=$2 clients=$3
	shift 3
	printf '[door:%s]\nsequence = %s\nopen = %s/tcp\n' "$name" "$seq" "$SK_PORT"
	[ -n "$clients" ] && printf 'clients = %s\n' "$clients"
	printf '%s\n' "$@"
	echo
}

# client NAME...: [client:NAME] sections, keys made on the way.
client() {
	local c
	for c in "$@"; do
		[ -e "$T/$c.key" ] || sk_key "$c"
		printf '[client:%s]\nkey = %s\n\n' "$c" "$T/$c.key"
	done
}

# alias NAME HOST DOOR SEQUENCE KEYNAME [more lines]: a knock.conf section.
alias_sec() {
	local name=$1 host=$2 dr=$3 seq=$4 key=$5
	shift 5
	printf '[%s]\nhost = %s\ndoor = %s\nsequence = %s\nopen = %s/tcp\n' \
		"$name" "$host" "$dr" "$seq" "$SK_PORT"
	[ -n "$key" ] && printf 'key = %s\n' "$T/$key.key"
	printf '%s\n' "$@"
	echo
}

# std_setup [TIMEOUT]: door ssh for alice (and bob), aliases for both
# families; the daemon running.
std_setup() {
	{
		door ssh "$SEQ" "alice, bob" "timeout = ${1:-30}"
		client alice bob
	} | sk_conf_daemon
	{
		alias_sec srv "$SK_S4" ssh "$SEQ" alice
		alias_sec srv6 "$SK_S6" ssh "$SEQ" alice
		alias_sec bob "$SK_S4" ssh "$SEQ" bob
	} | sk_client_conf
	sk_daemon_start
}

# knock_refused NS ADDR CMD...: CMD sends a knock that must open nothing:
# no `open` line, and NS cannot connect to ADDR (NS "-": no probe, for a
# host that an earlier step opened).
knock_refused() {
	local ns=$1 addr=$2 n
	shift 2
	n=$(sk_opens)
	"$@"
	sk_barrier
	sk_no_open_since "$n"
	[ "$ns" = - ] || sk_expect_closed "$ns" "$addr"
	sk_daemon_alive || sk_fail "sknockd died"
}

# refused_logged SRC DOOR CMD...: as knock_refused (the probe from the
# client namespace) and the daemon logs a line naming SRC and DOOR, as
# DESIGN.md promises fail2ban.
refused_logged() {
	local src=$1 dr=$2 before
	shift 2
	before=$(grep -c . "$T/daemon.err")
	knock_refused - "$SK_S4" "$@"
	tail -n +"$((before + 1))" "$T/daemon.err" | grep -F -- "$src" | grep -qF -- "$dr" ||
		sk_fail "no log line naming $src and door $dr for the rejected knock"
}

case_open_v4() {
	std_setup
	sk_step "closed before the knock (IPv4)"
	sk_expect_closed "$NS_C" "$SK_S4"
	sk_step "knock opens for the client (IPv4)"
	knock_opens "$NS_C" srv "$SK_S4" "door=ssh client=alice address=$SK_C4 port=$SK_PORT/tcp"
	sk_step "still closed for the third host"
	sk_expect_closed "$NS_T" "$SK_S4"
}

case_open_v6() {
	std_setup
	sk_step "closed before the knock (IPv6)"
	sk_expect_closed "$NS_C" "$SK_S6"
	sk_step "knock opens for the client (IPv6)"
	knock_opens "$NS_C" srv6 "$SK_S6" "door=ssh client=alice address=$SK_C6 port=$SK_PORT/tcp"
	sk_step "IPv4 of the same client and the third host stay closed"
	sk_expect_closed "$NS_C" "$SK_S4"
	sk_expect_closed "$NS_T" "$SK_S6"
}

# conn_closed NS ADDR: a new connection fails now.
conn_closed() { ! sk_can_connect "$1" "$2"; }

case_timeout_close() {
	std_setup 3
	sk_step "knock opens"
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
	sk_step "closed again after the door's 3 s timeout"
	sk_poll 12 _sk_closes_more "door=ssh address=$SK_C4" 0 ||
		sk_fail "no close line within 12 s"
	sk_poll 5 conn_closed "$NS_C" "$SK_S4" ||
		sk_fail "port still open 5 s after the close line"
}

case_established_survives() {
	std_setup 3
	sk_step "knock opens and a connection is established"
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
	ip netns exec "$NS_C" "$SK_TOOLS/probe" -w "$T/hold" -W 30000 "$SK_S4" "$SK_PORT" &
	local held=$!
	sk_track "$held"
	sk_step "the door closes"
	sk_poll 12 _sk_closes_more "address=$SK_C4" 0 || sk_fail "no close line within 12 s"
	sk_poll 5 conn_closed "$NS_C" "$SK_S4" || sk_fail "new connections still accepted"
	sk_step "the established connection still carries data"
	kill -0 "$held" 2>/dev/null || sk_fail "held connection ended before the check"
	touch "$T/hold"
	wait "$held" || sk_fail "established connection died with the close"
	sk_untrack "$held"
}

case_second_client() {
	std_setup
	sk_step "bob knocks from the third host"
	knock_opens "$NS_T" bob "$SK_S4" "client=bob address=$SK_T4"
	sk_step "alice's host stays closed"
	sk_expect_closed "$NS_C" "$SK_S4"
	sk_step "alice opens for herself"
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
}

case_revoked() {
	std_setup
	sk_step "bob's key works before the revocation (IPv6 from the client)"
	{ alias_sec bob6 "$SK_S6" ssh "$SEQ" bob; } >>"$T/knock.conf"
	knock_opens "$NS_C" bob6 "$SK_S6" "client=bob address=$SK_C6"
	sk_step "bob removed from the config, SIGHUP"
	{
		door ssh "$SEQ" "alice" "timeout = 30"
		client alice
	} | sk_conf_daemon
	sk_daemon_hup 'reloaded '
	sk_step "the reload left bob's open door open (never closed early)"
	sk_expect_open "$NS_C" "$SK_S6"
	sk_step "bob's knock from the third host opens nothing"
	knock_refused "$NS_T" "$SK_S4" sk_knock "$NS_T" -c "$T/knock.conf" bob
	sk_step "alice still opens"
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
}

# capture_knock NS ALIAS [SERVER CLIENT]: run the knock while an
# eavesdropper records it into $T/knock.pcap (3 packets: the SYN, the UDP
# step, the token); IPv4 unless the server and client addresses say so.
capture_knock() {
	local ns=$1 alias=$2 srv=${3:-$SK_S4} cli=${4:-$SK_C4} cap syn
	sk_step "capture a valid knock with libpcap"
	rm -f "$T/cap.ready"
	# BPF's tcp[] does not reach into IPv6: the SYN flag is at byte 53.
	syn='tcp[tcpflags] & tcp-syn != 0'
	[[ $srv == *:* ]] && syn='ip6[53] & 0x02 != 0'
	ip netns exec "$NS_C" "$SK_TOOLS/capture" -i eth0 -w "$T/knock.pcap" -c 3 -t 10 \
		-r "$T/cap.ready" "dst host $srv and ((tcp dst port 7000 and $syn) or udp dst port 8000 or udp dst port 9000)" \
		2>>"$T/knock.err" &
	cap=$!
	sk_track "$cap"
	sk_poll 5 test -e "$T/cap.ready" || sk_fatal "capture not ready"
	knock_opens "$ns" "$alias" "$srv" "client=alice address=$cli "
	wait "$cap" || sk_fatal "capture did not record the 3 packets"
	sk_untrack "$cap"
}

replay_from() {  # replay_from NS MODE: MODE is -s or "-i eth0"
	# shellcheck disable=SC2086
	sk_in "$1" "$SK_TOOLS/replay" $2 "$T/knock.pcap" 2>>"$T/knock.err" ||
		sk_fatal "replay $2 from $1"
}

case_replay() {
	std_setup
	capture_knock "$NS_C" srv
	sk_step "replay from the third host, its own address"
	refused_logged "$SK_T4" ssh replay_from "$NS_T" -s
	sk_expect_closed "$NS_T" "$SK_S4"
	sk_step "replay from the third host, the client's address forged"
	knock_refused "$NS_T" "$SK_S4" replay_from "$NS_T" "-i eth0"
	sk_step "replay from the client itself"
	knock_refused "$NS_T" "$SK_S4" replay_from "$NS_C" -s
}

case_replay_v6() {
	std_setup
	capture_knock "$NS_C" srv6 "$SK_S6" "$SK_C6"
	sk_step "IPv6 replay from the third host, its own address"
	refused_logged "$SK_T6" ssh replay_from "$NS_T" -s
	sk_expect_closed "$NS_T" "$SK_S6"
	sk_step "IPv6 replay from the third host, the client's address forged"
	knock_refused "$NS_T" "$SK_S6" replay_from "$NS_T" "-i eth0"
}

case_restart_replay() {
	std_setup
	capture_knock "$NS_C" srv
	sk_daemon_stop
	sk_daemon_start
	sk_step "after a restart, replay from the third host"
	knock_refused "$NS_T" "$SK_S4" replay_from "$NS_T" -s
	sk_step "after a restart, replay with the client's address"
	knock_refused "$NS_T" "$SK_S4" replay_from "$NS_T" "-i eth0"
	sk_step "alice still opens after the restart"
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
}

# send_token NS SRC TOKENFILE: the door's sequence then TOKENFILE, by hand.
send_token() {
	sk_raw "$1" "$2" "$SK_S4" syn:7000 udp:8000:0 "udpfile:9000:$3"
}

case_bad_tokens() {
	std_setup
	sk_key mallory
	{
		alias_sec mallory "$SK_S4" ssh "$SEQ" mallory
		alias_sec otherdoor "$SK_S4" web "$SEQ" alice
	} >>"$T/knock.conf"
	sk_step "a key the server does not know"
	refused_logged "$SK_C4" ssh sk_knock "$NS_C" -c "$T/knock.conf" mallory
	sk_expect_closed "$NS_C" "$SK_S4"
	sk_step "alice's token for another door, on this door's sequence"
	refused_logged "$SK_C4" ssh sk_knock "$NS_C" -c "$T/knock.conf" otherdoor
	sk_expect_closed "$NS_C" "$SK_S4"
	sk_step "a clock 120 s behind (window 60 s)"
	sk_token "$T/old.tok" -k "$T/alice.key" -d ssh -t -120
	refused_logged "$SK_C4" ssh send_token "$NS_C" "$SK_C4" "$T/old.tok"
	sk_expect_closed "$NS_C" "$SK_S4"
	sk_step "a clock 120 s ahead, made by the client's own --time"
	refused_logged "$SK_C4" ssh sk_knock "$NS_C" -c "$T/knock.conf" \
		--time "$(($(sk_ms) / 1000 + 120))" srv
	sk_expect_closed "$NS_C" "$SK_S4"
	# The daemon started without a replay cache (a first start looks like
	# one lost in a crash), so tokens from before its start are refused.
	sk_step "a token 30 s behind, right after a start without a replay cache"
	sk_token "$T/behind.tok" -k "$T/alice.key" -d ssh -t -30
	refused_logged "$SK_C4" ssh send_token "$NS_C" "$SK_C4" "$T/behind.tok"
	sk_expect_closed "$NS_C" "$SK_S4"
	sk_step "a hand-made token inside the window opens (the sender works)"
	sk_token "$T/ok.tok" -k "$T/alice.key" -d ssh -t 30
	local n
	n=$(sk_opens "client=alice")
	send_token "$NS_C" "$SK_C4" "$T/ok.tok"
	sk_wait_open "client=alice address=$SK_C4" "$n"
	sk_expect_open "$NS_C" "$SK_S4"
}

case_nat() {
	{
		door ssh "$SEQ" alice "timeout = 30"
		door nat "7100/tcp, 8100/udp, 9100/udp" alice "allow_other_address = yes"
		door strict "7200/tcp, 8200/udp, 9200/udp" alice "require_source_address = yes"
		client alice
	} | sk_conf_daemon
	{
		alias_sec ssh "$SK_S4" ssh "$SEQ" alice
		alias_sec nat "$SK_S4" nat "7100/tcp, 8100/udp, 9100/udp" alice
		alias_sec strict "$SK_S4" strict "7200/tcp, 8200/udp, 9200/udp" alice
	} | sk_client_conf
	sk_daemon_start
	local kc=(sk_knock "$NS_C" -c "$T/knock.conf")
	sk_step "-a THIRD on a door without allow_other_address opens nothing"
	knock_refused "$NS_T" "$SK_S4" "${kc[@]}" -a "$SK_T4" ssh
	sk_expect_closed "$NS_C" "$SK_S4"
	sk_step "-a THIRD on a door with allow_other_address opens for THIRD only"
	sent_opens "$NS_T" "$SK_S4" "door=nat client=alice address=$SK_T4" \
		"${kc[@]}" -a "$SK_T4" nat
	sk_expect_closed "$NS_C" "$SK_S4"
	sk_step "require_source_address: a token without an address opens nothing"
	knock_refused "$NS_C" "$SK_S4" "${kc[@]}" strict
	sk_step "require_source_address: -a with the client's own address opens"
	sent_opens "$NS_C" "$SK_S4" "door=strict client=alice address=$SK_C4" \
		"${kc[@]}" -a "$SK_C4" strict
}

case_hup_broken() {
	std_setup
	sk_step "SIGHUP with a broken config (unknown key, alice removed)"
	{
		door ssh "$SEQ" "bob" "timeout = 30" "no_such_key = 1"
		client bob
	} | sk_conf_daemon
	sk_daemon_hup 'reload failed'
	grep -q 'sknockd.conf:[0-9]*: .*no_such_key' "$T/daemon.err" ||
		sk_fail "the reload error does not name file:line and the unknown key"
	sk_step "the old config still runs: alice opens"
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
}

case_unsigned() {
	local useq="7300/tcp, 7400/udp, 7500/udp"
	{
		door ssh "$SEQ" alice
		door classic "$useq" "" "signed = no" "timeout = 30"
		client alice
	} | sk_conf_daemon
	{ alias_sec classic "$SK_S4" classic "$useq" ""; } | sk_client_conf
	sk_daemon_start
	[ -x /usr/bin/knock ] ||
		sk_fail "/usr/bin/knock missing: install Debian's knockd (tests/deps.sh --peers)"
	sk_step "closed before"
	sk_expect_closed "$NS_C" "$SK_S4"
	sk_step "Debian's classic knock client opens the unsigned door (IPv4)"
	sent_opens "$NS_C" "$SK_S4" "door=classic client=- address=$SK_C4" \
		sk_in "$NS_C" /usr/bin/knock "$SK_S4" 7300:tcp 7400:udp 7500:udp
	sk_step "Debian's classic knock client, IPv6"
	sent_opens "$NS_C" "$SK_S6" "door=classic client=- address=$SK_C6" \
		sk_in "$NS_C" /usr/bin/knock -6 "$SK_S6" 7300:tcp 7400:udp 7500:udp
	sk_step "our knock without a key opens it from the third host (alias)"
	sent_opens "$NS_T" "$SK_S4" "door=classic client=- address=$SK_T4" \
		sk_knock "$NS_T" -c "$T/knock.conf" classic
	sk_step "our knock without a key, command-line form, IPv6 from the third host"
	sent_opens "$NS_T" "$SK_S6" "door=classic client=- address=$SK_T6" \
		sk_knock "$NS_T" -s "$useq" --door classic -p "$SK_PORT/tcp" "$SK_S6"
	sk_step "the signed door still refuses a classic knock on its sequence"
	knock_refused - "$SK_S4" sk_in "$NS_T" /usr/bin/knock "$SK_S4" 7000:tcp 8000:udp 9000:udp
}

case_wait() {
	std_setup
	sk_key mallory
	{ alias_sec mallory "$SK_S4" ssh "$SEQ" mallory; } >>"$T/knock.conf"
	local t0 rc
	sk_step "knock --wait with a key the server does not know returns 1"
	t0=$(sk_ms)
	sk_knock "$NS_C" -c "$T/knock.conf" --wait=2 mallory
	rc=$?
	[ "$rc" -eq 1 ] || sk_fail "knock --wait=2 (refused) returned $rc, want 1"
	[ $(($(sk_ms) - t0)) -le 6000 ] || sk_fail "knock --wait=2 took over 6 s"
	sk_expect_closed "$NS_C" "$SK_S4"
	sk_step "knock --wait returns 0 and the port is open right then"
	sk_knock "$NS_C" -c "$T/knock.conf" --wait=10 srv
	rc=$?
	[ "$rc" -eq 0 ] || sk_fail "knock --wait=10 (valid) returned $rc, want 0"
	sk_can_connect "$NS_C" "$SK_S4" || sk_fail "knock --wait returned 0 but the port is closed"
	sk_step "knock --wait, IPv6"
	sk_knock "$NS_C" -c "$T/knock.conf" --wait=10 srv6 ||
		sk_fail "knock --wait=10 srv6 returned $?"
	sk_can_connect "$NS_C" "$SK_S6" || sk_fail "IPv6 port closed after --wait"
}

# A real NAT: the client H sits behind the third host, which masquerades
# it to 10.66.0.3.  On a require_source_address door it must sign its
# public address; its private one, or none, opens nothing.
case_nat_router() {
	{
		door strict "7200/tcp, 8200/udp, 9200/udp" alice "require_source_address = yes"
		client alice
	} | sk_conf_daemon
	{ alias_sec strict "$SK_S4" strict "7200/tcp, 8200/udp, 9200/udp" alice; } |
		sk_client_conf
	sk_nat_host
	sk_daemon_start
	local kc=(sk_knock "$NS_H" -c "$T/knock.conf")
	sk_step "behind NAT: closed before"
	sk_expect_closed "$NS_H" "$SK_S4"
	sk_step "behind NAT: no signed address opens nothing"
	refused_logged "$SK_T4" strict "${kc[@]}" strict
	sk_expect_closed "$NS_H" "$SK_S4"
	sk_step "behind NAT: the private address signed opens nothing"
	refused_logged "$SK_T4" strict "${kc[@]}" -a "$SK_H4" strict
	sk_expect_closed "$NS_H" "$SK_S4"
	sk_step "behind NAT: the public address signed opens, through the NAT"
	sent_opens "$NS_H" "$SK_S4" "door=strict client=alice address=$SK_T4" \
		"${kc[@]}" -a "$SK_T4" strict
}

# A host name, as users give it: /etc/netns/NS/hosts (which `ip netns
# exec` mounts over /etc/hosts inside NS) names both server addresses;
# -4 and -6 pick the family, and the door opens for that family only.
case_hostname() {
	std_setup
	sk_hosts "$NS_C" "$SK_S4 server.test" "$SK_S6 server.test"
	{ alias_sec byname server.test ssh "$SEQ" alice; } >>"$T/knock.conf"
	sk_step "knock -6 server.test opens IPv6 only"
	sent_opens "$NS_C" "$SK_S6" "client=alice address=$SK_C6 " \
		sk_knock "$NS_C" -c "$T/knock.conf" -6 byname
	sk_expect_closed "$NS_C" "$SK_S4"
	sk_step "knock -4 with the plain-host form opens IPv4"
	sent_opens "$NS_C" "$SK_S4" "client=alice address=$SK_C4 " \
		sk_knock "$NS_C" -4 -s "$SEQ" -k "$T/alice.key" --door ssh \
		-p "$SK_PORT/tcp" server.test
}
