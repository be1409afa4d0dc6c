-- Shared by the wrk scripts: writes figures as {"name": {"value": x, "unit": "..."}} to the
-- file named by BENCH_OUT (infra/bench.sh merges them into var/bench/results.json).
local report = {}

function report.write(figures)
  local path = os.getenv("BENCH_OUT")
  if not path then return end
  local parts = {}
  for name, f in pairs(figures) do
    table.insert(parts, string.format('"%s":{"value":%.3f,"unit":"%s"}', name, f[1], f[2]))
  end
  local file = assert(io.open(path, "w"))
  file:write("{" .. table.concat(parts, ",") .. "}\n")
  file:close()
end

-- Throughput and latency of one wrk run under `name`, plus its failures.
function report.standard(name, summary, latency, ok, unit)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  return {
    [name .. "_per_s"] = {ok / seconds, unit},
    [name .. "_p50"] = {latency:percentile(50) / 1000, "ms"},
    [name .. "_p99"] = {latency:percentile(99) / 1000, "ms"},
    [name .. "_failures"] = {summary.requests - ok + e.connect + e.read + e.write + e.timeout,
                             "requests"},
  }
end

return report
