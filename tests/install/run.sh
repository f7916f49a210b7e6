#!/usr/bin/env bash
# run.sh SRC BUILD PREFIX BINDIR SBINDIR LIBEXECDIR DATADIR MANDIR CONFDIR:
# `meson install --destdir` into a temporary directory, then check each
# file the tree provides is where it belongs, with its mode, and that a
# second install keeps an admin's config.  Needs no root.
set -uo pipefail
src=$1 build=$2 prefix=$3 bindir=$4 sbindir=$5 libexecdir=$6 datadir=$7 mandir=$8 confdir=$9
D=$(mktemp -d /tmp/sknock-install.XXXXXX)
trap 'rm -rf "$D"' EXIT
fails=0
say() { printf '[install] %s\n' "$*"; }
check() {	# check TEXT COMMAND...
	local what=$1; shift
	if "$@"; then say "ok: $what"; else say "FAIL: $what"; fails=$((fails + 1)); fi
}
# mode_is FILE MODE: FILE exists with permission bits MODE (e.g. 755).
mode_is() { [ -f "$1" ] && [ "$(stat -c %a "$1")" = "$2" ]; }
abs() { case $1 in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }
P=$D$prefix
install_once() {
	meson install -C "$build" --no-rebuild --destdir "$D" >"$D.log" 2>&1 || {
		say "FAIL: meson install: $(tail -5 "$D.log")"
		exit 1
	}
}

install_once
say "installed into $D (prefix $prefix)"
# Programs: expected once the build makes them (they wait for common/).
for p in daemon/sknockd:$sbindir client/knock:$bindir; do
	exe=${p%%:*} dir=${p#*:}
	if [ -x "$build/$exe" ]; then
		check "${exe#*/} in $dir" mode_is "$D$(abs "$dir")/${exe#*/}" 755
	else
		say "note: $exe not built yet"
	fi
done
hooks=$D$(abs "$libexecdir")/sknock
for h in nft iptables log; do
	check "hook $h in libexecdir/sknock, mode 755" mode_is "$hooks/$h" 755
done
check "hook-lib.sh beside the hooks, mode 644" mode_is "$hooks/hook-lib.sh" 644
if [ -x "$build/conf/nft" ]; then	# the compiled nft hook hands start/stop to nft.sh
	check "nft.sh beside the compiled nft hook, mode 755" mode_is "$hooks/nft.sh" 755
	check "installed compiled nft hook refuses a bad port (exit 2)" \
		bash -c 'env -i SKNOCK_FAMILY=4 SKNOCK_ADDRESS=192.0.2.1 SKNOCK_PROTO=tcp \
			SKNOCK_PORT=0 SKNOCK_TIMEOUT=5 "$1" open 2>/dev/null; [ $? = 2 ]' _ "$hooks/nft"
fi
check "installed log hook runs and finds its library" \
	env -i SKNOCK_GUARD=tcp/22 "$hooks/log" start
env -i SKNOCK_FAMILY=4 SKNOCK_ADDRESS='1.2.3.4; id' SKNOCK_PROTO=tcp \
	SKNOCK_PORT=22 SKNOCK_TIMEOUT=5 "$hooks/nft" open 2>/dev/null
check "installed nft hook refuses a bad address (exit 2)" [ $? = 2 ]

unit=$P/lib/systemd/system/sknockd.service
check "unit in prefix/lib/systemd/system" mode_is "$unit" 644
check "unit starts this prefix's sknockd" \
	grep -qx "ExecStart=$(abs "$sbindir")/sknockd -f" "$unit"
check "unit is Type=notify" grep -qx 'Type=notify' "$unit"
nft_unit=$P/lib/systemd/system/sknock-nft@.service
check "the nft hook server unit is installed" mode_is "$nft_unit" 644
check "... and runs this prefix's nft hook" \
	grep -qx "ExecStart=$(abs "$libexecdir")/sknock/nft serve" "$nft_unit"
check "... from its socket unit" \
	mode_is "$P/lib/systemd/system/sknock-nft.socket" 644

man=$D$(abs "$mandir")
for m in man1/knock.1 man8/sknockd.8 man5/sknockd.conf.5; do
	check "man page $m" mode_is "$man/$m" 644
	check "man page $m has this build's paths" \
		grep -q "$confdir" "$man/$m"
done
check "sknockd(8) names the installed hooks" \
	grep -qF "$(abs "$libexecdir")/sknock" "$man/man8/sknockd.8"

ex=$D$(abs "$datadir")/doc/sknock/examples
etc=$D$confdir/sknockd.conf
for f in sknockd.conf knock.conf; do
	[ -f "$src/conf/$f" ] || { say "note: conf/$f not in the tree yet"; continue; }
	check "example $f in datadir/doc/sknock/examples" mode_is "$ex/$f" 644
done
if [ -f "$src/conf/sknockd.conf" ]; then
	check "sknockd.conf installed to confdir when none was there" \
		cmp -s "$src/conf/sknockd.conf" "$etc"
	check "no client config in confdir" [ ! -e "$D$confdir/knock.conf" ]
	echo "; the admin's own line" >>"$etc"
	cp "$etc" "$D/admin.conf"
	install_once
	check "second install keeps the admin's sknockd.conf" cmp -s "$D/admin.conf" "$etc"
	rm -f "$etc"
	ln -s /nonexistent "$etc"
	install_once
	check "a dangling symlink in confdir is left alone" [ -L "$etc" ]
fi
rm -f "$D.log"

[ $fails -eq 0 ] && { say PASS; exit 0; }
say "FAIL: $fails checks failed"
exit 1
