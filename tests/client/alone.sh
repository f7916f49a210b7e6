#!/usr/bin/env bash
# alone.sh BIN: the client built alone (-Ddaemon=disabled) is portable: it
# links none of the daemon's libraries and imports no Linux-only libc
# function (so it builds the same way on macOS and the BSDs).
set -uo pipefail
bin=${1:?usage: alone.sh path/to/knock}
[ -x "$bin" ] || { echo "alone.sh: $bin: not an executable"; exit 1; }
rc=0
needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
bad=$(grep -E '^lib(pcap|mnl|nftnl)' <<<"$needed")
if [ -n "$bad" ]; then
  echo "FAIL: $bin links the daemon's libraries: $bad"
  rc=1
else
  echo "ok: links only: $(tr '\n' ' ' <<<"$needed")"
fi
linux_only='memfd_create|accept4|epoll_[a-z_0-9]+|signalfd[0-9]*|timerfd_[a-z]+|inotify_[a-z_0-9]+|sendfile(64)?|splice|prctl|getrandom'
bad=$(nm -D --undefined-only "$bin" | awk '{print $NF}' | sed 's/@.*//' | grep -Ex "$linux_only")
if [ -n "$bad" ]; then
  echo "FAIL: $bin imports Linux-only functions: $(tr '\n' ' ' <<<"$bad")"
  rc=1
else
  echo "ok: imports none of memfd_create, accept4, epoll*, signalfd, timerfd*, inotify*, sendfile, splice, prctl, getrandom"
fi
exit "$rc"
