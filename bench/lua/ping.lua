-- Baseline: GET /api/v1/ping (no database, no crypto).
local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "common.lua")
wrk.method = "GET"
wrk.path = "/api/v1/ping"
done = krasip_report
