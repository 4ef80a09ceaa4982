#include "krasip/server/router.hpp"

namespace krasip::server {

namespace {
std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const auto end = path.find('/', i);
    out.emplace_back(path.substr(i, end == std::string_view::npos ? path.size() - i : end - i));
    if (end == std::string_view::npos) break;
    i = end;
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}
}  // namespace

std::string_view RouteParams::get(std::string_view name) const {
  for (const auto& [k, v] : items_) {
    if (k == name) return v;
  }
  return {};
}

Route& Router::add(http::verb method, std::string_view pattern, Handler handler,
                   std::size_t body_limit, cases::RateLimiter* limiter) {
  routes_.push_back(
      {method, split_path(pattern), std::string(pattern), std::move(handler), body_limit, limiter});
  return routes_.back();
}

Route& Router::add_streaming(http::verb method, std::string_view pattern, StreamHandler handler,
                             std::size_t max_body, cases::RateLimiter* limiter) {
  Route route{method, split_path(pattern), std::string(pattern), {}, max_body, limiter};
  route.stream_handler = std::move(handler);
  routes_.push_back(std::move(route));
  return routes_.back();
}

RouteMatch Router::match(http::verb method, std::string_view target) const {
  const auto segments = split_path(target_path(target));
  RouteMatch result;
  for (const auto& r : routes_) {
    if (r.segments.size() != segments.size()) continue;
    RouteParams params;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      const auto& p = r.segments[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        params.add(p.substr(1, p.size() - 2), url_decode(segments[i]));
      } else {
        ok = p == segments[i];
      }
    }
    if (!ok) continue;
    result.path_known = true;
    if (r.method == method || (method == http::verb::head && r.method == http::verb::get)) {
      result.route = &r;
      result.params = std::move(params);
      return result;
    }
  }
  return result;
}

std::string_view target_path(std::string_view target) {
  const auto q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

std::string query_param(std::string_view target, std::string_view name) {
  const auto q = target.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return {};
}

}  // namespace krasip::server
