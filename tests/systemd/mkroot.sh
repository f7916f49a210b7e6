#!/usr/bin/env bash
# mkroot.sh: make (once, cached) the Debian 12 root that tests/systemd boots
# with systemd-nspawn: fresh-debian's debootstrap minbase root plus systemd
# as init and the run-time dependencies of the sknockd package, so each
# test run only installs our own packages.  Prints the root's path.
#   SK_SYSTEMD_CACHE  where it is kept (default /var/cache/sknock-systemd)
#   SK_FRESH_DEBIAN   the fresh-debian tool (default: ../shared/tools/ beside the repo)
# The mirror comes from this machine's apt sources at run time; no file in
# the cached root names it afterwards, and nothing printed here does.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
fresh=${SK_FRESH_DEBIAN:-$top/../shared/tools/fresh-debian}
[ -x "$fresh" ] || fresh=/work/shared/tools/fresh-debian
cache=${SK_SYSTEMD_CACHE:-/var/cache/sknock-systemd}
root=$cache/bookworm-systemd
# what the container needs beside minbase: systemd as PID 1, the sknockd
# package's dependencies, nft/iptables for the checks (ipset for the
# iptables hook), knockd beside us
pkgs="systemd systemd-sysv dbus nftables iptables ipset iproute2 procps adduser
  libpcap0.8 libsodium23 libiniparser1 libmnl0 libnftnl11 knockd"
die() { echo "mkroot: $*" >&2; exit 1; }

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock -w 900 9 || die "timed out waiting for another mkroot"
want=$(echo "$pkgs" | tr -s ' \n' ' ')
if [ -f "$root/.sk-ok" ] && [ "$(cat "$root/.sk-ok")" = "$want" ]; then
	echo "$root"; exit 0
fi
[ -x "$fresh" ] || die "no fresh-debian tool (looked at $fresh)"
FRESH_BUILD_ONLY=1 "$fresh" >&2 || die "fresh-debian could not make its root"
fcache=${FRESH_CACHE:-/var/cache/sknock-fresh}
[ -f "$fcache/bookworm-minbase/.fresh-ok" ] || die "no fresh-debian root in $fcache"
tmp=$root.tmp
rm -rf "$tmp" "$root"
cp -a "$fcache/bookworm-minbase" "$tmp" || die "cannot copy the minbase root"
rm -f "$tmp/.fresh-ok"
# apt sources for the install only: this machine's own, removed afterwards
mkdir -p "$tmp/etc/apt/sources.list.d"
cp /etc/apt/sources.list.d/*.sources "$tmp/etc/apt/sources.list.d/" 2>/dev/null
[ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$tmp/etc/apt/"
cp -L /etc/resolv.conf "$tmp/etc/resolv.conf"
log=$(mktemp)
t0=$SECONDS
if ! systemd-nspawn -q -D "$tmp" --register=no --keep-unit --pipe \
	env DEBIAN_FRONTEND=noninteractive sh -c \
	"apt-get update && apt-get install -y --no-install-recommends $want" \
	>"$log" 2>&1 </dev/null; then
	echo "mkroot: apt-get in the new root failed; last lines:" >&2
	tail -5 "$log" | sed -E 's#(https?://)[^/ ]+#\1<debian-mirror>#g' >&2
	rm -rf "$log" "$tmp"; exit 1
fi
rm -f "$log"
rm -rf "$tmp/etc/apt/sources.list.d"/* "$tmp/etc/apt/sources.list" \
	"$tmp/var/lib/apt/lists" "$tmp"/var/cache/apt/*.bin \
	"$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/log/apt/*
mkdir -p "$tmp/var/lib/apt/lists/partial"
# knockd's own service must not run in the container (it is only there
# for its /usr/bin/knock); the test enables what it needs.
rm -f "$tmp"/etc/systemd/system/multi-user.target.wants/knockd.service
echo root >"$tmp/etc/hostname"
: >"$tmp/etc/machine-id"
echo "$want" >"$tmp/.sk-ok"
mv "$tmp" "$root"
echo "mkroot: systemd root ready in $((SECONDS - t0)) s" >&2
echo "$root"
