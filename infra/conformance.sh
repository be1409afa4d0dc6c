#!/usr/bin/env bash
# Runs schemathesis (every check; examples, coverage and fuzzing phases) against a
# tenantryd started on its own topic and schema, for a bounded time (docs/reliability.md,
# "Conformance to the OpenAPI document"). Fails on a 5xx, a schema-valid request refused,
# a schema-violating one taken, a response its schema does not describe, a sanitizer
# report in tenantryd's log, or a projector that does not catch up with the log.
#
#   infra/conformance.sh [--max-time S] [--tenantryd PATH] [--install-only] [-- ST_ARGS]
#     --max-time S     how long schemathesis generates requests (default 120)
#     --tenantryd PATH the server to test (default: build/test/tenantryd/tenantryd)
#     --install-only   only install schemathesis (infra/test.sh does it beside the build)
#     ST_ARGS          more `st run` options, e.g. --seed N to replay a run
#
# schemathesis (pinned below) is installed from PyPI into var/tools/ on first use; Kafka
# and PostgreSQL must be running (infra/kafka.sh, infra/postgres.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"

version=4.32.5
max_time=120
tenantryd="$TENANTRY_ROOT/build/test/tenantryd/tenantryd"
install_only=0
st_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --max-time) max_time="$2"; shift ;;
    --tenantryd) tenantryd="$2"; shift ;;
    --install-only) install_only=1 ;;
    --) shift; st_args=("$@"); break ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "infra/conformance.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
case "$max_time" in ''|*[!0-9]*) echo "infra/conformance.sh: --max-time needs a number" >&2; exit 2 ;; esac

tools="$VAR_DIR/tools"
venv="$tools/schemathesis-$version"
mkdir -p "$tools"
# One installer at a time: the test run starts one early and this waits for it.
exec 9>"$tools/schemathesis.lock"
flock 9
if [ ! -x "$venv/bin/st" ]; then
  echo "infra/conformance.sh: installing schemathesis $version into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi
flock -u 9
[ "$install_only" = 1 ] && exit 0

if [ ! -x "$tenantryd" ]; then
  echo "infra/conformance.sh: no tenantryd at $tenantryd (build it: infra/build.sh test)" >&2
  exit 1
fi
work="$VAR_DIR/conformance/$(date +%Y%m%d-%H%M%S)-$$"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}"
if python3 "$here/conformance/run.py" --tenantryd "$tenantryd" --st "$venv/bin/st" \
     --max-time "$max_time" --work-dir "$work" \
     --checks all --phases examples,coverage,fuzzing "${st_args[@]}"; then
  rm -rf "$work"
else
  echo "infra/conformance.sh: failed; tenantryd's log and schemathesis' files are in $work" >&2
  exit 1
fi
