#!/usr/bin/env bash
# deps.sh [--peers]: install, with apt-get, the Debian packages that building
# and testing sknock need and that are missing.  --peers adds knockd and
# fwknop, the peers the end-to-end tests and benchmarks compare against.
set -euo pipefail

pkgs=(meson ninja-build pkg-config gcc libc6-dev libpcap-dev libsodium-dev
  libiniparser-dev check nftables iptables iproute2 libmnl-dev libnftnl-dev
  clang libclang-rt-14-dev systemd procps)
pkgs+=(ipset)  # the iptables hook keeps its doors in ipsets with timeouts
pkgs+=(libseccomp-dev)  # the capture child's seccomp filter (daemon/sandbox.c)
pkgs+=(systemd-container)  # tests/systemd boots a Debian 12 container (systemd-nspawn -b)
[ "${1:-}" = --peers ] && pkgs+=(knockd fwknop-server fwknop-client)
pkgs+=(openssh-server openssh-client rsync git)  # client live tests: ssh, scp, sftp, rsync, git through knock --proxy
pkgs+=(valgrind)  # tests/bench/run.sh: instructions per packet (callgrind)
pkgs+=(python3-prometheus-client)  # tests/daemon/metrics.sh: a real parser of metrics_file

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' \
    || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "deps.sh: missing packages: ${missing[*]}; run as root to install them" >&2
  exit 1
fi
echo "deps.sh: installing ${missing[*]}" >&2
# Packages such as knockd must not start a service of their own here.
prc=/usr/sbin/policy-rc.d
made_prc=no
if [ ! -e "$prc" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$prc" && chmod 755 "$prc" && made_prc=yes
fi
trap '[ "$made_prc" = yes ] && rm -f "$prc"' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
