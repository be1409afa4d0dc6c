#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz (clang 16, AddressSanitizer + UBSan; see
# docs/reliability.md, "Fuzzing"): every target at the same time for N seconds, each from a
# copy of its seed corpus (tests/fuzz/corpus/<target>) in a scratch directory under
# var/fuzz/. Prints `fuzz <target>: N runs (R/s), 0 crashes` per target and
# `fuzz: K/K targets clean` last; non-zero if any target crashed or could not run, with
# the crash file and the log named (a failed run's directory is kept).
#
#   infra/fuzz.sh [--seconds N] [--no-build] [--only jwt,event_codec]
#     --seconds N   how long every target runs (default 300); they run concurrently
#     --no-build    use build/fuzz as it is (infra/build.sh fuzz); a missing target fails
#     --only LIST   some of the targets (command_body, event_codec, request_target, jwt)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"

seconds=300
build=1
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift ;;
    --no-build) build=0 ;;
    --only) only="$2"; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "infra/fuzz.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
case "$seconds" in ''|*[!0-9]*) echo "infra/fuzz.sh: --seconds needs a number" >&2; exit 2 ;; esac

targets=()
for source in "$TENANTRY_ROOT"/tests/fuzz/*_fuzz.cpp; do
  name="$(basename "$source" _fuzz.cpp)"
  if [ -z "$only" ] || [[ ",$only," == *",$name,"* ]]; then targets+=("$name"); fi
done
if [ ${#targets[@]} -eq 0 ]; then
  echo "infra/fuzz.sh: no fuzz target matches '$only'" >&2
  exit 2
fi

[ "$build" = 1 ] && bash "$here/build.sh" fuzz
# infra/test.sh builds build/fuzz in the background and says how it went in this file.
if [ "$build" = 0 ] && [ -n "${TENANTRY_FUZZ_BUILD_STATUS:-}" ]; then
  for _ in $(seq 1 900); do
    [ "$(cat "$TENANTRY_FUZZ_BUILD_STATUS" 2>/dev/null)" = running ] || break
    sleep 1
  done
  state="$(cat "$TENANTRY_FUZZ_BUILD_STATUS" 2>/dev/null || echo missing)"
  if [ "$state" != ok ]; then
    echo "fuzz: the fuzz build is $state; see $VAR_DIR/fuzz-build.log" >&2
    tail -20 "$VAR_DIR/fuzz-build.log" >&2 || true
    exit 1
  fi
fi

# The longest input each target tries: request bodies and Kafka records well beyond their
# seeds; request lines and tokens (at most 8 KiB) at the sizes clients really send.
max_len_of() {
  case "$1" in
    request_target|jwt) echo 2048 ;;
    *) echo 4096 ;;
  esac
}

# Leaks count as crashes here (test.sh turns leak detection off for the test binaries).
export ASAN_OPTIONS="${TENANTRY_FUZZ_ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${TENANTRY_FUZZ_UBSAN_OPTIONS:-print_stacktrace=1}"

run_dir="$VAR_DIR/fuzz/$(date +%Y%m%d-%H%M%S)-$$"
echo "fuzz: ${targets[*]} for $seconds s each, concurrently, in $run_dir"
for t in "${targets[@]}"; do
  dir="$run_dir/$t"
  bin="$TENANTRY_ROOT/build/fuzz/tests/fuzz/${t}_fuzz"
  mkdir -p "$dir/corpus"
  cp "$TENANTRY_ROOT/tests/fuzz/corpus/$t/"* "$dir/corpus/"
  if [ ! -x "$bin" ]; then
    echo "no fuzz binary at $bin (build it: infra/build.sh fuzz)" >"$dir/log"
    echo 127 >"$dir/rc"
    continue
  fi
  (
    cd "$dir"
    rc=0
    "$bin" -max_total_time="$seconds" -max_len="$(max_len_of "$t")" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/" corpus \
      >"$dir/log" 2>&1 || rc=$?
    echo "$rc" >"$dir/rc"
  ) &
done
wait

clean=0
for t in "${targets[@]}"; do
  dir="$run_dir/$t"
  rc="$(cat "$dir/rc" 2>/dev/null || echo 1)"
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -1)"
  artifacts=("$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-*)
  found=()
  for a in "${artifacts[@]}"; do [ -e "$a" ] && found+=("$a"); done
  if [ "$rc" = 0 ] && [ ${#found[@]} -eq 0 ] && [ -n "$runs" ]; then
    echo "fuzz $t: $runs runs (${rate:-?}/s), 0 crashes"
    clean=$((clean + 1))
  elif [ "$rc" = 127 ]; then
    echo "fuzz $t: did not run: $(cat "$dir/log")"
  else
    echo "fuzz $t: ${runs:-?} runs, ${#found[@]} crash(es), exit status $rc"
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*_fuzz: check failed|.*runtime error)' "$dir/log" |
      head -5 | sed 's/^/  /' || true
    for a in "${found[@]}"; do
      echo "  crash file: $a"
      echo "  reproduce:  $TENANTRY_ROOT/build/fuzz/tests/fuzz/${t}_fuzz $a"
    done
    echo "  log: $dir/log"
  fi
done

echo "fuzz: $clean/${#targets[@]} targets clean"
if [ "$clean" -ne ${#targets[@]} ]; then
  exit 1
fi
rm -rf "$run_dir"
