#include <boost/json.hpp>
#include <chrono>
#include <ctime>

#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/server/error_mapping.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"

namespace krasip::server {

void add_health_routes(Router& router, AppServices& app) {
  // Reads through a reader connection, then writes one row through the
  // writer: 200 only if both work. A full or read-only disk answers 503
  // "degraded" with reads ok: a monitor can tell it from a dead service.
  router.add(http::verb::get, "/healthz", [&app](const Request&, const RouteParams&, Reply reply) {
    {
      auto db = app.reader_pool.acquire();
      (void)storage::key_store::load_agency(*db);
    }
    app.writer.submit(
        [](storage::Database& db) {
          auto st = db.cached("INSERT OR REPLACE INTO service_health (id, checked_at) VALUES (1, ?)");
          st->bind(1, static_cast<std::int64_t>(std::time(nullptr)));
          st->run();
        },
        [reply](std::exception_ptr error) {
          if (!error) {
            return reply(json_response(
                http::status::ok,
                boost::json::object{{"status", "ok"}, {"reads", "ok"}, {"writes", "ok"}}));
          }
          auto refused = response_for(error);
          if (refused.result() != http::status::service_unavailable) {
            return reply(std::move(refused));
          }
          auto body = boost::json::parse(refused.body()).as_object();
          body["status"] = "degraded";
          body["reads"] = "ok";
          body["writes"] = "unavailable";
          reply(json_response(refused.result(), body));
        });
  });
  // A trivial endpoint: the baseline the benchmarks compare against.
  router.add(http::verb::get, "/api/v1/ping", [](const Request&, const RouteParams&, Reply reply) {
    reply(json_response(http::status::ok, boost::json::object{{"pong", true}}));
  });
}

}  // namespace krasip::server
