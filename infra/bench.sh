#!/usr/bin/env bash
# Issue 3's benchmarks. Every figure is measured beside its reference in the same run, so
# the ratio is what counts on a noisy machine. Prints a table and writes
# var/bench/results.json ({"name": {"value": x, "unit": "..."}}); docs/performance.md
# explains the figures.
#
#   infra/bench.sh           full size (~15 min on 2 cores): builds the `bench` flavour
#                            (Release), starts Kafka and PostgreSQL when they are down
#   infra/bench.sh --tiny    every benchmark at tiny size in seconds, only to prove it still
#                            works (var/bench/tiny/); ctest's bench_tiny runs it
#
# Options: --only LIST   comma-separated: commands,freshness,projection,rebuild,reads,micro,
#                        memory
#          --keep        leave the run's topics and schemas (they are dropped otherwise)
#          --tenantryd PATH --bench PATH --micro PATH   use these binaries, build nothing
# Sizes and durations: the BENCH_* variables below.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/env.sh"

tiny=0 keep=0 only="" tenantryd="" bench="" micro=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tiny) tiny=1 ;;
    --keep) keep=1 ;;
    --only) only="$2"; shift ;;
    --tenantryd) tenantryd="$2"; shift ;;
    --bench) bench="$2"; shift ;;
    --micro) micro="$2"; shift ;;
    *) echo "infra/bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

if [ "$tiny" = 1 ]; then
  : "${BENCH_TREES:=1}" "${BENCH_EVENTS:=1000}" "${BENCH_CMD_SECONDS:=2}"
  : "${BENCH_HEALTHZ_SECONDS:=1}" "${BENCH_READ_SECONDS:=1}" "${BENCH_FRESH_SECONDS:=2}"
  : "${BENCH_MICRO_MIN_TIME:=0.01}"
  out="$VAR_DIR/bench/tiny"
else
  : "${BENCH_TREES:=1000}" "${BENCH_EVENTS:=1000000}" "${BENCH_CMD_SECONDS:=30}"
  : "${BENCH_HEALTHZ_SECONDS:=10}" "${BENCH_READ_SECONDS:=15}" "${BENCH_FRESH_SECONDS:=30}"
  : "${BENCH_MICRO_MIN_TIME:=0.5}"
  out="$VAR_DIR/bench"
fi
: "${BENCH_PER_TREE:=100}" "${BENCH_DEPTH:=10}"
: "${BENCH_CONNECTIONS:=64}"        # commands and their /healthz reference
: "${BENCH_READ_CONNECTIONS:=8}"    # reads and their /healthz reference
: "${BENCH_FRESH_CONNECTIONS:=32}"  # the load held at half the command rate
tenants=$((BENCH_TREES * BENCH_PER_TREE))
[ "$tenants" -gt "$BENCH_EVENTS" ] && tenants=$BENCH_EVENTS

want() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }
# What the wanted steps need: freshness runs at half the measured command rate, reads
# and rebuild run on the loaded topic, reads on the projected schema.
want freshness && [ -n "$only" ] && only="$only,commands"
want reads && [ -n "$only" ] && only="$only,projection"

if [ -z "$tenantryd$bench" ]; then
  if [ "$tiny" = 1 ]; then
    echo "infra/bench.sh: --tiny builds nothing; pass --tenantryd, --bench and --micro" >&2
    exit 2
  fi
  bash "$here/deps.sh"
  bash "$here/build.sh" bench --target tenantryd tenantry_bench tenantry_micro_bench \
    tenantry_memory_bench -j 2
  tenantryd="$TENANTRY_ROOT/build/bench/tenantryd/tenantryd"
  bench="$TENANTRY_ROOT/build/bench/tests/bench/tenantry_bench"
  micro="$TENANTRY_ROOT/build/bench/tests/bench/tenantry_micro_bench"
fi
for b in "$tenantryd" "$bench"; do
  [ -x "$b" ] || { echo "infra/bench.sh: no executable $b" >&2; exit 2; }
done
bash "$here/kafka.sh"
bash "$here/postgres.sh"

parts="$out/parts" logs="$out/logs"
rm -rf "$parts" "$logs" "$out/run"
mkdir -p "$parts" "$logs" "$out/run"
run_id="$(date +%m%d%H%M%S)$$"
topic_base="tenantry_bench_$run_id"
schema_base="bench_$run_id"
kafka_pid="$(cat "$KAFKA_DIR/kafka.pid" 2>/dev/null || echo 0)"
pg_pid="$(head -1 "$PG_DATA/postmaster.pid" 2>/dev/null || echo 0)"
# Whose CPU time each benchmark reports besides its own (PostgreSQL: the postmaster and
# its backends).
watch=(--watch "kafka=$kafka_pid" --watch "postgres=$pg_pid")
admin_email="bench@example.com"
admin_password="bench-password-$run_id"
topics=() schemas=() server_pid="" port="" token=""
started_at=$(date +%s)

psql_bench() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$TENANTRY_DATABASE_URL" "$@"; }
log() { echo "bench: $*" >&2; }
now() { date +%s.%N; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
# A figure of a part file, or 0.
figure() { jq -r --arg n "$2" '.[$n].value // 0' "$parts/$1.json" 2>/dev/null || echo 0; }
put_figure() {  # part name value unit
  jq -n --arg n "$2" --argjson v "$3" --arg u "$4" '{($n): {value: ($v * 1000 | round / 1000), unit: $u}}' \
    >"$parts/$1.json"
}

stop_server() {
  [ -n "$server_pid" ] || return 0
  if ! kill -0 "$server_pid" 2>/dev/null; then
    local code=0
    wait "$server_pid" 2>/dev/null || code=$?
    log "tenantryd had exited (status $code) before the end of its benchmarks"
    server_pid=""
    return 1
  fi
  kill -TERM "$server_pid" 2>/dev/null || true
  for _ in $(seq 1 300); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

cleanup() {
  stop_server || true
  [ "$keep" = 1 ] && return 0
  if [ ${#topics[@]} -gt 0 ]; then "$bench" drop-topics "${topics[@]}" || true; fi
  for s in "${schemas[@]}"; do psql_bench -c "DROP SCHEMA IF EXISTS $s CASCADE" || true; done
}
trap cleanup EXIT

# Starts tenantryd on a free loopback port with its own topic and schema, waits until
# /readyz answers 200, and logs in as the bootstrap admin ($port, $token, $server_pid).
start_server() {  # topic schema label
  local topic="$1" schema="$2" label="$3" t0 limits
  port="$("$bench" free-port)"
  local env_args=(
    "TENANTRY_LISTEN=127.0.0.1:$port" "TENANTRY_TOPIC=$topic"
    "TENANTRY_TRANSACTIONAL_ID=$topic-writer" "TENANTRY_DB_SCHEMA=$schema"
    "TENANTRY_SIGNING_KEY=$out/run/signing-key.pem" "TENANTRY_DATA_KEY_FILE=$out/run/data-key" "TENANTRY_ADMIN_EMAIL=$admin_email"
    "TENANTRY_ADMIN_PASSWORD=$admin_password" "TENANTRY_PASSWORD_HASHING=minimal"
    "TENANTRY_LOG_LEVEL=${BENCH_LOG_LEVEL:-warn}" "TENANTRY_ACCESS_TOKEN_TTL=86400")
  # Rate limits would measure the limiter: switch off every one this build knows.
  limits=$("$tenantryd" --help 2>/dev/null | grep -oE 'TENANTRY_RATE_LIMIT_[A-Z0-9_]+' | sort -u || true)
  for v in $limits; do env_args+=("$v=0"); done
  t0=$(now)
  env "${env_args[@]}" "$tenantryd" >"$logs/tenantryd-$label.log" 2>&1 &
  server_pid=$!
  local limit=$((tiny ? 90 : 600))
  for _ in $(seq 1 $((limit * 10))); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      log "tenantryd exited during start-up; see $logs/tenantryd-$label.log"
      tail -5 "$logs/tenantryd-$label.log" >&2
      server_pid=""
      return 1
    fi
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ] && break
    sleep 0.1
  done
  put_figure "${label}_start" "${label}_server_start_seconds" "$(calc "$(now) - $t0")" s
  token=$(curl -sf -X POST "http://127.0.0.1:$port/v1/auth/token" -H 'Content-Type: application/json' \
    -d "{\"username\": \"$admin_email\", \"password\": \"$admin_password\"}" | jq -r .access)
  [ -n "$token" ] && [ "$token" != null ] || { log "cannot log in to tenantryd"; return 1; }
}

# wrk under the CPU meter: figures in $parts/<name>.json and <name>_cpu.json.
run_wrk() {  # name script seconds connections
  local name="$1" script="$2" seconds="$3" connections="$4"
  log "wrk $name: $connections connections, ${seconds} s"
  BENCH_OUT="$parts/$name.json" BENCH_LUA_DIR="$here/bench" BENCH_TOKEN="$token" \
    "$bench" --watch "tenantryd=$server_pid" "${watch[@]}" \
    cpu --label "$name" --out "$parts/${name}_cpu.json" -- \
    wrk -t2 -c"$connections" -d"${seconds}s" --timeout 10s -s "$here/bench/$script" \
    "http://127.0.0.1:$port" >"$logs/$name.txt" 2>&1
}

bench_commands() {
  local topic="${topic_base}_cmd" schema="${schema_base}_cmd"
  topics+=("$topic" "${topic}_raw" "${topic}_adapter" "${topic}_full")
  schemas+=("$schema")
  start_server "$topic" "$schema" commands
  BENCH_KIND=healthz BENCH_NAME=healthz run_wrk healthz reads.lua "$BENCH_HEALTHZ_SECONDS" \
    "$BENCH_CONNECTIONS"
  BENCH_PREFIX="bench $run_id" run_wrk commands commands.lua "$BENCH_CMD_SECONDS" \
    "$BENCH_CONNECTIONS"
  # The same events again, in the same transactions: librdkafka alone, then the adapter.
  log "raw_produce and adapter_append: the commands' events re-produced"
  "$bench" "${watch[@]}" produce --from "$topic" --to "${topic}_raw" --via raw \
    >"$parts/raw_produce.json"
  "$bench" "${watch[@]}" produce --from "$topic" --to "${topic}_adapter" \
    --via adapter >"$parts/adapter_append.json"
  # And in transactions as large as the connections can fill (each has one command in flight).
  "$bench" "${watch[@]}" produce --from "$topic" --to "${topic}_full" --via raw \
    --batch "$BENCH_CONNECTIONS" >"$parts/raw_produce_full.json"
  if want freshness; then bench_freshness; fi
  stop_server
}

# Command acknowledged -> visible through GET, while wrk holds half the maximum command
# rate: wrk's delay() paces each connection, calibrated once for the command latency.
bench_freshness() {
  local max rate conns="$BENCH_FRESH_CONNECTIONS" delay achieved latency_ms calib
  max=$(figure commands commands_per_s)
  [ "$(calc "($max > 0)")" = 1.000000 ] || { log "freshness: no command rate, skipped"; return 1; }
  rate=$(calc "$max / 2")
  delay=$(calc "int($conns * 1000 / $rate)")
  calib=$((tiny ? 1 : 3))
  BENCH_PREFIX="calib $run_id" BENCH_DELAY_MS="$delay" BENCH_NAME=calibration \
    run_wrk calibration commands.lua "$calib" "$conns"
  achieved=$(figure calibration calibration_per_s)
  # conns / achieved = delay + latency: keep the latency, fix the delay.
  latency_ms=$(calc "$conns * 1000 / $achieved - $delay")
  delay=$(calc "int($conns * 1000 / $rate - $latency_ms)")
  [ "${delay%.*}" -lt 1 ] && delay=1
  log "freshness: holding ~$(printf %.0f "$rate") commands/s (delay $delay ms on $conns connections)"
  BENCH_PREFIX="load $run_id" BENCH_DELAY_MS="$delay" BENCH_NAME=freshness_load \
    run_wrk freshness_load commands.lua "$((BENCH_FRESH_SECONDS + 2))" "$conns" &
  local load_pid=$!
  sleep 1
  "$bench" freshness --port "$port" --token "$token" --seconds "$BENCH_FRESH_SECONDS" \
    --prefix "fresh $run_id" >"$parts/freshness.json"
  wait "$load_pid"
  put_figure freshness_target freshness_load_target "$rate" commands/s
}

bench_load() {
  data_topic="${topic_base}_data"
  topics+=("$data_topic")
  log "load: $BENCH_EVENTS events, $tenants tenants into $data_topic"
  "$bench" "${watch[@]}" load --topic "$data_topic" --trees "$BENCH_TREES" \
    --per-tree "$BENCH_PER_TREE" --depth "$BENCH_DEPTH" --events "$BENCH_EVENTS" \
    >"$parts/load.json"
}

# The projector from zero, then COPY of the rows it wrote into the same (empty) tables.
bench_projection() {
  data_schema="${schema_base}_data"
  local copy_schema="${schema_base}_copy" dir="$out/run/copy" t0 seconds rows
  schemas+=("$data_schema" "$copy_schema")
  log "projection: $data_topic into schema $data_schema"
  "$bench" "${watch[@]}" project --topic "$data_topic" --schema "$data_schema" \
    >"$parts/projection.json"
  mkdir -p "$dir"
  "$bench" migrate --schema "$copy_schema"
  local tables=(events tenants users projection_offsets) script="$dir/copy.sql"
  : >"$script"
  for t in "${tables[@]}"; do
    psql_bench -c "\\copy $data_schema.$t TO '$dir/$t.tsv'"
    echo "\\copy $copy_schema.$t FROM '$dir/$t.tsv'" >>"$script"
  done
  rows=$(cat "$dir"/*.tsv | wc -l)
  log "copy: $rows rows into schema $copy_schema"
  t0=$(now)
  psql_bench -1 -f "$script"
  seconds=$(calc "$(now) - $t0")
  rm -rf "$dir"
  # Done with the copy: its tables would only give autovacuum work during later runs.
  [ "$keep" = 1 ] || psql_bench -c "DROP SCHEMA $copy_schema CASCADE"
  jq -n --argjson s "$seconds" --argjson rows "$rows" \
    --argjson events "$(figure projection projection_events)" '
      def r: . * 1000 | round / 1000; {
      copy_seconds: {value: ($s | r), unit: "s"},
      copy_rows: {value: $rows, unit: "rows"},
      copy_rows_per_s: {value: ($rows / $s | r), unit: "rows/s"},
      copy_events_per_s: {value: ($events / $s | r), unit: "events/s"}}' >"$parts/copy.json"
}

bench_rebuild() {
  for mode in consume replay decode; do
    log "rebuild layer: $mode"
    "$bench" rebuild --topic "$data_topic" --mode "$mode" >"$parts/rebuild_$mode.json"
  done
  log "rebuild: the writer's start-up replay"
  "$bench" rebuild --topic "$data_topic" --mode writer --tenants "$tenants" \
    >"$parts/rebuild.json"
}

bench_reads() {
  # Reads are measured on settled tables: autovacuum would otherwise vacuum and analyze
  # the million events just projected in the middle of the runs (it starts about 30 s
  # after them), and its CPU would be counted as the queries'.
  log "reads: VACUUM ANALYZE of $data_schema first"
  psql_bench -c "SET search_path = $data_schema" -c "VACUUM (ANALYZE) events, tenants, users"
  start_server "$data_topic" "$data_schema" reads
  export BENCH_TREES BENCH_PER_TREE BENCH_DEPTH
  BENCH_KIND=healthz BENCH_NAME=reads_healthz run_wrk reads_healthz reads.lua \
    "$BENCH_READ_SECONDS" "$BENCH_READ_CONNECTIONS"
  for kind in slug children hierarchy search; do
    BENCH_KIND=$kind run_wrk "reads_$kind" reads.lua "$BENCH_READ_SECONDS" \
      "$BENCH_READ_CONNECTIONS"
  done
  stop_server
}

bench_micro() {
  [ -n "$micro" ] && [ -x "$micro" ] || { log "micro: no tenantry_micro_bench, skipped"; return 0; }
  log "micro: per-event costs (Google Benchmark)"
  "$micro" --benchmark_min_time="$BENCH_MICRO_MIN_TIME" --benchmark_format=json \
    2>"$logs/micro.txt" | jq '[.benchmarks[] | {("micro_" + (.name | gsub("/"; "_"))):
      {value: (.real_time * 10 | round / 10), unit: .time_unit}}] | add' >"$parts/micro.json"
}

# Memory over long runs of distinct usernames, idempotency keys and logins, each bound
# beside the same input without it (tests/bench/memory_bench.cpp); the same size tiny or not.
bench_memory() {
  local memory="${micro%/*}/tenantry_memory_bench"
  [ -x "$memory" ] || { log "memory: no tenantry_memory_bench, skipped"; return 0; }
  log "memory: bounded maps over distinct client input (Google Benchmark)"
  local name
  # One process a benchmark, so that each peak resident set is its own.
  for name in LimiterDistinctUsernames UnboundedMapDistinctUsernames WriterTwoDaysPruned \
    WriterTwoDaysUnpruned; do
    # Under AddressSanitizer (ctest's bench_tiny) freed memory would sit in its quarantine.
    ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=0" \
      "$memory" --benchmark_filter="^BM_$name/" --benchmark_format=json 2>>"$logs/memory.txt" |
      jq '[.benchmarks[] | .name as $n
        | to_entries[] | select(.key | IN("keys_tried", "keys_held", "commands",
            "records_after_1d", "records_after_2d", "sessions_after_2d", "peak_rss_mib"))
        | {("memory_" + ($n | sub("BM_"; "") | sub("/.*"; "")) + "_" + .key):
            {value: (.value * 10 | round / 10),
             unit: (if .key == "peak_rss_mib" then "MiB" else "count" end)}}] | add' \
      >"$parts/memory_$name.json"
  done
}

put_figure machine "machine_load_1m" "$(cut -d' ' -f1 /proc/loadavg)" load
if want commands; then bench_commands; fi
if want projection || want rebuild || want reads; then bench_load; fi
if want projection; then bench_projection; fi
if want rebuild; then bench_rebuild; fi
if want reads; then bench_reads; fi
if want micro; then bench_micro; fi
if want memory; then bench_memory; fi
put_figure machine_end "machine_load_1m_end" "$(cut -d' ' -f1 /proc/loadavg)" load

# Ratios to the references, then every figure.
jq -s 'add' "$parts"/*.json | jq '
  def ratio(a; b; name): if (.[a].value // 0) > 0 and (.[b].value // 0) > 0
    then . + {(name): {value: ((.[a].value / .[b].value * 1000 | round) / 10), unit: "%"}}
    else . end;
  # CPU milliseconds a process spent per request of a wrk run.
  def cost(run; process): (.[run + "_cores_" + process].value // 0) as $cores
    | (.[run + "_per_s"].value // 0) as $rate
    | if $cores > 0 and $rate > 0
      then . + {(run + "_cpu_ms_" + process): {value: ($cores / $rate * 1e6 | round / 1000),
                                               unit: "ms/request"}}
      else . end;
  ratio("commands_per_s"; "healthz_per_s"; "commands_vs_healthz")
  | ratio("commands_per_s"; "raw_produce_events_per_s"; "commands_vs_raw_produce")
  | ratio("projection_events_per_s"; "copy_events_per_s"; "projection_vs_copy")
  | ratio("freshness_load_per_s"; "commands_per_s"; "freshness_load_vs_max")
  | ratio("memory_LimiterDistinctUsernames_keys_held"; "memory_UnboundedMapDistinctUsernames_keys_held";
          "memory_limiter_keys_vs_unbounded")
  | ratio("memory_WriterTwoDaysPruned_records_after_2d"; "memory_WriterTwoDaysUnpruned_records_after_2d";
          "memory_idempotency_records_vs_unpruned")
  | ratio("memory_WriterTwoDaysPruned_records_after_2d"; "memory_WriterTwoDaysPruned_records_after_1d";
          "memory_idempotency_day2_vs_day1")
  | cost("commands"; "tenantryd") | cost("commands"; "kafka") | cost("commands"; "postgres")
  | cost("healthz"; "tenantryd") | cost("reads_slug"; "tenantryd") | cost("reads_slug"; "postgres")
  | cost("reads_search"; "tenantryd") | cost("reads_search"; "postgres")' \
  >"$out/results.json"

goals='{
  "commands_per_s": [">=", 5000], "commands_p99": ["<=", 50], "commands_vs_healthz": [">=", 25],
  "projection_events_per_s": [">=", 50000], "projection_vs_copy": [">=", 30],
  "rebuild_events_per_s": [">=", 200000], "write_model_bytes_per_tenant": ["<=", 2048],
  "reads_slug_p99": ["<=", 10], "reads_children_p99": ["<=", 10],
  "reads_hierarchy_p99": ["<=", 10], "reads_search_p99": ["<=", 10],
  "freshness_p99": ["<=", 100], "memory_LimiterDistinctUsernames_keys_held": ["<=", 100000],
  "memory_idempotency_day2_vs_day1": ["<=", 101]}'
{
  echo "figure value unit goal"
  jq -r --argjson goals "$goals" '
    to_entries as $all
    | ([$goals | keys_unsorted[] as $k | select($all | any(.key == $k)) | $k]) as $first
    | ($first + ([$all[].key | select(. as $k | $first | index($k) | not)] | sort))[]
    | . as $k | $all[] | select(.key == $k)
    | [.key, (.value.value | tostring), .value.unit,
       (if $goals[.key] then
          $goals[.key] as $g
          | ($g[0] + ($g[1] | tostring)) + " "
            + (if ($g[0] == ">=" and .value.value >= $g[1]) or ($g[0] == "<=" and .value.value <= $g[1])
               then "holds" else "MISSED" end)
        else "" end)] | join(" ")' "$out/results.json"
} | column -t | tee "$out/results.txt"
echo "bench: $(($(date +%s) - started_at)) s; figures in $out/results.json; logs in $logs" >&2

# Every benchmark must have produced its figures; the tiny run also demands no failures.
missing=()
want commands && for f in commands_per_s healthz_per_s raw_produce_events_per_s \
  adapter_append_events_per_s; do missing+=("$f"); done
want freshness && missing+=(freshness_p99)
want projection && missing+=(projection_events_per_s copy_events_per_s)
want rebuild && missing+=(rebuild_events_per_s rebuild_consume_events_per_s)
want reads && missing+=(reads_slug_p99 reads_children_p99 reads_hierarchy_p99 reads_search_p99)
status=0
for f in "${missing[@]}"; do
  v=$(jq -r --arg n "$f" '.[$n].value // 0' "$out/results.json")
  if [ "$(calc "($v > 0)")" != 1.000000 ]; then log "no figure $f"; status=1; fi
done
failures=$(jq '[to_entries[] | select(.key | endswith("_failures")) | .value.value] | add // 0' \
  "$out/results.json")
if [ "$(calc "($failures > 0)")" = 1.000000 ]; then
  log "$failures requests failed (see the *_failures figures and $logs)"
  [ "$tiny" = 1 ] && status=1
fi
exit $status
