-- Full complaint submissions: POST /api/v1/complaints with realistic Thai
-- bodies (anonymous and named), each answered 201 only after the durable commit.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "common.lua")
local bodies = dofile(here .. "bodies.lua")

local requests = {}
local n = 0
function init(args)
  for i, b in ipairs(bodies) do
    requests[i] = wrk.format("POST", "/api/v1/complaints", {["Content-Type"] = "application/json"}, b)
  end
end
function request()
  n = n + 1
  return requests[(n % #requests) + 1]
end
done = krasip_report
