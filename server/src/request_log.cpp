#include "request_log.hpp"

#include <spdlog/spdlog.h>

namespace krasip::server {

void log_request(std::string_view route, http::verb method, unsigned status,
                 std::chrono::steady_clock::duration elapsed) {
  const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
  const auto m = http::to_string(method);
  spdlog::info("event=request method={} route={} status={} ms={:.2f}",
               std::string_view(m.data(), m.size()), route, status, ms);
}

}  // namespace krasip::server
