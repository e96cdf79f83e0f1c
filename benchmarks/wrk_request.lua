-- wrk script for benchmarks/run.py:
--   wrk ... -s wrk_request.lua URL -- METHOD EXPECTED_STATUS [FORM_BODY]
-- sets the method and (for a POST) the url-encoded body and its Content-Type; the Cookie and
-- User-Agent headers come from wrk's -H options. Every response whose status is not
-- EXPECTED_STATUS is counted (a 302 to the login page would otherwise look like success), and
-- done() prints one line that run.py parses:
--   BENCH unexpected=<count> first_bad=<first unexpected status, 0 if none>

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  expected = tonumber(args[2]) or 200
  unexpected = 0
  first_bad = 0
  wrk.method = args[1] or "GET"
  if args[3] and args[3] ~= "" then
    wrk.body = args[3]
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
    if first_bad == 0 then
      first_bad = status
    end
  end
end

function done(summary, latency, requests)
  local bad, first = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("unexpected") or 0)
    local f = thread:get("first_bad") or 0
    if first == 0 and f ~= 0 then
      first = f
    end
  end
  io.write(string.format("BENCH unexpected=%d first_bad=%d\n", bad, first))
end
