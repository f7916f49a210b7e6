#!/usr/bin/env bash
# run-all.sh: install what is missing, build, and run every test: the Check
# unit suites and the integration drivers, once in a normal build and once
# under AddressSanitizer + UndefinedBehaviorSanitizer, then each fuzzer.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD

bash tests/deps.sh --peers || exit 1

passed=0 failed=0 skipped=0
tally() {  # tally BUILD_DIR: add that run's results from meson's log
  local log=$1/meson-logs/testlog.json
  [ -f "$log" ] || return 0
  passed=$((passed + $(grep -c '"result": "OK"' "$log")))
  failed=$((failed + $(grep -Ec '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log")))
  skipped=$((skipped + $(grep -c '"result": "SKIP"' "$log")))
}

run_suite() {  # run_suite BUILD_DIR [meson options...]
  local dir=$1; shift
  echo "== build $dir"
  if ! bash tests/build.sh "$dir" "$@"; then
    echo "build of $dir failed"; failed=$((failed + 1)); return
  fi
  echo "== test $dir"
  meson test -C "$dir" --print-errorlogs --num-processes 1 \
    --timeout-multiplier "${SK_TIMEOUT_MULT:-3}" --no-suite pkg --no-suite systemd
  tally "$dir"
}

# loud_skips BUILD_DIR: a test that could not run here says so, with why.
loud_skips() {
  python3 - "$1/meson-logs/testlog.json" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    t = json.loads(line)
    if t.get("result") == "SKIP":
        why = [l for l in t.get("stdout", "").splitlines() if "SKIPPED" in l]
        print("*** %s SKIPPED: %s ***" % (t["name"], why[0] if why else "no reason given"))
PY
}

run_suite build

# The client alone (-Ddaemon=disabled: libsodium and iniparser only), as
# macOS and the BSDs build it: portable imports, then the client suite
# again with that binary (SK_KNOCK_ALONE) on the harness of build/.
echo "== client alone: build-client -Ddaemon=disabled"
if bash tests/build.sh build-client -Ddaemon=disabled -Dtests=disabled &&
   bash tests/client/alone.sh build-client/client/knock; then
  passed=$((passed + 1))
  SK_KNOCK_ALONE=$top/build-client/client/knock meson test -C build --suite client \
    --print-errorlogs --num-processes 1 --timeout-multiplier "${SK_TIMEOUT_MULT:-3}"
  tally build
else
  echo "the client alone does not build or is not portable"; failed=$((failed + 1))
fi

run_suite build-asan -Db_sanitize=address,undefined -Db_lundef=false

# The sandbox seen from outside needs a test build whose magic packets make
# the capture child misbehave (never installed); only its own suite runs.
echo "== build build-sandbox (-Dsandbox_test=true)"
if bash tests/build.sh build-sandbox -Dsandbox_test=true; then
  echo "== test build-sandbox (suite sandbox)"
  meson test -C build-sandbox --suite sandbox --print-errorlogs \
    --num-processes 1 --timeout-multiplier "${SK_TIMEOUT_MULT:-3}"
  tally build-sandbox
else
  echo "build of build-sandbox failed"; failed=$((failed + 1))
fi

# The Debian packages in bare roots, then the unit under a booted systemd,
# once (the packages are built once, in build/pkg-debs, for both).
echo "== packages (tests/pkg) and sknockd.service under systemd (tests/systemd)"
meson test -C build --print-errorlogs --num-processes 1 --suite pkg --suite systemd
tally build
loud_skips build

if [ -x tests/fuzz/run.sh ]; then
  echo "== fuzz"
  if CC=clang bash tests/build.sh build-fuzz -Dfuzz=true -Dtests=disabled \
     && bash tests/fuzz/run.sh build-fuzz "${SK_FUZZ_SECONDS:-60}"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
fi

echo "sknock: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
