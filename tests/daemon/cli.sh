#!/usr/bin/env bash
# cli.sh SKNOCKD: options, usage errors and -t (config, keys, hook).
set -uo pipefail
sknockd=$1
tmp=$(mktemp -d /tmp/sknock-daemon-cli.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fails=0

# expect NAME STATUS PATTERN CMD...: exit status and a line in stdout+stderr.
expect() {
	local name=$1 want=$2 pat=$3 out rc; shift 3
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" -ne "$want" ] || ! grep -qE -- "$pat" <<< "$out"; then
		echo "FAIL $name: exit $rc (want $want), output:"
		printf '%s\n' "$out"; fails=$((fails + 1))
	else
		echo "ok $name"
	fi
}

printf 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n' > "$tmp/a.key"
chmod 600 "$tmp/a.key"
printf '#!/bin/sh\nexit 0\n' > "$tmp/hook"
chmod 755 "$tmp/hook"
conf() {  # conf FILE HOOK KEY
	cat > "$1" <<CONF
[daemon]
hook = $2
state_dir = $tmp/state

[door:ssh]
sequence = 7000/tcp, 9000/udp
open = 22/tcp
clients = alice

[client:alice]
key = $3
CONF
}
conf "$tmp/good.conf" "$tmp/hook" "$tmp/a.key"

expect version 0 '^sknockd [0-9]' "$sknockd" -V
expect help 0 'usage: sknockd' "$sknockd" -h
expect unknown-option 2 'usage' "$sknockd" -x
expect extra-argument 2 'unexpected argument' "$sknockd" -t extra
expect r-and-i 2 'exclude' "$sknockd" -r f.pcap -i lo
expect test-ok 0 '^configuration OK$' "$sknockd" -t -c "$tmp/good.conf"
expect test-missing-file 1 "nope.conf" "$sknockd" -t -c "$tmp/nope.conf"

cp "$tmp/a.key" "$tmp/loose.key"; chmod 644 "$tmp/loose.key"
conf "$tmp/loose.conf" "$tmp/hook" "$tmp/loose.key"
expect test-loose-key 1 "loose.key.*chmod 600" "$sknockd" -t -c "$tmp/loose.conf"

conf "$tmp/nokey.conf" "$tmp/hook" "$tmp/missing.key"
expect test-missing-key 1 "missing.key" "$sknockd" -t -c "$tmp/nokey.conf"

conf "$tmp/relhook.conf" "hook" "$tmp/a.key"
expect test-relative-hook 1 "not an absolute path" "$sknockd" -t -c "$tmp/relhook.conf"

cp "$tmp/hook" "$tmp/ww-hook"; chmod 777 "$tmp/ww-hook"
conf "$tmp/wwhook.conf" "$tmp/ww-hook" "$tmp/a.key"
expect test-writable-hook 1 "chmod go-w" "$sknockd" -t -c "$tmp/wwhook.conf"

printf '#!/bin/sh\n' > "$tmp/noexec"; chmod 644 "$tmp/noexec"
conf "$tmp/noexec.conf" "$tmp/noexec" "$tmp/a.key"
if [ "$(id -u)" = 0 ]; then
	# root passes access(X_OK) only if some x bit is set: still refused.
	expect test-noexec-hook 1 "not an executable" "$sknockd" -t -c "$tmp/noexec.conf"
fi

conf "$tmp/nohook.conf" "$tmp/absent-hook" "$tmp/a.key"
expect test-missing-hook 1 "absent-hook" "$sknockd" -t -c "$tmp/nohook.conf"

printf '[daemon]\nbogus = 1\n' > "$tmp/bad.conf"
expect test-unknown-key 1 "bogus" "$sknockd" -t -c "$tmp/bad.conf"

# Key problems and hook problems are all listed in one run.
conf "$tmp/two.conf" "$tmp/hook" "$tmp/missing.key"
sed -i 's/^\[door:ssh\]/[client:bob]\nkey = loose\n\n[door:ssh]/' "$tmp/two.conf"
sed -i "s|^key = loose|key = $tmp/loose.key|" "$tmp/two.conf"
expect test-every-key-error 1 "missing.key" "$sknockd" -t -c "$tmp/two.conf"
expect test-every-key-error-2 1 "loose.key" "$sknockd" -t -c "$tmp/two.conf"

# A config error does not hide a key error.
conf "$tmp/both.conf" "$tmp/hook" "$tmp/loose.key"
printf '[daemon]\nbogus = 1\n' >> "$tmp/both.conf"
expect test-conf-and-key-1 1 "bogus" "$sknockd" -t -c "$tmp/both.conf"
expect test-conf-and-key-2 1 "loose.key" "$sknockd" -t -c "$tmp/both.conf"

# A config with errors does not start the daemon; -n skips the hook check.
expect start-bad-config 1 "not starting" "$sknockd" -f -n -c "$tmp/bad.conf" -i lo

echo "cli: $fails failed"
[ "$fails" -eq 0 ]
