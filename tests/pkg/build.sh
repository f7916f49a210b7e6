#!/usr/bin/env bash
# build.sh OUT: build the Debian packages of this tree twice in a bare
# Debian 12 root (fresh-debian), as a newcomer would: build dependencies from
# debian/control with mk-build-deps, `dpkg-buildpackage -us -uc -b`, then
# lintian.  OUT/v1/*.deb is this version, OUT/v2/*.deb the same packages as
# a newer version (for the upgrade checks), OUT/lintian.txt lintian's output.
# A second call for an unchanged tree reuses OUT (one build per run-all;
# SK_PKG_STAMP_ONLY=1 prints the tree's stamp instead).
#   SK_FRESH_DEBIAN  the fresh-debian tool (default: ../shared/tools/ beside the repo)
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
fresh=${SK_FRESH_DEBIAN:-$top/../shared/tools/fresh-debian}
[ -x "$fresh" ] || fresh=/work/shared/tools/fresh-debian
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The tree as it is (committed or not), without build directories.
src=$(mktemp -d /tmp/sknock-pkgsrc.XXXXXX)
trap 'rm -rf "$src"' EXIT
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top" ls-files -co --exclude-standard -z |
		grep -zv '^build' | (cd "$top" && tar --null -T - -cf -) |
		tar -C "$src" -xf -
else
	tar -C "$top" --exclude='./build*' -cf - . | tar -C "$src" -xf -
fi
# what goes into the packages (not the test drivers, not the README)
stamp=$(cd "$src" && find . -type f ! -path './tests/*' ! -name '*.md' -print0 |
	sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16)
[ "${SK_PKG_STAMP_ONLY:-}" = 1 ] && { echo "$stamp"; exit 0; }
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ] &&
   ls "$out"/v2/sknockd_*.deb >/dev/null 2>&1; then
	echo "[pkg-build] packages of this tree already built in $out"
	exit 0
fi
rm -rf "$out"/v1 "$out"/v2 "$out"/*.log "$out"/lintian.txt "$out"/stamp

inner='
set -u
export DEBIAN_FRONTEND=noninteractive
step() { echo "[pkg-build] $*"; }
fail() { echo "[pkg-build] FAIL: $*"; exit 1; }
t0=$(date +%s)
apt-get update -qq >/out/apt.log 2>&1 || fail "apt-get update: $(tail -2 /out/apt.log)"
apt-get install -y -qq --no-install-recommends build-essential devscripts equivs lintian \
	>>/out/apt.log 2>&1 || fail "installing devscripts equivs lintian: $(tail -3 /out/apt.log)"
step "build tools in $(( $(date +%s) - t0 )) s; mk-build-deps debian/control"
mk-build-deps -i -r -t "apt-get -y -qq --no-install-recommends" debian/control \
	>>/out/apt.log 2>&1 || fail "mk-build-deps: $(tail -5 /out/apt.log)"
rm -f sknock-build-deps_*
build() {	# build VERSION_DIR
	t=$(date +%s)
	dpkg-buildpackage -us -uc -b >/out/build-$1.log 2>&1 ||
		{ tail -40 /out/build-$1.log; fail "dpkg-buildpackage ($1)"; }
	mkdir -p /out/$1 && mv ../*.deb ../*.changes ../*.buildinfo /out/$1/
	step "dpkg-buildpackage ($1) in $(( $(date +%s) - t )) s: $(cd /out/$1 && ls *.deb | tr "\n" " ")"
}
build v1
lintian --pedantic /out/v1/*.changes >/out/lintian.txt 2>&1
echo "lintian exit status $?" >>/out/lintian.txt
# v2: the same packages as a newer version (repacked with dpkg-deb, a
# rebuild of the same tree would differ in nothing else), so dpkg runs the
# upgrade path: old prerm upgrade, new preinst/postinst with the old version
t=$(date +%s)
mkdir -p /out/v2
for deb in /out/v1/*.deb; do
	d=$(mktemp -d)
	dpkg-deb -R "$deb" "$d/p" || fail "dpkg-deb -R $deb"
	sed -i "s/^Version: \(.*\)/Version: \1+upgrade1/" "$d/p/DEBIAN/control"
	sed -i "s/(= \([^)]*\))/(= \1+upgrade1)/" "$d/p/DEBIAN/control"
	dpkg-deb -b "$d/p" /out/v2/ >/dev/null || fail "dpkg-deb -b for v2"
	rm -rf "$d"
done
step "v2 repacked in $(( $(date +%s) - t )) s: $(cd /out/v2 && ls *.deb | tr "\n" " ")"
'
t0=$SECONDS
"$fresh" -s "$src" -o "$out" -t 1500 "$inner"
rc=$?
[ $rc -eq 0 ] || { echo "[pkg-build] FAIL: build in a bare root (status $rc)"; exit 1; }
echo "$stamp" >"$out/stamp"
echo "[pkg-build] built in a bare Debian 12 root in $((SECONDS - t0)) s"
