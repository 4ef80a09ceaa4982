-- Status lookups: POST /api/v1/status with valid tracking codes, read from
-- the Lua table file named by KRASIP_CODES (written by bench/run beforehand).
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "common.lua")

local codes = dofile(os.getenv("KRASIP_CODES"))
local requests = {}
local threads = 0
function setup(thread)  -- main state: give each wrk thread its own starting point
  thread:set("n", threads * 7919)
  threads = threads + 1
end
function init(args)
  for i, c in ipairs(codes) do
    requests[i] = wrk.format("POST", "/api/v1/status", {["Content-Type"] = "application/json"},
                             '{"tracking_code":"' .. c .. '"}')
  end
end
function request()
  n = n + 1
  return requests[(n % #requests) + 1]
end
done = krasip_report
