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
bash "$here/build.sh" test
bash "$here/build.sh" fuzz

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
cd "$TENANTRY_ROOT/build/test"
ctest --output-on-failure --timeout 600 "$@"
