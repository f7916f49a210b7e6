# lib.sh: sourced by the client tests.  Needs KNOCK (and KNOCK_CHECK,
# KNOCK_CAPTURE, SK_VECTORS where used) in the environment (meson sets them).
set -uo pipefail

: "${KNOCK:?set KNOCK to the knock binary}"
# tests/run-all.sh runs this suite once more with the client built alone
# (-Ddaemon=disabled), named by SK_KNOCK_ALONE.
KNOCK=${SK_KNOCK_ALONE:-$KNOCK}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/knock-test.XXXXXX")
pids=()
failures=0
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
# A home of our own: no config of the user's is read or written.
export HOME=$tmp/home XDG_CONFIG_HOME=
mkdir -p "$HOME"

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# run ARGS...: run knock, keeping its status, stdout and stderr.
run() {
  "$KNOCK" "$@" >"$tmp/out" 2>"$tmp/err"
  status=$?
  out=$(cat "$tmp/out")
  err=$(cat "$tmp/err")
  if grep -Eq 'runtime error|Sanitizer' "$tmp/err"; then
    fail "sanitizer report from knock $*: $err"
  fi
}

# expect STATUS PATTERN WHAT ARGS...: knock ARGS exits STATUS and its
# stderr (or stdout) matches the extended regex PATTERN.
expect() {
  local want=$1 pat=$2 what=$3
  shift 3
  run "$@"
  if [ "$status" != "$want" ]; then
    fail "$what: knock $* exited $status, want $want; stderr: $err"
  elif ! grep -Eq -- "$pat" <<<"$err$out"; then
    fail "$what: knock $* said '$err$out', want /$pat/"
  else
    pass "$what"
  fi
}

# keyfile NAME BASE64: a 0600 key file, its path on stdout.
keyfile() {
  (umask 077 && printf '%s\n' "$2" >"$tmp/$1.key")
  echo "$tmp/$1.key"
}

# start_bg FILE CMD...: run CMD in the background, stdout to FILE.
start_bg() {
  local f=$1
  shift
  "$@" >"$f" &
  pids+=($!)
}

# wait_line FILE: poll (bounded, 5 s) until FILE has a first line.
wait_line() {
  local i
  for i in $(seq 100); do
    [ -s "$1" ] && return 0
    sleep 0.05
  done
  return 1
}

# listen_port NAME CMD...: start_bg CMD (a knock_check listener, which
# prints its port first) and set NAME to that port; a listener that does
# not start within wait_line's bound ends the test.
listen_port() {
  local name=$1
  shift
  start_bg "$tmp/$name.port" "$@"
  wait_line "$tmp/$name.port" ||
    { fail "test listener $name did not start"; finish; }
  printf -v "$name" '%s' "$(head -1 "$tmp/$name.port")"
}

now_ms() { date +%s%3N; }

finish() {
  if [ "$failures" -gt 0 ]; then
    echo "$failures failure(s)"
    exit 1
  fi
  echo "all passed"
  exit 0
}
