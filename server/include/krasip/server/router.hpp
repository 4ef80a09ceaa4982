#pragma once
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "krasip/cases/common/proof_of_work.hpp"
#include "krasip/cases/common/rate_limiter.hpp"
#include "krasip/server/http_types.hpp"

namespace krasip::server {

// Values of the {name} segments of a matched route pattern.
class RouteParams {
 public:
  void add(std::string name, std::string value) { items_.emplace_back(std::move(name), std::move(value)); }
  std::string_view get(std::string_view name) const;
  // The client's rate-limit key (see client_key.hpp), set by the session
  // for handlers that limit per client themselves (logins). In memory only.
  const std::string& client() const { return client_; }
  void set_client(std::string key) { client_ = std::move(key); }
  // For a page route that asks no proof of its own (no JavaScript): how
  // long its form must have been open before it is sent (issue 22); 0: none.
  int proof_wait() const { return proof_wait_; }
  void set_proof_wait(int seconds) { proof_wait_ = seconds; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
  std::string client_;
  int proof_wait_ = 0;
};

// A handler reads what it needs from the request before going async; it
// must call `reply` exactly once. Exceptions thrown synchronously become
// the mapped error answer.
using Handler = std::function<void(const Request&, const RouteParams&, Reply)>;

// A request body taken as it arrives (uploads) instead of buffered whole.
// The session reads it in chunks of a fixed buffer, with a deadline per
// chunk, and never holds more than one chunk. Everything runs on the
// session's strand; the object lives until the answer is sent.
class BodyReader {
 public:
  virtual ~BodyReader() = default;
  // Some more body bytes. Throw (CaseError, HttpError) to refuse: the answer
  // is the mapped error and the connection closes without reading further.
  virtual void on_data(std::string_view bytes) = 0;
  // The whole body arrived. Must call `reply` exactly once (may be later,
  // from another thread); throwing is answered like on_data.
  virtual void on_complete(Reply reply) = 0;
  // The body will not complete (disconnect, timeout, size limit, refusal):
  // undo anything partial. Called at most once, never after on_complete.
  virtual void on_abort() noexcept = 0;
};

// Called once the header is read (the body is not): returns the reader, or
// throws to answer at once (e.g. 415 for a wrong Content-Type).
using StreamHandler =
    std::function<std::shared_ptr<BodyReader>(const Request& header, const RouteParams&)>;

struct Route {
  http::verb method;
  std::vector<std::string> segments;  // "{x}" matches any one segment
  std::string name;                   // what the log shows instead of the path
  Handler handler;
  std::size_t body_limit;
  // Per-client limit, keyed by client_key() (hashed, in memory only);
  // nullptr for none. Enforced by the session once the header is read,
  // before any body is read or handed on.
  cases::RateLimiter* limiter = nullptr;
  // A proof of work may be asked (issue 22): when the client's address is
  // unknown or the service is flooded. JSON routes then need the header
  // X-Krasip-Proof; page routes (no JavaScript) get a time lock instead
  // (RouteParams::proof_wait). Unknown addresses skip `limiter`, which
  // would put them all under one key.
  cases::ProofOfWork* proof = nullptr;
  cases::ProofOfWork::Purpose purpose = cases::ProofOfWork::Purpose::submit;
  StreamHandler stream_handler = {};  // set: the body streams (see BodyReader)
  // Set for a page people read (the reporter's pages without JavaScript,
  // issue 22): the answer goes out as a page (no-store, the pages' CSP) and
  // every refusal, the session's own (413, 429, 408) included, is this
  // page for the request's target instead of a JSON error.
  std::function<Response(std::string_view target, std::exception_ptr)> error_page = {};
};

struct RouteMatch {
  const Route* route = nullptr;
  RouteParams params;
  bool path_known = false;  // true with route == nullptr: wrong method
};

class Router {
 public:
  // The route added, to set what the arguments do not (error_page); valid
  // until the next add.
  Route& add(http::verb method, std::string_view pattern, Handler handler, std::size_t body_limit = 0,
             cases::RateLimiter* limiter = nullptr);
  // A streaming route: `max_body` is the largest body accepted (a larger
  // Content-Length is refused before reading, a chunked body as it arrives).
  Route& add_streaming(http::verb method, std::string_view pattern, StreamHandler handler,
                       std::size_t max_body, cases::RateLimiter* limiter = nullptr);
  RouteMatch match(http::verb method, std::string_view target) const;

 private:
  std::vector<Route> routes_;
};

// The path of a request target without its query string.
std::string_view target_path(std::string_view target);
// One query parameter's decoded value, or empty.
std::string query_param(std::string_view target, std::string_view name);

}  // namespace krasip::server
