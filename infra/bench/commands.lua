-- wrk script: tenant commands. Every connection creates a tenant, suspends a tenant it
-- created, resumes one it suspended, so the mix settles at one third each; every command
-- is one event. Names are unique per run (BENCH_PREFIX), so slugs never collide.
-- Environment: BENCH_TOKEN (a super_admin's access token), BENCH_PREFIX, BENCH_OUT,
-- BENCH_NAME (figure prefix, default "commands"), BENCH_DELAY_MS (pause before each request
-- on a connection: the freshness run uses it to hold a lower rate), BENCH_LUA_DIR.
local report = dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")
local token = os.getenv("BENCH_TOKEN") or ""
local prefix = os.getenv("BENCH_PREFIX") or "bench"
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")

local threads = {}
local next_thread = 1

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

function init(args)
  sent = 0
  created, suspended, resumed, failed = 0, 0, 0, 0
  to_suspend, to_resume = {}, {}
  request_headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }
end

function request()
  local slug = table.remove(to_resume)
  if slug then
    return wrk.format("POST", "/v1/tenants/" .. slug .. "/resume", request_headers, "{}")
  end
  slug = table.remove(to_suspend)
  if slug then
    return wrk.format("POST", "/v1/tenants/" .. slug .. "/suspend", request_headers,
                      '{"reason":"bench"}')
  end
  sent = sent + 1
  return wrk.format("POST", "/v1/tenants", request_headers,
                    string.format('{"name":"%s %d %d"}', prefix, thread_id, sent))
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
    local slug = body:match('"slug":"([^"]+)"')
    if slug then table.insert(to_suspend, slug) end
  elseif status == 200 then
    if body:match('[{,]"status":"suspended"') then
      suspended = suspended + 1
      table.insert(to_resume, body:match('"slug":"([^"]+)"'))
    else
      resumed = resumed + 1
    end
  else
    failed = failed + 1
    if failed <= 3 then io.stderr:write("commands.lua: HTTP ", status, " ", body, "\n") end
  end
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function done(summary, latency, requests)
  local c, s, r = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    s = s + t:get("suspended")
    r = r + t:get("resumed")
  end
  local name = os.getenv("BENCH_NAME") or "commands"
  local figures = report.standard(name, summary, latency, c + s + r, "commands/s")
  figures[name .. "_created"] = {c, "commands"}
  report.write(figures)
end
