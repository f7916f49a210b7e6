#!/usr/bin/env bash
# run.sh [OUT]: the Debian packages, end to end, in bare Debian 12 roots
# (fresh-debian): build them (build.sh: mk-build-deps, dpkg-buildpackage,
# lintian), check lintian's verdict, then install them beside knockd in both
# orders, check, upgrade with a door open, remove, purge and check again
# (inside.sh).  OUT keeps the built packages (default: a temporary folder)
# so tests/systemd can boot them.  Exit 0 pass, 1 fail, 77 skipped (loudly).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
fresh=${SK_FRESH_DEBIAN:-$top/../shared/tools/fresh-debian}
[ -x "$fresh" ] || fresh=/work/shared/tools/fresh-debian
skip() { echo "*** SKIPPED: tests/pkg: $* ***"; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (fresh-debian makes bare roots)"
[ -x "$fresh" ] || skip "no fresh-debian tool at ../shared/tools/fresh-debian"
command -v unshare >/dev/null || skip "no unshare (util-linux)"

out=${1:-}
if [ -z "$out" ]; then
	out=$(mktemp -d /tmp/sknock-pkg.XXXXXX)
	trap 'rm -rf "$out"' EXIT
fi
t0=$SECONDS
bash "$here/build.sh" "$out" || { echo "[pkg] FAIL: the packages did not build"; exit 1; }
fails=0
echo "[pkg] lintian --pedantic (overrides in debian/*.lintian-overrides):"
sed 's/^/[pkg]   /' "$out/lintian.txt"
if grep -q '^E: ' "$out/lintian.txt"; then
	echo "[pkg] FAIL: lintian reports errors"; fails=$((fails + 1))
elif grep -q '^W: ' "$out/lintian.txt"; then
	echo "[pkg] FAIL: lintian warnings without an override"; fails=$((fails + 1))
else
	echo "[pkg] ok: lintian: no error, no warning left"
fi
t1=$SECONDS
"$fresh" -s "$here" -o "$out" -t 900 'bash /src/inside.sh' || fails=$((fails + 1))
echo "[pkg] build $((t1 - t0)) s, install checks $((SECONDS - t1)) s"
[ $fails -eq 0 ] && { echo "[pkg] PASS"; exit 0; }
echo "[pkg] FAIL"
exit 1
