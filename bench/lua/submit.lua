-- Full complaint submissions: POST /api/v1/complaints with realistic Thai
-- bodies (anonymous and named), each answered 201 only after the durable commit.
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "common.lua")
local bodies = dofile(here .. "bodies.lua")

-- KRASIP_AGENCY: the agency's slug, for a deployment of several (issue 11).
local agency = os.getenv("KRASIP_AGENCY")
local path = agency and ("/api/v1/complaints?agency=" .. agency) or "/api/v1/complaints"
local requests = {}
local n = 0
function init(args)
  for i, b in ipairs(bodies) do
    requests[i] = wrk.format("POST", path, {["Content-Type"] = "application/json"}, b)
  end
end
function request()
  n = n + 1
  return requests[(n % #requests) + 1]
end
done = krasip_report
