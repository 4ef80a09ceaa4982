#pragma once
#include <chrono>
#include <string_view>

#include "krasip/server/http_types.hpp"

namespace krasip::server {

// One line per request: the route pattern (never the raw path or query,
// never a body, never the client's address), method, status and time.
void log_request(std::string_view route, http::verb method, unsigned status,
                 std::chrono::steady_clock::duration elapsed);

}  // namespace krasip::server
