# live.sh: the client's live cases, run by tests/e2e/run.sh on the e2e
# namespaces (client C, third host T, server S on one bridge): ssh, scp,
# sftp, rsync and git through `ProxyCommand knock --proxy %h %p` with
# Debian's OpenSSH, `Match exec "knock --wait %h"`, the relay's throughput
# against a direct connection, dual stack with a route missing, fleet keys
# on two servers, and knockd's client beside ours on the same command lines.
# meson gives SK_SINK and SK_KNOCK_CAPTURE besides the e2e variables.

# tests/run-all.sh runs the suite again with the client built alone.
SK_KNOCK=${SK_KNOCK_ALONE:-$SK_KNOCK}
SEQ="7000/tcp, 8000/udp, 9000/udp"
SSH_PORT=2022 SINK_PORT=2023

# door_sec NAME OPEN CLIENTS [LINES...]: a [door:NAME] section.
door_sec() {
	local name=$1 open=$2 clients=$3
	shift 3
	printf '[door:%s]\nsequence = %s\nopen = %s\ntimeout = 60\n' "$name" "$SEQ" "$open"
	[ -n "$clients" ] && printf 'clients = %s\n' "$clients"
	printf '%s\n' "$@" ""
}

# client_sec NAME [KEYFILE]: a [client:NAME] section, its key made.
client_sec() {
	[ -n "${2:-}" ] || { [ -e "$T/$1.key" ] || sk_key "$1"; }
	printf '[client:%s]\nkey = %s\n\n' "$1" "${2:-$T/$1.key}"
}

# alias_sec NAME HOST OPEN KEY [LINES...]: a knock.conf section.
alias_sec() {
	local name=$1 host=$2 open=$3 key=$4
	shift 4
	printf '[%s]\nhost = %s\ndoor = ssh\nsequence = %s\nopen = %s\nkey = %s\n' \
		"$name" "$host" "$SEQ" "$open" "$key"
	printf '%s\n' "$@" ""
}

# in_c CMD...: run CMD in the client namespace, output to knock.err.
in_c() { echo "+ $*" >>"$T/knock.err"; sk_in "$NS_C" "$@" >>"$T/knock.err" 2>&1; }

_sk_listening() { sk_in "$1" ss -Hltn "sport = :$2" | grep -q LISTEN; }

# sshd_start: Debian's sshd in S on SSH_PORT (both families), a key pair
# for root, and $T/ssh_config for the client.
sshd_start() {
	sk_step "start Debian's sshd in the server namespace"
	[ -x /usr/sbin/sshd ] || sk_fail "/usr/sbin/sshd missing: install openssh-server (tests/deps.sh)"
	mkdir -p /run/sshd
	ssh-keygen -q -t ed25519 -N '' -f "$T/hostkey" || sk_fatal "host key"
	ssh-keygen -q -t ed25519 -N '' -f "$T/id" || sk_fatal "user key"
	cp "$T/id.pub" "$T/authorized_keys"
	cat >"$T/sshd_config" <<-EOF
	Port $SSH_PORT
	ListenAddress 0.0.0.0
	ListenAddress ::
	HostKey $T/hostkey
	AuthorizedKeysFile $T/authorized_keys
	PermitRootLogin prohibit-password
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	UsePAM no
	StrictModes no
	PidFile none
	Subsystem sftp internal-sftp
	LogLevel ERROR
	EOF
	ip netns exec "$NS_S" /usr/sbin/sshd -D -e -f "$T/sshd_config" 2>>"$T/sshd.err" &
	sk_track $!
	sk_poll 10 _sk_listening "$NS_S" "$SSH_PORT" || sk_fatal "sshd not listening: $(cat "$T/sshd.err")"
	# Everything but the way in: ProxyCommand or Match exec, per host.
	cat >"$T/ssh_common" <<-EOF
	    User root
	    Port $SSH_PORT
	    IdentityFile $T/id
	    IdentitiesOnly yes
	    StrictHostKeyChecking no
	    UserKnownHostsFile /dev/null
	    BatchMode yes
	    LogLevel ERROR
	    ConnectTimeout 10
	EOF
}

# ssh_conf < HOST_BLOCKS: $T/ssh_config, each Host block then the common part.
ssh_conf() {
	{ cat; printf 'Host *\n'; cat "$T/ssh_common"; } >"$T/ssh_config"
}

# std_ssh: door ssh for alice opening SSH_PORT, aliases for both
# families, daemon and sshd up, ProxyCommand hosts srv and srv6.
std_ssh() {
	{
		door_sec ssh "$SSH_PORT/tcp" alice
		client_sec alice
	} | sk_conf_daemon
	{
		alias_sec srv "$SK_S4" "$SSH_PORT/tcp" "$T/alice.key"
		alias_sec srv6 "$SK_S6" "$SSH_PORT/tcp" "$T/alice.key"
	} | sk_client_conf
	sk_daemon_start
	sshd_start
	local pc="ProxyCommand $SK_KNOCK -c $T/knock.conf --wait=5 --proxy %h %p"
	printf 'Host srv\n    HostName %s\n    %s\nHost srv6\n    HostName %s\n    %s\n' \
		"$SK_S4" "$pc" "$SK_S6" "$pc" | ssh_conf
}

# closed_ssh NS ADDR: a direct ssh (no knock: no ProxyCommand, no Match)
# does not get through.
closed_ssh() {
	{ printf 'Host *\n'; cat "$T/ssh_common"; } >"$T/ssh_plain"
	sk_in "$1" ssh -F "$T/ssh_plain" -o ConnectTimeout=2 \
		-p "$SSH_PORT" "root@$2" true 2>/dev/null &&
		sk_fail "ssh to $2 got through without a knock"
	return 0
}

# sha FILE: its SHA-256.
sha() { sha256sum <"$1" | cut -d' ' -f1; }

case_proxy_ssh() {
	std_ssh
	head -c $((10 * 1024 * 1024)) /dev/urandom >"$T/big" || sk_fatal "test file"
	local want h n out
	want=$(sha "$T/big")
	git init -q -b main "$T/work" && echo sknock >"$T/work/f" &&
		git -C "$T/work" add f &&
		git -C "$T/work" -c user.name=t -c user.email=t@t commit -qm "first commit" &&
		git init -q --bare -b main "$T/repo.git" &&
		git -C "$T/work" push -q "$T/repo.git" main || sk_fatal "git repositories"
	for h in srv srv6; do
		local addr=$SK_S4 caddr=$SK_C4
		[ "$h" = srv6 ] && addr=$SK_S6 caddr=$SK_C6
		sk_step "$h: closed to a direct ssh before the knock"
		closed_ssh "$NS_C" "$addr"
		sk_step "$h: ssh through ProxyCommand knock --proxy"
		n=$(sk_opens "address=$caddr ")
		out=$(sk_in "$NS_C" ssh -F "$T/ssh_config" "$h" 'echo hello-$((6*7))' 2>>"$T/knock.err") ||
			sk_fail "ssh $h failed: $(tail -3 "$T/knock.err")"
		[ "$out" = hello-42 ] || sk_fail "ssh $h said '$out'"
		[ "$(sk_opens "address=$caddr ")" -gt "$n" ] || sk_fail "ssh $h went in without an open line"
		sk_step "$h: scp of 10 MiB, checksum compared"
		in_c scp -F "$T/ssh_config" -q "$T/big" "$h:$T/scp.$h" || sk_fail "scp to $h"
		[ "$(sha "$T/scp.$h")" = "$want" ] || sk_fail "scp to $h: checksum differs"
		in_c scp -F "$T/ssh_config" -q "$h:$T/scp.$h" "$T/scp.back.$h" || sk_fail "scp from $h"
		[ "$(sha "$T/scp.back.$h")" = "$want" ] || sk_fail "scp from $h: checksum differs"
		sk_step "$h: sftp put and get"
		printf 'put %s %s\nget %s %s\n' "$T/big" "$T/sftp.$h" "$T/sftp.$h" "$T/sftp.back.$h" >"$T/sftp.batch"
		in_c sftp -F "$T/ssh_config" -q -b "$T/sftp.batch" "$h" || sk_fail "sftp $h"
		[ "$(sha "$T/sftp.back.$h")" = "$want" ] || sk_fail "sftp $h: checksum differs"
		sk_step "$h: rsync over ssh"
		in_c rsync -e "ssh -F $T/ssh_config" "$T/big" "$h:$T/rsync.$h" || sk_fail "rsync $h"
		[ "$(sha "$T/rsync.$h")" = "$want" ] || sk_fail "rsync $h: checksum differs"
		sk_step "$h: git clone over ssh from a bare repository"
		in_c env GIT_SSH_COMMAND="ssh -F $T/ssh_config" git clone -q "$h:$T/repo.git" "$T/clone.$h" ||
			sk_fail "git clone from $h"
		[ "$(git -C "$T/clone.$h" log -1 --format=%s)" = "first commit" ] &&
			cmp -s "$T/work/f" "$T/clone.$h/f" || sk_fail "git clone from $h: wrong content"
	done
}

# proxy_fails NS HOST ALIAS MSG_ERE: ssh through the ProxyCommand fails,
# in bounded time, with knock's message; knock --proxy ALIAS exits 1.
proxy_fails() {
	local ns=$1 h=$2 alias=$3 ere=$4 t0 el rc
	t0=$(sk_ms)
	sk_in "$ns" timeout 30 ssh -F "$T/ssh_config" "$h" true 2>"$T/fail.err"
	rc=$?
	el=$(($(sk_ms) - t0))
	[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] || sk_fail "ssh $h: exit $rc (124: hung)"
	[ "$el" -lt 15000 ] || sk_fail "ssh $h took $el ms to fail"
	grep -Eq -- "$ere" "$T/fail.err" || sk_fail "ssh $h: no clear message: $(cat "$T/fail.err")"
	sk_in "$ns" timeout 30 "$SK_KNOCK" -c "$T/knock.conf" --wait=3 --proxy "$alias" \
		"$SSH_PORT" </dev/null >/dev/null 2>"$T/fail2.err"
	rc=$?
	[ "$rc" = 1 ] || sk_fail "knock --proxy $alias: exit $rc, want 1: $(cat "$T/fail2.err")"
	[ "$(wc -l <"$T/fail2.err")" = 1 ] && grep -q "^knock: $alias ($SK_S4) tcp/$SSH_PORT did not accept a connection within 3 s" "$T/fail2.err" ||
		sk_fail "knock --proxy $alias: $(cat "$T/fail2.err")"
}

case_proxy_fail() {
	std_ssh
	sk_key mallory
	alias_sec wrongkey "$SK_S4" "$SSH_PORT/tcp" "$T/mallory.key" >>"$T/knock.conf"
	local pc="ProxyCommand $SK_KNOCK -c $T/knock.conf --wait=3 --proxy"
	{
		printf 'Host wrongkey\n    HostName %s\n    %s wrongkey %%p\n' "$SK_S4" "$pc"
		printf 'Host srv3\n    HostName %s\n    %s %%h %%p\n' "$SK_S4" "$pc"
	} | ssh_conf
	local tail="tcp/$SSH_PORT did not accept a connection within 3 s"
	sk_step "a wrong key: ssh ends with knock's message, knock exits 1"
	proxy_fails "$NS_C" wrongkey wrongkey "^knock: wrongkey \\($SK_S4\\) $tail"
	sk_daemon_stop
	sk_step "a stopped daemon (the guard stays): the same, from the third host"
	proxy_fails "$NS_T" srv3 srv "^knock: $SK_S4 \\($SK_S4\\) $tail"
}

case_match_exec() {
	std_ssh
	printf 'Host srvm\n    HostName %s\nMatch host %s exec "%s -c %s --wait=5 %%h"\n    ForwardAgent no\n' \
		"$SK_S4" "$SK_S4" "$SK_KNOCK" "$T/knock.conf" | ssh_conf
	sk_step "closed before"
	closed_ssh "$NS_C" "$SK_S4"
	sk_step "Match host X exec \"knock --wait %h\" opens before ssh connects"
	local n out
	n=$(sk_opens "address=$SK_C4 ")
	out=$(sk_in "$NS_C" ssh -F "$T/ssh_config" srvm 'echo via-match' 2>>"$T/knock.err") ||
		sk_fail "ssh srvm: $(tail -3 "$T/knock.err")"
	[ "$out" = via-match ] || sk_fail "ssh srvm said '$out'"
	[ "$(sk_opens "address=$SK_C4 ")" -gt "$n" ] || sk_fail "no open line for the Match exec knock"
}

# one_run NAME CMD...: CMD with the test file on stdin (it prints the
# byte count the sink answered); sets el (ms) and mib (MiB/s) of the run.
one_run() {
	local name=$1 t0 got
	shift
	t0=$(sk_ms)
	got=$(sk_in "$NS_C" "$@" <"$T/blob" 2>>"$T/knock.err") || sk_fail "$name run failed"
	el=$(($(sk_ms) - t0))
	[ "$got" = "$blob_len" ] || sk_fail "$name: the sink got '$got' of $blob_len bytes"
	mib=$((blob_len * 1000 / 1048576 / (el > 0 ? el : 1)))
	sk_log "$name: $el ms, $mib MiB/s"
}

case_proxy_throughput() {
	{
		door_sec ssh "$SINK_PORT/tcp" alice
		client_sec alice
	} | sk_conf_daemon
	alias_sec sink "$SK_S4" "$SINK_PORT/tcp" "$T/alice.key" | sk_client_conf
	sk_daemon_start
	ip netns exec "$NS_S" "$SK_SINK" -l "$SINK_PORT" -r "$T/sink.ready" -t 200 &
	sk_track $!
	sk_poll 5 test -e "$T/sink.ready" || sk_fatal "sink not ready"
	blob_len=$((256 * 1024 * 1024))
	head -c "$blob_len" /dev/zero >"$T/blob" || sk_fatal "test file"
	sk_step "knock --wait, so the direct path is open too"
	sk_knock "$NS_C" -c "$T/knock.conf" --wait=5 sink || sk_fail "knock --wait sink"
	# Interleaved rounds and whole totals: a loaded machine slows both
	# paths alike, and one lucky run decides nothing.
	sk_step "256 MiB, five rounds of direct then through --proxy"
	local td=0 tp=0 i el mib direct proxy
	for i in 1 2 3 4 5; do
		one_run direct "$SK_SINK" -c "$SK_S4" "$SINK_PORT"
		td=$((td + el))
		one_run proxy "$SK_KNOCK" -c "$T/knock.conf" --proxy sink "$SINK_PORT"
		tp=$((tp + el))
	done
	direct=$((5 * blob_len * 1000 / 1048576 / (td > 0 ? td : 1)))
	proxy=$((5 * blob_len * 1000 / 1048576 / (tp > 0 ? tp : 1)))
	echo "relay_direct $direct MiB/s"
	echo "relay_proxy $proxy MiB/s"
	echo "relay_ratio $((td * 100 / (tp > 0 ? tp : 1))) %"
	sk_log "relay: direct $direct MiB/s, --proxy $proxy MiB/s"
	# Target 90 %; a loaded machine gets a margin, not a free pass.
	[ $((td * 100)) -ge $((tp * 75)) ] ||
		sk_fail "--proxy relays $proxy MiB/s, direct $direct MiB/s: under 75 %"
}

# routes NS add|del: the client's on-link routes of both families.
route6() { sk_in "$NS_C" ip -6 route "$1" fd00:66::/64 dev eth0 || sk_fatal "ip -6 route $1"; }
route4() { sk_in "$NS_C" ip -4 route "$1" 10.66.0.0/24 dev eth0 || sk_fatal "ip -4 route $1"; }

case_dualstack() {
	{
		door_sec ssh "$SK_PORT/tcp" alice
		client_sec alice
	} | sk_conf_daemon
	alias_sec dual srv.test "$SK_PORT/tcp" "$T/alice.key" | sk_client_conf
	sk_hosts "$NS_C" "$SK_S4 srv.test" "$SK_S6 srv.test"
	sk_daemon_start
	local n4 n6
	sk_step "the client's IPv6 route missing: IPv4 goes out, IPv6 is a -v note"
	route6 del
	n4=$(sk_opens "address=$SK_C4 ") n6=$(sk_opens "address=$SK_C6 ")
	sk_in "$NS_C" "$SK_KNOCK" -v -c "$T/knock.conf" dual 2>"$T/ds.err" ||
		sk_fail "knock with one family missing failed: $(cat "$T/ds.err")"
	grep -Eq "skipped: step [0-9]/3 \(.*\) to $SK_S6: socket: Network is unreachable" "$T/ds.err" ||
		sk_fail "-v does not say IPv6 was skipped: $(cat "$T/ds.err")"
	sk_wait_open "address=$SK_C4 " "$n4"
	sk_in "$NS_C" "$SK_KNOCK" -c "$T/knock.conf" dual 2>"$T/ds.err" && [ ! -s "$T/ds.err" ] ||
		sk_fail "without -v a skipped family is silent: $(cat "$T/ds.err")"
	sk_barrier
	[ "$(sk_opens "address=$SK_C6 ")" = "$n6" ] || sk_fail "an IPv6 open without a route"
	sk_expect_open "$NS_C" "$SK_S4"
	sk_step "the route back: both families open"
	route6 add
	knock_opens "$NS_C" dual "$SK_S6" "address=$SK_C6 "
	sk_step "--wait takes the first address that answers"
	sk_knock "$NS_C" -c "$T/knock.conf" --wait=5 dual || sk_fail "knock --wait dual"
	sk_step "no route at all: exit 1, both failures said"
	route4 del
	route6 del
	sk_in "$NS_C" "$SK_KNOCK" -c "$T/knock.conf" dual 2>"$T/ds.err"
	[ $? = 1 ] && grep -q "to $SK_S4: socket" "$T/ds.err" && grep -q "to $SK_S6: socket" "$T/ds.err" ||
		sk_fail "no family out: $(cat "$T/ds.err")"
	route4 add
	route6 add
}

# web02_start: a second server, web02, in the third host's namespace: its
# own sknockd (the same nft hook), key and listener.
web02_start() {
	sk_step "start web02's sknockd in the third namespace"
	mkdir -m 700 "$T/state2"
	{
		printf '[daemon]\ninterface = eth0\nhook = %s\nstate_dir = %s\n\n' \
			"$T/hooks/${SK_HOOK##*/}" "$T/state2"
		door_sec ssh "$SK_PORT/tcp" web02
		client_sec web02 "$T/web02.srv"
	} >"$T/web02.conf"
	ip netns exec "$NS_T" "$SK_TOOLS/listen" -p "$SK_PORT" -t 600 -r "$T/listen2.ready" &
	sk_track $!
	ip netns exec "$NS_T" "$SK_SKNOCKD" -c "$T/web02.conf" -f >>"$T/web02.out" 2>>"$T/web02.err" &
	web02_pid=$!
	sk_track "$web02_pid"
	sk_poll 15 grep -q ready "$T/web02.err" || sk_fail "web02: no ready line: $(cat "$T/web02.err")"
	sk_poll 10 sk_in "$NS_T" nft list chain inet sknock input >/dev/null 2>&1 ||
		sk_fail "web02: no guard"
	sk_poll 5 test -e "$T/listen2.ready" || sk_fatal "web02's listener"
}

web02_opens() { grep -c "^open door=ssh client=web02 address=$SK_C4 " "$T/web02.out"; }
_web02_more() { [ "$(web02_opens)" -gt "$1" ]; }

case_fleet() {
	sk_step "a fleet key and the two server keys derived from it"
	(umask 077 && head -c 32 /dev/urandom | base64 >"$T/fleet.key") || sk_fatal "fleet key"
	local s
	for s in web01 web02; do
		(umask 077 && "$SK_KNOCK" --derive "$s" -k "$T/fleet.key" >"$T/$s.srv") ||
			sk_fail "knock --derive $s"
	done
	cmp -s "$T/web01.srv" "$T/web02.srv" && sk_fail "web01 and web02 got the same key"
	{
		door_sec ssh "$SK_PORT/tcp" web01
		client_sec web01 "$T/web01.srv"
	} | sk_conf_daemon
	{
		alias_sec web01 "$SK_S4" "$SK_PORT/tcp" "$T/fleet.key" "derive = web01"
		alias_sec web02 "$SK_T4" "$SK_PORT/tcp" "$T/fleet.key" "derive = web02"
	} | sk_client_conf
	sk_daemon_start
	web02_start
	sk_step "knock web01 through its alias, capturing the token on the way"
	ip netns exec "$NS_S" "$SK_KNOCK_CAPTURE" eth0 "dst host $SK_S4 and udp dst port 9000" 1 10 \
		>"$T/tok.cap" 2>>"$T/knock.err" &
	local cap=$! mac tok n
	sk_track "$cap"
	sk_poll 5 grep -q ready "$T/tok.cap" || sk_fatal "capture not ready"
	knock_opens_web01
	wait "$cap" || sk_fatal "no token captured"
	sk_untrack "$cap"
	tok=$(awk '$1 == "udp" && $3 == 88 {print $4}' "$T/tok.cap")
	[ ${#tok} = 176 ] || sk_fatal "captured: $(cat "$T/tok.cap")"
	sk_step "the captured token replayed to web02, from the client's own address"
	printf "$(sed 's/../\\x&/g' <<<"$tok")" >"$T/tok.bin"
	mac=$(ip -n "$NS_T" -br link show eth0 | awk '{print $3}')
	n=$(web02_opens)
	sk_in "$NS_C" "$SK_TOOLS/sendraw" -i eth0 -m "$mac" -s "$SK_C4" -d "$SK_T4" \
		syn:7000 udp:8000:0 "udpfile:9000:$T/tok.bin" || sk_fatal "sendraw to web02"
	sk_step "web02 refuses it, and its own alias opens it"
	sk_knock "$NS_C" -c "$T/knock.conf" web02 || sk_fail "knock web02"
	sk_poll 5 _web02_more "$n" || sk_fail "web02's own knock did not open: $(tail -5 "$T/web02.err")"
	# One interface, in order: the replay was decided before this open.
	[ "$(web02_opens)" = $((n + 1)) ] || sk_fail "web02 opened for the replayed token: $(cat "$T/web02.out")"
	grep -q "rejected token from $SK_C4 door=ssh" "$T/web02.err" ||
		sk_fail "web02 logged no refusal naming $SK_C4: $(cat "$T/web02.err")"
	sk_poll 5 sk_can_connect "$NS_C" "$SK_T4" || sk_fail "web02's port stays closed"
}

knock_opens_web01() {
	local n
	n=$(sk_opens "client=web01 address=$SK_C4 ")
	sk_in "$NS_C" "$SK_KNOCK" -c "$T/knock.conf" web01 >>"$T/knock.err" 2>&1 || sk_fail "knock web01"
	sk_wait_open "client=web01 address=$SK_C4 " "$n"
	sk_expect_open "$NS_C" "$SK_S4"
}

# The command lines run through knockd's client and ours (a closed set:
# the README and the report list them).
KNOCKD_LINES=(
	"@S4 7100 7200:udp 7300"
	"-d 50 @S4 7100 7200:udp 7300"
	"--delay 20 @S4 7100:tcp 7200:udp 7300:tcp"
	"-v @S4 7100 7200:udp 7300"
	"-4 @S4 7100 7200:udp 7300"
	"-u @S4 7400 7500 7600"
	"--udp --verbose @S4 7400 7500:udp 7600"
	"-6 @S6 7100 7200:udp 7300"
	"--ipv6 -d 10 @S6 7400:udp 7500:udp 7600:udp"
	"srv4.test 7100 7200:udp 7300"
	"@S4 ssh domain:udp 7300"
)

# wire TAG NS CLI LINE PROG...: what arrives at the server for one knock
# (PROG LINE from NS), one line per packet in $T/wire.TAG, UDP payload
# lengths dropped (knockd's client sends one byte, ours none).
wire() {
	local out=$T/wire.$1 ns=$2 cli=$3 line=$4 cap
	shift 4
	rm -f "$T/w.cap"
	ip netns exec "$NS_S" "$SK_KNOCK_CAPTURE" eth0 \
		"src host $cli and (portrange 7100-7600 or port 22 or port 53)" 3 10 >"$T/w.cap" 2>>"$T/knock.err" &
	cap=$!
	sk_track "$cap"
	sk_poll 5 grep -q ready "$T/w.cap" || sk_fatal "capture not ready"
	# shellcheck disable=SC2086
	sk_in "$ns" "$@" $line >"$out.stdout" 2>>"$T/knock.err" || sk_fail "$* $line failed"
	wait "$cap" || sk_fail "$* $line: 3 packets did not arrive: $(cat "$T/w.cap")"
	sk_untrack "$cap"
	tail -n +2 "$T/w.cap" | awk '{print $1, $2, ($1 == "tcp" ? $3 : "")}' >"$out"
}

case_knockd_cmdlines() {
	[ -x /usr/bin/knock ] && [ -x /usr/sbin/knockd ] ||
		sk_fail "Debian's knockd missing: tests/deps.sh --peers"
	{
		printf '[door:classic]\nsequence = 7100/tcp, 7200/udp, 7300/tcp\nopen = %s/tcp\nsigned = no\ntimeout = 30\n\n' "$SK_PORT"
		printf '[door:classicu]\nsequence = 7400/udp, 7500/udp, 7600/udp\nopen = %s/tcp\nsigned = no\ntimeout = 30\n\n' "$SK_PORT"
		printf '[door:services]\nsequence = 22/tcp, 53/udp, 7300/tcp\nopen = %s/tcp\nsigned = no\ntimeout = 30\n\n' "$SK_PORT"
	} | sk_conf_daemon
	sk_daemon_start
	cat >"$T/knockd.conf" <<-EOF
	[options]
	    LogFile = $T/knockd.log
	[classic]
	    sequence    = 7100:tcp,7200:udp,7300:tcp
	    seq_timeout = 10
	    tcpflags    = syn
	    command     = /bin/true
	[classicu]
	    sequence    = 7400:udp,7500:udp,7600:udp
	    seq_timeout = 10
	    command     = /bin/true
	[services]
	    sequence    = 22:tcp,53:udp,7300:tcp
	    seq_timeout = 10
	    tcpflags    = syn
	    command     = /bin/true
	EOF
	ip netns exec "$NS_S" knockd -c "$T/knockd.conf" -i eth0 -v >"$T/knockd.out" 2>&1 &
	sk_track $!
	sk_poll 10 grep -q listening "$T/knockd.out" || sk_fatal "knockd: $(cat "$T/knockd.out")"
	sk_hosts "$NS_C" "$SK_S4 srv4.test"
	local l line cli n k
	for l in "${KNOCKD_LINES[@]}"; do
		line=${l//@S4/$SK_S4}
		line=${line//@S6/$SK_S6}
		cli=$SK_C4
		[[ $line == *"$SK_S6"* ]] && cli=$SK_C6
		sk_step "knock $line: knockd's client, then ours"
		n=$(sk_opens "address=$cli ")
		k=$(grep -c 'OPEN SESAME' "$T/knockd.log")
		wire knockd "$NS_C" "$cli" "$line" /usr/bin/knock
		sk_wait_open "address=$cli " "$n"
		sk_poll 5 _sk_grep_more "$T/knockd.log" 'OPEN SESAME' "$k" || sk_fail "knockd did not open for its own client"
		n=$(sk_opens "address=$cli ")
		k=$(grep -c 'OPEN SESAME' "$T/knockd.log")
		wire ours "$NS_C" "$cli" "$line" "$SK_KNOCK"
		[ "$(wc -l <"$T/wire.ours")" = 3 ] && cmp -s "$T/wire.knockd" "$T/wire.ours" ||
			sk_fail "knock $line: on the wire, knockd's client:"$'\n'"$(cat "$T/wire.knockd")"$'\n'"ours:"$'\n'"$(cat "$T/wire.ours")"
		# And what they print on stdout (-v: knockd's "hitting" lines).
		cmp -s "$T/wire.knockd.stdout" "$T/wire.ours.stdout" ||
			sk_fail "knock $line: knockd's client printed:"$'\n'"$(cat "$T/wire.knockd.stdout")"$'\n'"ours:"$'\n'"$(cat "$T/wire.ours.stdout")"
		sk_wait_open "address=$cli " "$n"
		sk_poll 5 _sk_grep_more "$T/knockd.log" 'OPEN SESAME' "$k" || sk_fail "knockd did not open for ours"
		sk_log "same on the wire: knock $l"
	done
}

# A global address on each side (2001:db8:66::/64, documentation space:
# global unicast by the client's rule, and never routed out of the
# namespaces), beside the ULA ones.
SK_G_S=2001:db8:66::1 SK_G_C=2001:db8:66::2

case_own_source() {
	sk_in "$NS_S" ip addr add "$SK_G_S/64" dev eth0 nodad || sk_fatal "global address on S"
	sk_in "$NS_C" ip addr add "$SK_G_C/64" dev eth0 nodad || sk_fatal "global address on C"
	{
		door_sec ssh "$SK_PORT/tcp" alice "require_source_address = yes"
		client_sec alice
	} | sk_conf_daemon
	{
		alias_sec global "$SK_G_S" "$SK_PORT/tcp" "$T/alice.key"
		alias_sec ula "$SK_S6" "$SK_PORT/tcp" "$T/alice.key"
	} | sk_client_conf
	sk_daemon_start
	sk_step "from a global source, no -a: knock signs it, the door opens"
	sk_expect_closed "$NS_C" "$SK_G_S"
	local n
	n=$(sk_opens "address=$SK_G_C ")
	sk_knock "$NS_C" -c "$T/knock.conf" global || sk_fail "knock global"
	sk_wait_open "client=alice address=$SK_G_C " "$n"
	sk_expect_open "$NS_C" "$SK_G_S"
	sk_step "from a ULA source (NAT likely), no address signed: refused"
	n=$(sk_opens)
	sk_knock "$NS_C" -c "$T/knock.conf" ula || sk_fail "knock ula"
	sk_barrier
	sk_no_open_since "$n"
	sk_expect_closed "$NS_C" "$SK_S6"
	sk_step "the same with -a and its own address: opens"
	sk_knock "$NS_C" -c "$T/knock.conf" -a "$SK_C6" ula || sk_fail "knock ula -a"
	sk_wait_open "client=alice address=$SK_C6 " 0
	sk_expect_open "$NS_C" "$SK_S6"
}
