#!/usr/bin/env bash
# The second of the README's two commands: the same set-up as run.sh, then every test
# (unit, integration, end-to-end) built with -Werror, AddressSanitizer and UBSan, against
# the real Kafka broker and PostgreSQL, and the libFuzzer targets (build/fuzz, clang) for
# 30 s each (ctest's fuzz_30s). Prints ctest's summary; non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"

bash "$here/deps.sh"
bash "$here/kafka.sh"
bash "$here/postgres.sh"
mkdir -p "$VAR_DIR"
# schemathesis (ctest's conformance_60s) installs from PyPI beside the build.
bash "$here/conformance.sh" --install-only >"$VAR_DIR/conformance-install.log" 2>&1 &
bash "$here/build.sh" test
# The clang fuzz build (about 4 minutes cold) runs at the lowest priority beside the
# tests, which mostly wait on Kafka and PostgreSQL; ctest's fuzz_30s, one of the last
# tests, waits for it (infra/fuzz.sh --wait-build) and fails if it failed.
status="$VAR_DIR/fuzz-build.status"
mkdir -p "$VAR_DIR"
echo running >"$status"
( if nice -n 19 bash "$here/build.sh" fuzz >"$VAR_DIR/fuzz-build.log" 2>&1; then
    echo ok >"$status"
  else
    echo failed >"$status"
  fi ) &
fuzz_build=$!
trap 'wait $fuzz_build 2>/dev/null || true' EXIT  # never leave a build running

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
cd "$TENANTRY_ROOT/build/test"
# Two at a time: only the unit tests run in parallel (integration, e2e, bench, faults and
# fuzz are RUN_SERIAL, since they share the broker and the database).
# A test never skips (a missing Kafka or PostgreSQL fails it), yet ctest counts a skipped
# test as passed: its output is kept and any skip fails the run.
log="$VAR_DIR/ctest.log"
set +e
TENANTRY_FUZZ_BUILD_STATUS="$status" ctest --output-on-failure --timeout 600 --parallel 2 "$@" \
  2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
if grep -q -- '\*\*\*Skipped' "$log"; then
  echo "infra/test.sh: a test was skipped; here a test fails instead (see $log)" >&2
  rc=1
fi
exit "$rc"
