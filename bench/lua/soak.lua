-- Soak: a mix of status lookups (7 in 8) and full submissions (1 in 8).
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "common.lua")
local bodies = dofile(here .. "bodies.lua")
local codes = dofile(os.getenv("KRASIP_CODES"))

local lookups, submits = {}, {}
local threads = 0
function setup(thread)
  thread:set("n", threads * 7919)
  threads = threads + 1
end
function init(args)
  for i, c in ipairs(codes) do
    lookups[i] = wrk.format("POST", "/api/v1/status", {["Content-Type"] = "application/json"},
                            '{"tracking_code":"' .. c .. '"}')
  end
  for i, b in ipairs(bodies) do
    submits[i] = wrk.format("POST", "/api/v1/complaints", {["Content-Type"] = "application/json"}, b)
  end
end
function request()
  n = n + 1
  if n % 8 == 0 then return submits[math.floor(n / 8) % #submits + 1] end
  return lookups[(n % #lookups) + 1]
end
done = krasip_report
