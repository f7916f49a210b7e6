#!/bin/bash
# inside.sh: run by tests/pkg/run.sh as root inside a bare Debian 12 root
# (fresh-debian) with the packages in /out/v1 and /out/v2.  Installs them
# beside knockd in both orders, checks, upgrades, removes, purges and checks
# again.  Everything after the downloads runs in a network namespace of its
# own (unshare -n): the root shares the host's network, and the hooks and
# the package's prerm change the firewall.
set -u
fails=0 passes=0
ok() { echo "[pkg] ok: $*"; passes=$((passes + 1)); }
bad() { echo "[pkg] FAIL: $*"; fails=$((fails + 1)); }
check() {	# check TEXT COMMAND...
	local what=$1; shift
	if "$@" >/tmp/check.out 2>&1; then ok "$what"
	else bad "$what: $(tail -3 /tmp/check.out | tr '\n' ' ')"; fi
}
owner_mode() { [ "$(stat -c '%U %a' "$1" 2>/dev/null)" = "$2" ]; }
diverted_by() { [ "$(dpkg-divert --listpackage "$1")" = "$2" ]; }
no_diversion() { [ -z "$(dpkg-divert --listpackage "$1")" ]; }
is_knockd_knock() { "$1" -h 2>&1 | grep -q '^usage: knock \[options\] <host> <port\[:proto\]>'; }
is_our_knock() { "$1" --version 2>&1 | grep -qi sknock || "$1" -h 2>&1 | grep -q -- '--keygen'; }
export DEBIAN_FRONTEND=noninteractive
v1=(/out/v1/sknockd_*.deb /out/v1/sknock-client_*.deb)
v2=(/out/v2/sknockd_*.deb /out/v2/sknock-client_*.deb)
sd1=${v1[0]} sc1=${v1[1]} sd2=${v2[0]} sc2=${v2[1]}
deps="adduser libpcap0.8 libsodium23 libiniparser1 libmnl0 libnftnl11"

if [ "${1:-}" != --offline ]; then
	apt-get update -qq >/tmp/apt.log 2>&1 || { echo "[pkg] FAIL: apt-get update"; exit 1; }
	apt-get install -y -qq --download-only knockd nftables iptables ipset $deps \
		>>/tmp/apt.log 2>&1 || { echo "[pkg] FAIL: apt download: $(tail -2 /tmp/apt.log)"; exit 1; }
	exec unshare --net "$0" --offline
fi
ip link set lo up 2>/dev/null
aget() {	# aget PKG...: apt-get install from the downloads (offline)
	apt-get install -y -qq --no-download "$@" >/tmp/aget.log 2>&1 ||
		{ tail -3 /tmp/aget.log; return 1; }
}

# --- knockd first, then ours (order A) -----------------------------------
check "knockd installed (its client is /usr/bin/knock)" aget knockd
check "/usr/bin/knock is knockd's before we come" is_knockd_knock /usr/bin/knock
aget $deps
dpkg -i "$sd1" >/tmp/noft.out 2>&1
check "without nftables, dpkg refuses sknockd and names nftables" \
	grep -q 'sknockd depends on nftables' /tmp/noft.out
check "apt-get -f install brings nftables and configures sknockd" aget -f
check "sknockd is installed" sh -c "dpkg-query -W -f='\${Status}' sknockd | grep -q 'install ok installed'"
check "sknock-client installs beside knockd" dpkg -i "$sc1"
check "/usr/bin/knock is ours now" is_our_knock /usr/bin/knock
check "knockd's client is kept as /usr/bin/knock.knockd" is_knockd_knock /usr/bin/knock.knockd
check "the diversion belongs to sknock-client" diverted_by /usr/bin/knock sknock-client
check "knock(1) diverted too" test -e /usr/share/man/man1/knock.knockd.1.gz -a -e /usr/share/man/man1/knock.1.gz
check "knockd (the daemon) is still installed" test -x /usr/sbin/knockd

# --- what sknockd installs ------------------------------------------------
check "system user sknock, no login shell" sh -c \
	'u=$(getent passwd sknock) && [ "$(echo "$u" | cut -d: -f3)" -lt 1000 ] && echo "$u" | grep -q nologin'
check "/etc/sknock: sknock, 0700" owner_mode /etc/sknock "sknock 700"
check "/etc/sknock/keys: sknock, 0700" owner_mode /etc/sknock/keys "sknock 700"
check "/etc/sknock/sknockd.conf: sknock, 0600" owner_mode /etc/sknock/sknockd.conf "sknock 600"
check "sknockd.conf is a conffile" sh -c "dpkg-query -W -f='\${Conffiles}' sknockd | grep -q ' /etc/sknock/sknockd.conf '"
check "unit in /lib/systemd/system" test -f /lib/systemd/system/sknockd.service
check "unit not enabled (no .wants link)" sh -c '! ls /etc/systemd/system/*.wants/sknockd.service 2>/dev/null | grep -q .'
check "unit runs sknockd as sknock" grep -qx 'User=sknock' /lib/systemd/system/sknockd.service
for f in /usr/sbin/sknockd /usr/libexec/sknock/nft /usr/libexec/sknock/nft.sh \
	/usr/libexec/sknock/iptables /usr/libexec/sknock/log; do
	check "$f executable" test -x $f
done
check "hook-lib.sh 0644" owner_mode /usr/libexec/sknock/hook-lib.sh "root 644"
for m in man8/sknockd.8.gz man5/sknockd.conf.5.gz man1/knock.1.gz; do
	check "man page $m" test -f /usr/share/man/$m
done
check "example configs" test -f /usr/share/doc/sknock/examples/sknockd.conf -a -f /usr/share/doc/sknock/examples/knock.conf
runuser -u sknock -- sknockd -t >/tmp/t.out 2>&1; rc=$?
check "the shipped config has no door: sknockd -t refuses (status $rc)" [ $rc -ne 0 ]
check "... and says to add a door" grep -q 'no \[door:NAME\] section; add one' /tmp/t.out

# --- the admin writes a door ----------------------------------------------
(umask 077 && head -c 32 /dev/urandom | base64 >/etc/sknock/keys/alice.key)
cat >>/etc/sknock/sknockd.conf <<'CONF'
[door:ssh]
sequence = 7000/tcp, 8000/udp, 9000/udp
open = 22/tcp
clients = alice
[client:alice]
key = /etc/sknock/keys/alice.key
CONF
runuser -u sknock -- sknockd -t >/tmp/t.out 2>&1
check "a key file left to root is refused, naming the file" grep -q '/etc/sknock/keys/alice.key' /tmp/t.out
chown sknock: /etc/sknock/keys/alice.key
check "with a door and the key the daemon's: sknockd -t says OK" runuser -u sknock -- sknockd -t
cp /etc/sknock/sknockd.conf /tmp/admin.conf

# --- a door open, then the upgrade ----------------------------------------
H=/usr/libexec/sknock/nft
check "the nft hook puts up the guard" env SKNOCK_GUARD=tcp/22 $H start
check "the nft hook opens a door" env SKNOCK_DOOR=ssh SKNOCK_CLIENT=alice SKNOCK_FAMILY=4 \
	SKNOCK_ADDRESS=192.0.2.7 SKNOCK_PROTO=tcp SKNOCK_PORT=22 SKNOCK_TIMEOUT=600 $H open
door_open() { nft list set inet sknock allow4 | grep -q '192.0.2.7 . tcp . 22'; }
check "door open before the upgrade" door_open
check "upgrade to the second version" dpkg -i "$sd2" "$sc2"
check "version after the upgrade is the second one" sh -c "dpkg-query -W -f='\${Version}' sknockd | grep -q upgrade1"
check "the door is still open after the upgrade" door_open
check "the guard is still up after the upgrade" sh -c 'nft list set inet sknock guard | grep -q "tcp . 22"'
check "the admin's config is kept" cmp -s /tmp/admin.conf /etc/sknock/sknockd.conf
check "config still sknock, 0600" owner_mode /etc/sknock/sknockd.conf "sknock 600"
check "the diversion is still in place" diverted_by /usr/bin/knock sknock-client

# --- removal takes the guard down; purge removes the rest -------------------
check "iptables and ipset for the iptables hook" aget iptables ipset
check "the iptables hook puts up its guard too" env SKNOCK_GUARD=tcp/22 /usr/libexec/sknock/iptables start
check "... its chain and set are there" sh -c 'iptables -n -L SKNOCK >/dev/null && ipset -n list | grep -q "^sknock4-tcp-22$"'
mkdir -p /var/lib/sknock && chown sknock: /var/lib/sknock && : >/var/lib/sknock/replay
check "remove sknockd" dpkg -r sknockd
check "after remove, no guard is left (table inet sknock gone)" sh -c '! nft list table inet sknock'
check "after remove, no iptables guard (chain SKNOCK gone from INPUT)" sh -c '! iptables -n -L SKNOCK 2>/dev/null && ! iptables -S INPUT | grep -q SKNOCK'
check "after remove, no sknock ipset left" sh -c '! ipset -n list | grep -q "^sknock[46]-"'
check "after remove, the config stays (conffile)" test -f /etc/sknock/sknockd.conf
check "purge sknockd" dpkg --purge sknockd
check "after purge, no /etc/sknock" test ! -e /etc/sknock
check "after purge, no /var/lib/sknock" test ! -e /var/lib/sknock
check "after purge, no statoverride left" sh -c '! dpkg-statoverride --list | grep -q /etc/sknock'
check "remove sknock-client" dpkg --purge sknock-client
check "knockd's client is /usr/bin/knock again" is_knockd_knock /usr/bin/knock
check "no knock.knockd left" test ! -e /usr/bin/knock.knockd
check "no diversion left" no_diversion /usr/bin/knock

# --- ours first, then knockd (order B) ------------------------------------
check "remove knockd" dpkg --purge knockd
check "sknock-client alone" dpkg -i "$sc1"
check "no knock.knockd without knockd" test ! -e /usr/bin/knock.knockd
check "knockd after sknock-client" aget knockd
check "/usr/bin/knock stays ours" is_our_knock /usr/bin/knock
check "knockd's client lands at /usr/bin/knock.knockd" is_knockd_knock /usr/bin/knock.knockd
check "remove knockd again" dpkg --purge knockd
check "our knock stays, knockd's is gone" sh -c 'test -x /usr/bin/knock && test ! -e /usr/bin/knock.knockd'
check "purge sknock-client" dpkg --purge sknock-client
check "nothing left at /usr/bin/knock" test ! -e /usr/bin/knock
check "no diversion left" no_diversion /usr/bin/knock

echo "[pkg] $passes passed, $fails failed"
[ $fails -eq 0 ]
