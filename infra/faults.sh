#!/usr/bin/env bash
# Fault injection (issue 3): kill -9 tenantryd under load, kill -9 the Kafka broker,
# stop PostgreSQL and kill the projector during a catch-up, a second writer, deleting and
# restoring subtrees, resource limits. Every command carries an Idempotency-Key and a
# client-side id and is recorded as ok, failed or indeterminate; the scenarios then check
# the event log (kcat, read_committed) and the read models (psql). Prints
# `faults: N/N passed` last; non-zero if any scenario fails. The full runs then run the
# libFuzzer targets for 5 minutes (infra/fuzz.sh), and the last line becomes
# `faults: N/N passed; fuzz: K/K targets clean`, non-zero if either failed.
# See docs/reliability.md.
#
#   infra/faults.sh                  the full-size runs (about 15-20 minutes) and fuzzing
#   infra/faults.sh --small          the small runs that ctest runs (label `faults`)
#   options: --no-setup (skip deps, Kafka, PostgreSQL and the builds: test.sh did them),
#            --tenantryd PATH (default: build/release/tenantryd/tenantryd),
#            --only 1,4 (some scenarios), --keep (keep topics, schemas and logs),
#            --fuzz-seconds N (default 300; 0 with --small or --only; 0 skips fuzzing)
#
# Scenario 2 kills and restarts the shared Kafka broker, scenario 3 stops and restarts the
# shared PostgreSQL: other tests using them at the same time may fail meanwhile. Both are
# always running again when this script ends.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"

setup=1
tenantryd=""
args=()
fuzz_seconds=""
while [ $# -gt 0 ]; do
  case "$1" in
    --small) args+=(--small) ;;
    --no-setup) setup=0 ;;
    --tenantryd) tenantryd="$2"; shift ;;
    --only) args+=(--only "$2"); shift ;;
    --keep) args+=(--keep) ;;
    --fuzz-seconds) fuzz_seconds="$2"; shift ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "infra/faults.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
flavour=full
for a in "${args[@]}"; do [ "$a" = --small ] && flavour=small; done
if [ -z "$fuzz_seconds" ]; then
  fuzz_seconds=300
  for a in "${args[@]}"; do case "$a" in --small|--only) fuzz_seconds=0 ;; esac; done
fi

if [ "$setup" = 1 ]; then
  bash "$here/deps.sh"
  bash "$here/kafka.sh"
  bash "$here/postgres.sh"
  bash "$here/build.sh" release --target tenantryd
  [ "$fuzz_seconds" = 0 ] || bash "$here/build.sh" fuzz
fi
tenantryd="${tenantryd:-$TENANTRY_ROOT/build/release/tenantryd/tenantryd}"
if [ ! -x "$tenantryd" ]; then
  echo "infra/faults.sh: no tenantryd at $tenantryd (build it: infra/build.sh release)" >&2
  exit 2
fi

export TENANTRY_VAR_DIR="$VAR_DIR" TENANTRY_PG_PORT="$PG_PORT"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}"
mkdir -p "$VAR_DIR/faults"
results="$VAR_DIR/faults/last-$flavour.json"
driver=(python3 "$here/faults/driver.py" --tenantryd "$tenantryd" --results "$results" "${args[@]}")
[ "$fuzz_seconds" = 0 ] && exec "${driver[@]}"

rm -f "$results"
faults_rc=0
"${driver[@]}" || faults_rc=$?
echo
fuzz_log="$VAR_DIR/faults/last-fuzz.log"
fuzz_rc=0
bash "$here/fuzz.sh" --seconds "$fuzz_seconds" --no-build | tee "$fuzz_log" || fuzz_rc=$?
# The driver's summary again, last, with the fuzzing counted in.
faults_line="$(python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"]
print("faults: %d/%d passed" % (sum(x["passed"] for x in r), len(r)))' "$results" 2>/dev/null ||
  echo "faults: the driver did not finish")"
fuzz_line="$(tail -n 1 "$fuzz_log")"
echo
echo "$faults_line; ${fuzz_line:-fuzz: did not run}"
[ "$faults_rc" = 0 ] && [ "$fuzz_rc" = 0 ]
