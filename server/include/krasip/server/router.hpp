#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "krasip/cases/rate_limiter.hpp"
#include "krasip/server/http_types.hpp"

namespace krasip::server {

// Values of the {name} segments of a matched route pattern.
class RouteParams {
 public:
  void add(std::string name, std::string value) { items_.emplace_back(std::move(name), std::move(value)); }
  std::string_view get(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// A handler reads what it needs from the request before going async; it
// must call `reply` exactly once. Exceptions thrown synchronously become
// the mapped error answer.
using Handler = std::function<void(const Request&, const RouteParams&, Reply)>;

struct Route {
  http::verb method;
  std::vector<std::string> segments;  // "{x}" matches any one segment
  std::string name;                   // what the log shows instead of the path
  Handler handler;
  std::size_t body_limit;
  // Per-client limit, keyed by the client's address (hashed, in memory
  // only); nullptr for none. Enforced by the session before the handler.
  cases::RateLimiter* limiter = nullptr;
};

struct RouteMatch {
  const Route* route = nullptr;
  RouteParams params;
  bool path_known = false;  // true with route == nullptr: wrong method
};

class Router {
 public:
  void add(http::verb method, std::string_view pattern, Handler handler, std::size_t body_limit = 0,
           cases::RateLimiter* limiter = nullptr);
  RouteMatch match(http::verb method, std::string_view target) const;

 private:
  std::vector<Route> routes_;
};

// The path of a request target without its query string.
std::string_view target_path(std::string_view target);
// One query parameter's decoded value, or empty.
std::string query_param(std::string_view target, std::string_view name);

}  // namespace krasip::server
