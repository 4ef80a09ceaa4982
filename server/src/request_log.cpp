#include "request_log.hpp"

#include "krasip/server/metrics.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace krasip::server {

namespace {

using CountKey = std::tuple<std::string, std::string, unsigned>;  // method, route, status

struct Counts {
  std::mutex mutex;
  std::map<CountKey, std::uint64_t> n;
};

Counts& counts() {
  static Counts c;
  return c;
}

}  // namespace

bool is_investigator_route(std::string_view route) {
  static constexpr std::array<std::string_view, 5> kPrefixes = {
      "/api/v1/cases", "/api/v1/audit", "/api/v1/auth/", "/api/v1/users", "/api/v1/stats"};
  for (const auto p : kPrefixes) {
    if (route.starts_with(p)) return true;
  }
  return false;
}

void log_request(std::string_view route, http::verb method, unsigned status,
                 std::chrono::steady_clock::duration elapsed) {
  const auto m = http::to_string(method);
  const std::string_view method_name(m.data(), m.size());
  const bool investigator = is_investigator_route(route);
  metrics::count_request(route, method_name, status, investigator);
  if (investigator) {
    const double ms = std::chrono::duration<double, std::milli>(elapsed).count();
    spdlog::info("event=request method={} route={} status={} ms={:.2f}", method_name, route,
                 status, ms);
    return;
  }
  auto& c = counts();
  const std::lock_guard lock(c.mutex);
  ++c.n[CountKey{std::string(method_name), std::string(route), status}];
}

void log_request_counts() {
  std::map<CountKey, std::uint64_t> taken;
  {
    auto& c = counts();
    const std::lock_guard lock(c.mutex);
    taken.swap(c.n);
  }
  for (const auto& [key, n] : taken) {
    const auto& [method, route, status] = key;
    spdlog::info("event=request_counts method={} route={} status={} n={}", method, route, status, n);
  }
}

}  // namespace krasip::server
