-- wrk script: reads of random tenants of the benchmark forest (tests/bench/dataset.hpp):
-- BENCH_TREES trees of BENCH_PER_TREE tenants, BENCH_DEPTH levels; tree 42's root is
-- org-000042, its node 17 unit-000042-017. BENCH_KIND picks the request:
--   healthz    GET /healthz (no token; the HTTP stack alone)
--   slug       GET /v1/tenants/{slug}
--   children   GET /v1/tenants/{slug}/children of a tenant that has children
--   hierarchy  GET /v1/tenants/{slug}/hierarchy?depth=3
--   search     GET /v1/tenants?search={tree number}: the ~per_tree tenants of one tree
-- Other environment: BENCH_TOKEN, BENCH_OUT, BENCH_LUA_DIR, BENCH_NAME (figure prefix,
-- default reads_<kind>).
local report = dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
local kind = os.getenv("BENCH_KIND") or "slug"
local token = os.getenv("BENCH_TOKEN") or ""
local trees = tonumber(os.getenv("BENCH_TREES") or "1")
local per_tree = tonumber(os.getenv("BENCH_PER_TREE") or "100")
local depth = tonumber(os.getenv("BENCH_DEPTH") or "10")
local per_level = math.floor((per_tree - 1 + depth - 2) / (depth - 1))
-- Nodes below the last level have children (each level is filled before the next).
local with_children = math.min(per_tree, 1 + (depth - 2) * per_level)

local threads = {}
local next_thread = 1

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(thread_id * 7919 + os.time())
  ok, failed = 0, 0
  request_headers = {["Authorization"] = "Bearer " .. token}
end

local function slug(tree, node)
  if node == 0 then return string.format("org-%06d", tree) end
  return string.format("unit-%06d-%03d", tree, node)
end

function request()
  local tree = math.random(0, trees - 1)
  if kind == "healthz" then
    return wrk.format("GET", "/healthz")
  elseif kind == "slug" then
    return wrk.format("GET", "/v1/tenants/" .. slug(tree, math.random(0, per_tree - 1)),
                      request_headers)
  elseif kind == "children" then
    return wrk.format("GET", "/v1/tenants/" .. slug(tree, math.random(0, with_children - 1)) ..
                      "/children", request_headers)
  elseif kind == "hierarchy" then
    return wrk.format("GET", "/v1/tenants/" .. slug(tree, math.random(0, per_tree - 1)) ..
                      "/hierarchy?depth=3", request_headers)
  elseif kind == "search" then
    return wrk.format("GET", string.format("/v1/tenants?search=%06d", tree), request_headers)
  end
  error("reads.lua: unknown BENCH_KIND " .. kind)
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  else
    failed = failed + 1
    if failed <= 3 then io.stderr:write("reads.lua: HTTP ", status, " ", body, "\n") end
  end
end

function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("ok") end
  report.write(report.standard(os.getenv("BENCH_NAME") or ("reads_" .. kind), summary, latency, n, "requests/s"))
end
