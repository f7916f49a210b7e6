#!/usr/bin/env bash
# run.sh BUILD_DIR SECONDS: run each libFuzzer target of BUILD_DIR (all must be built)
# (configured with CC=clang -Dfuzz=true) for SECONDS, on a temporary copy
# of its seed corpus tests/fuzz/corpus/TARGET (the checked-in corpus never
# grows), after replaying every regression input in tests/fuzz/regress/TARGET.
# Prints the executions per target and in total; exits 1 on any finding,
# leaving the crashing inputs in BUILD_DIR/fuzz-findings/TARGET/.
#
#   CC=clang bash tests/build.sh build-fuzz -Dfuzz=true -Dtests=disabled
#   bash tests/fuzz/run.sh build-fuzz 60
set -uo pipefail
if [ $# -ne 2 ] || ! [[ $2 =~ ^[0-9]+$ ]] || [ "$2" -lt 1 ]; then
  echo "usage: run.sh BUILD_DIR SECONDS" >&2
  exit 2
fi
build=$(cd "$1" && pwd) || exit 2
secs=$2
here=$(cd "$(dirname "$0")" && pwd)

# target:max_len (bytes; a little past the largest valid input).
targets=(fuzz_pkt:2048 fuzz_token_open:256 fuzz_token_verify:256
  fuzz_conf:4096 fuzz_kconf:4096 fuzz_key:512 fuzz_seq:4096
  fuzz_replay:1024 fuzz_pmsg:256)

tmp=$(mktemp -d /tmp/sknock-fuzz.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

total=0 ran=0 bad=0
summary=()
for t in "${targets[@]}"; do
  name=${t%%:*} max_len=${t##*:}
  bin=$build/tests/fuzz/$name
  if [ ! -x "$bin" ]; then
    # Every module is on main now: a missing target is a broken build.
    echo "fuzz: $name not built in $build (configure with CC=clang -Dfuzz=true)"
    bad=$((bad + 1))
    continue
  fi
  ran=$((ran + 1))
  # 1. Regression inputs: each must run clean.
  reg=$here/regress/$name
  if compgen -G "$reg/*" >/dev/null; then
    if ! "$bin" -runs=1 "$reg"/* >"$tmp/$name.regress.log" 2>&1; then
      echo "fuzz: $name: a regression input fails again:"
      tail -n 30 "$tmp/$name.regress.log"
      bad=$((bad + 1))
      continue
    fi
    echo "fuzz: $name: $(find "$reg" -type f | wc -l) regression inputs clean"
  fi
  # 2. Fuzz for $secs on a scratch copy of the corpus.
  mkdir -p "$tmp/$name/corpus" "$tmp/$name/findings"
  if [ -d "$here/corpus/$name" ]; then
    cp -r "$here/corpus/$name/." "$tmp/$name/corpus/"
  fi
  log=$tmp/$name.log
  "$bin" -max_total_time="$secs" -max_len="$max_len" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$tmp/$name/findings/" "$tmp/$name/corpus" \
    >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  execs=${execs:-0}
  total=$((total + execs))
  summary+=("$name $execs executions")
  echo "fuzz: $name: $execs executions in ${secs}s, corpus $(find "$tmp/$name/corpus" -type f | wc -l) inputs, rc $rc"
  if [ "$rc" -ne 0 ] || compgen -G "$tmp/$name/findings/*" >/dev/null; then
    bad=$((bad + 1))
    keep=$build/fuzz-findings/$name
    mkdir -p "$keep"
    cp "$tmp/$name/findings/"* "$keep/" 2>/dev/null
    echo "fuzz: $name: FINDING; inputs kept in $keep (add them to tests/fuzz/regress/$name/ with the fix):"
    grep -E 'ERROR|runtime error|invariant broken|SUMMARY' "$log" | head -n 10
    tail -n 40 "$log"
  fi
done

for s in "${summary[@]}"; do echo "fuzz-execs $s"; done
echo "fuzz: total $total executions over $ran targets, $bad with findings"
[ "$bad" -eq 0 ]
