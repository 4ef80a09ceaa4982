#pragma once
#include <chrono>
#include <string_view>

#include "krasip/server/http_types.hpp"

namespace krasip::server {

// Investigator routes get one line per request: the route pattern (never
// the raw path or query, never a body, never the client's address), method,
// status and time. Every other route (the reporter's API, the pages and the
// widget, unmatched and malformed requests) is only counted: a timestamped
// line per complaint, joined with the host page's web server log, would
// name the reporter's address. The counts are written by
// log_request_counts(), once a day and at shutdown.
void log_request(std::string_view route, http::verb method, unsigned status,
                 std::chrono::steady_clock::duration elapsed);

// True for the routes that keep per-request lines.
bool is_investigator_route(std::string_view route);

// One line per (method, route, status) counted since the last call, then
// starts counting afresh. Writes nothing when nothing was counted.
void log_request_counts();

}  // namespace krasip::server
