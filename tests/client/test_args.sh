#!/usr/bin/env bash
# test_args.sh: usage errors exit 2, other errors 1, each with a message
# that names the problem; --help/--version run with no config at all.
. "$(dirname "$0")/lib.sh"

v1=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
key=$(keyfile k1 "$v1")

expect 0 'dry-run prints one line per packet' 'help with no config' --help
expect 0 '^knock \(sknock\) [0-9]' 'version' --version
[ ! -e "$HOME/.config" ] && pass 'help and version wrote nothing' ||
  fail 'help/version created files in HOME'

expect 2 'no HOST given' 'no host'
expect 2 'unknown option' 'unknown option' -x 192.0.2.1
expect 2 'unknown option --bogus' 'unknown long option' --bogus 192.0.2.1
expect 2 '-c needs a value' 'option without its value' 192.0.2.1 -c
expect 2 'both give the sequence' '-s and ports after HOST' -s 7000 192.0.2.1 7001
expect 2 '^knock: 192.0.2.2: not a port' 'a second host is not a port' 192.0.2.1 192.0.2.2
expect 2 'one of -4 and -6' 'both families' -4 -6 -s 7000 192.0.2.1
expect 2 '--gap x' 'bad gap' --gap x -s 7000 192.0.2.1
expect 2 '--gap 70000' 'gap out of range' --gap 70000 -s 7000 192.0.2.1
expect 2 '--wait=soon' 'bad wait' --wait=soon -p 22 -s 7000 192.0.2.1
expect 2 '--wait=0' 'zero wait' --wait=0 -p 22 -s 7000 192.0.2.1
expect 2 '^knock: -s 7000/icmp' 'bad protocol in -s' -s 7000/icmp 192.0.2.1
expect 2 '^knock: -s 0/tcp' 'port 0 in -s' -s 0/tcp 192.0.2.1
expect 2 'at most 16 steps' 'too many steps' \
  -s 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17 192.0.2.1
expect 2 '^knock: -p 22/sctp' 'bad -p' -p 22/sctp -s 7000 192.0.2.1
expect 2 '^knock: -a 192.0.2' 'bad -a' -a 192.0.2 -k "$key" --door ssh \
  -s 7000/udp 192.0.2.1
expect 2 'unsigned' '-a without a key' -a 192.0.2.7 -s 7000 192.0.2.1
expect 2 'needs the door name' '-k without -d' -k "$key" -s 7000/udp 192.0.2.1
expect 2 'must be UDP' 'signed knock ending in tcp' -k "$key" --door ssh \
  -s 7000/udp,8000/tcp 192.0.2.1
expect 2 '--wait probes.*-p 22/tcp' '--wait without a port' --wait \
  -s 7000 192.0.2.1
expect 2 '--wait probes a TCP port.*53/udp' '--wait with a udp port' \
  --wait -p 53/udp -s 7000 192.0.2.1
expect 2 '--nonce 00: not 48 hex' 'short nonce' --nonce 00 -k "$key" --door ssh \
  -s 7000/udp --dry-run 192.0.2.1
expect 2 'takes no HOST' '--keygen with a host' --keygen x 192.0.2.1
expect 2 '--host is for --keygen' '--host without --keygen' --host h \
  -s 7000 192.0.2.1
expect 2 'lowercase' '--keygen with an upper-case name' --keygen MyServer
expect 2 'last step is not UDP' '--keygen with a tcp last step' \
  --keygen x -s 7000/udp,8000/tcp

# knockd's form: HOST PORT[:PROTO]...; each bad value is one line, exit 2.
expect 2 '^knock: 70000: not a port.*1-65535' 'positional port out of range' 192.0.2.1 7000 70000
[ "$(wc -l <"$tmp/err")" = 1 ] && pass "one line" || fail "not one line: $err"
expect 2 '^knock: 7000:sctp: unknown protocol sctp.*PORT:udp' ':sctp' 192.0.2.1 7000:sctp
[ "$(wc -l <"$tmp/err")" = 1 ] && pass "one line" || fail "not one line: $err"
expect 2 '^knock: 0: not a port' 'positional port 0' 192.0.2.1 0
expect 2 '^knock: -d ssh: not a number of milliseconds.*--door NAME' \
  '-d is the delay now, and says where the door went' -d ssh 192.0.2.1 7000
expect 2 '^knock: --proxy needs HOST PORT.*knock --proxy %h %p' '--proxy without a port' \
  --proxy 192.0.2.1
[ "$(wc -l <"$tmp/err")" = 1 ] && pass "one line" || fail "not one line: $err"
expect 2 '^knock: --proxy 192.0.2.1 ssh: ssh is not a port' '--proxy with a bad port' \
  --proxy 192.0.2.1 ssh
expect 2 'one of --proxy, --keygen' '--proxy and --keygen' --proxy --keygen x h 22
expect 0 '' 'knockd form, dry run' --dry-run -u 192.0.2.1 7000 8000:tcp 9000:udp
[ "$out" = $'192.0.2.1 udp/7000\n192.0.2.1 udp/8000\n192.0.2.1 udp/9000' ] &&
  pass "-u makes every port UDP, as knockd" || fail "-u: $out"
run --dry-run 192.0.2.1 7000 8000:udp 9000/udp 10000:TCP
[ "$status" = 0 ] && [ "$out" = $'192.0.2.1 tcp/7000\n192.0.2.1 udp/8000\n192.0.2.1 udp/9000\n192.0.2.1 tcp/10000' ] &&
  pass "PORT, PORT:udp, PORT/udp, PORT:TCP" || fail "positional ports: $status $out $err"
# knockd's client resolves PORT as a service too.
run --dry-run 192.0.2.1 ssh domain:udp
[ "$status" = 0 ] && [ "$out" = $'192.0.2.1 tcp/22\n192.0.2.1 udp/53' ] &&
  pass "service names after HOST, as knockd's client" || fail "services: $status $out $err"
expect 2 '^knock: nosuchservice: not a port' 'an unknown service' 192.0.2.1 nosuchservice
printf '[192.0.2.1]\nsequence = 1/udp\n[broken\n' >"$tmp/broken.conf"
run -c "$tmp/broken.conf" --dry-run 192.0.2.1 7000
[ "$status" = 0 ] && [ "$out" = '192.0.2.1 tcp/7000' ] &&
  pass "knockd's form reads no config" || fail "knockd form read the config: $status $out $err"

# Errors that are not usage errors: exit 1, naming the file.
expect 1 "no such alias: $HOME/.config/sknock/knock.conf does not exist" \
  'unknown alias without a config' myserver
expect 1 "$tmp/none.conf: no such file" '-c missing file' \
  -c "$tmp/none.conf" myserver
printf '[other]\nhost = 192.0.2.9\nsequence = 7000/udp\n' >"$tmp/other.conf"
expect 1 "no such alias: $tmp/other.conf has no section \[myserver\]" \
  'unknown alias with a config' -c "$tmp/other.conf" myserver
[ "$(wc -l <"$tmp/err")" = 1 ] && pass "one line" || fail "not one line: $err"
expect 1 "^knock: myserver: no such alias in $tmp/other.conf, and --proxy knocks an alias" \
  'unknown alias with --proxy' -c "$tmp/other.conf" --proxy myserver 22
chmod 644 "$key"
expect 1 "$key: mode 0644.*chmod 600 $key" 'key readable by others' \
  -k "$key" --door ssh -s 7000/udp --dry-run 192.0.2.1
expect 1 "$tmp/nokey: cannot open key file" 'missing key file' \
  -k "$tmp/nokey" --door ssh -s 7000/udp --dry-run 192.0.2.1
expect 1 'cannot resolve' 'unresolvable host' -s 7000 --dry-run \
  no-such-host.invalid
expect 1 'cannot resolve \(IPv6, -6\)' 'v4 address with -6' -6 -s 7000 \
  --dry-run 192.0.2.1

finish
