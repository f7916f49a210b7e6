#!/usr/bin/env bash
# path.sh SKNOCKD: sknockd -t refuses a hook that someone other than root
# could change or swap: a group- or world-writable directory anywhere
# above it (as written, or along its real path), a symlink as the hook, a
# directory owned by another user; a sticky root directory (/tmp) passes.
set -uo pipefail
sknockd=$1
if [ "$(id -u)" != 0 ]; then
	echo "*** SKIPPED: needs root (files owned by another user) ***"
	exit 77
fi
tmp=$(mktemp -d /tmp/sknock-hookpath.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
fails=0
expect() {	# expect NAME STATUS PATTERN HOOK
	local name=$1 want=$2 pat=$3 out rc
	conf "$4"
	out=$("$sknockd" -t -c "$tmp/sknockd.conf" 2>&1); rc=$?
	if [ "$rc" -ne "$want" ] || ! grep -qE -- "$pat" <<<"$out"; then
		echo "[hooks/path] FAIL $name: exit $rc (want $want): $out"
		fails=$((fails + 1))
	else
		echo "[hooks/path] ok $name: $(grep -E -- "$pat" <<<"$out" | head -n 1)"
	fi
}
printf 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n' >"$tmp/a.key"
chmod 600 "$tmp/a.key"
conf() {
	printf '[daemon]\nhook = %s\nstate_dir = %s/state\n\n[door:ssh]\nsequence = 7000/tcp, 9000/udp\nopen = 22/tcp\nclients = alice\n\n[client:alice]\nkey = %s/a.key\n' \
		"$1" "$tmp" "$tmp" >"$tmp/sknockd.conf"
}
mkhook() { mkdir -p "${1%/*}" && printf '#!/bin/sh\nexit 0\n' >"$1" && chmod 755 "$1"; }

mkhook "$tmp/ok/lib/hook"
chmod 755 "$tmp/ok" "$tmp/ok/lib"
expect safe 0 '^configuration OK$' "$tmp/ok/lib/hook"

mkhook "$tmp/gw/lib/hook"
chmod 775 "$tmp/gw"
expect group-writable-dir 1 "$tmp/gw: mode 0775 lets group/others change it; run chmod go-w" "$tmp/gw/lib/hook"

mkhook "$tmp/ww/lib/hook"
chmod 777 "$tmp/ww/lib"
expect world-writable-dir 1 "$tmp/ww/lib: mode 0777" "$tmp/ww/lib/hook"

mkhook "$tmp/st/lib/hook"
chmod 1777 "$tmp/st"
chown nobody "$tmp/st"
expect sticky-dir-not-root 1 "$tmp/st: owned by uid" "$tmp/st/lib/hook"

mkhook "$tmp/own/lib/hook"
chown nobody "$tmp/own/lib"
expect other-owner-dir 1 "$tmp/own/lib: owned by uid" "$tmp/own/lib/hook"

ln -s "$tmp/ok/lib/hook" "$tmp/link-hook"
expect symlink-hook 1 "a symlink; give the path of the file itself" "$tmp/link-hook"

# A symlinked directory is followed, but both it and its target are checked.
mkhook "$tmp/real/lib/hook"
chmod 777 "$tmp/real"
ln -s "$tmp/real/lib" "$tmp/ok/linked"
expect symlinked-dir-to-unsafe 1 "$tmp/real: mode 0777" "$tmp/ok/linked/hook"
chmod 755 "$tmp/real"
expect symlinked-dir-to-safe 0 '^configuration OK$' "$tmp/ok/linked/hook"

[ $fails -eq 0 ] && { echo "[hooks/path] PASS"; exit 0; }
echo "[hooks/path] FAIL: $fails"; exit 1
