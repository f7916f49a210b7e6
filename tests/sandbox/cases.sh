# cases.sh: the capture child's sandbox, from the outside, in a test build
# (meson -Dsandbox_test=true): a UDP datagram "SKNOCK-SANDBOX-TEST WORD"
# to a step port makes the child do WORD (daemon/child_test.c).  Each
# case shows the child is killed or replaced, the door stays shut, the
# parent lives on and the next knock opens.  e2e topology and driver.

# shellcheck source=../privsep/cases.sh
. "$SK_PRIVSEP_CASES"

# magic WORD: the datagram, from the client, to step port 9000/udp.
magic() {
	sk_in "$NS_C" bash -c "printf 'SKNOCK-SANDBOX-TEST %s' '$1' >/dev/udp/$SK_S4/9000" ||
		sk_fatal "send magic $1"
}

# misbehave WORD ERE: the child does WORD, the parent logs ERE about it
# and replaces it; the door stays shut meanwhile, then opens for a knock.
misbehave() {
	local word=$1 ere=$2 old n ms r
	old=$(child_pid) n=$(child_count)
	r=$(grep -c 'replacing it' "$T/daemon.err")
	sk_step "the child ($old) tries to $word"
	magic "$word"
	sk_poll 5 _child_more "$n" || sk_fail "no new capture child after '$word'"
	# Its status is logged when it is reaped, maybe after its successor.
	sk_poll 5 _log_has "capture child $old $ere" ||
		sk_fail "no log line /capture child $old $ere/"
	[ "$(grep -c 'replacing it' "$T/daemon.err")" -eq $((r + 1)) ] ||
		sk_fail "more than one replacement for one fault"
	ms=$(sed -n "s/^<6>capture child $(child_pid) up: .*, \([0-9]*\) ms after the last one ended/\1/p" "$T/daemon.err")
	echo "sandbox_${word}_replace_ms ${ms:-?} ms"
	sk_daemon_alive || sk_fail "the parent died"
	sk_no_open_since 0
	sk_expect_closed "$NS_C" "$SK_S4"
}

SIGSYS_ERE='killed by signal 31'

case_open() {
	std_setup
	misbehave open "$SIGSYS_ERE"
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
}

case_socket() {
	std_setup
	misbehave socket "$SIGSYS_ERE"
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
}

case_exec() {
	std_setup
	misbehave exec "$SIGSYS_ERE"
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
}

case_hang() {
	std_setup
	misbehave hang "sent nothing for [0-9]+ ms \\(hung\\)"
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
}

case_garbage() {
	std_setup
	misbehave garbage "sent a malformed message \\(not exactly one message long\\)"
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
}

# A decoder crash in the middle of a knock: the steps were seen by the
# child that died, the token reaches its successor: nothing opens.
case_abort() {
	std_setup
	local old n
	old=$(child_pid) n=$(child_count)
	sk_step "steps 1 and 2, then the decoder crashes, then the token"
	sk_token "$T/ok.tok" -k "$T/alice.key" -d ssh -t 0
	sk_raw "$NS_C" "$SK_C4" "$SK_S4" syn:7000 udp:8000:0
	magic abort
	sk_poll 5 _child_more "$n" || sk_fail "no new capture child after the crash"
	sk_poll 5 _log_has "capture child $old killed by signal 6" ||
		sk_fail "the crash is not logged as SIGABRT"
	knock_refused "$NS_C" "$SK_S4" sk_raw "$NS_C" "$SK_C4" "$SK_S4" "udpfile:9000:$T/ok.tok"
	sk_step "a whole knock opens"
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
}

# A child that dies in a loop is replaced with a growing delay.
case_crash_loop() {
	std_setup
	local i n
	for ((i = 1; i <= 4; i++)); do
		n=$(child_count)
		sk_step "crash $i"
		magic abort
		sk_poll 10 _child_more "$n" || sk_fail "no child after crash $i"
	done
	sk_step "the delay grew: 0, 250, 500, 1000 ms"
	_log_has 'died 2 times in a row; next one in 250 ms' || sk_fail "no 250 ms delay"
	_log_has 'died 3 times in a row; next one in 500 ms' || sk_fail "no 500 ms delay"
	_log_has 'died 4 times in a row; next one in 1000 ms' || sk_fail "no 1000 ms delay"
	sk_no_open_since 0
	knock_opens "$NS_C" srv "$SK_S4" "client=alice address=$SK_C4"
}
