#!/usr/bin/env bash
# run.sh CASES_FILE CASE: run one end-to-end or wire-abuse case.
# meson passes the programs under test in SK_SKNOCKD, SK_KNOCK, SK_HOOK and
# the helper tools' directory in SK_TOOLS; SK_TAG names the suite.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
sk_need_root
# shellcheck disable=SC1090
. "$1"
case_name=$2
declare -F "case_$case_name" >/dev/null || sk_fatal "no case $case_name in $1"
for v in SK_SKNOCKD SK_KNOCK SK_HOOK SK_TOOLS SK_TAG; do
	[ -n "${!v:-}" ] || sk_fatal "$v is not set (run through meson test)"
done
start=$(sk_ms)
sk_setup
"case_$case_name"
sk_finish
sk_step "done"
sk_log "PASS $case_name in $(($(sk_ms) - start)) ms"
exit 0
