#!/bin/sh
# install-config.sh SRC CONFDIR: meson install script.  Put SRC into
# $DESTDIR/CONFDIR unless a file of that name is already there, so an
# admin's config survives every reinstall.  CONFDIR is absolute.
set -eu
src=$1
dir=${DESTDIR-}$2
dst=$dir/${src##*/}
if [ -e "$dst" ] || [ -L "$dst" ]; then
	echo "sknock: keeping the existing $dst (the new example is in the doc examples)" >&2
	exit 0
fi
install -d -m 0755 "$dir"
install -m 0644 "$src" "$dst"
echo "sknock: installed the example config as $dst; edit it before starting sknockd" >&2
