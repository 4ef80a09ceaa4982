#include <boost/json.hpp>

#include "investigator_api.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/cases/governance/change_log.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"
#include "krasip/storage/transaction.hpp"

namespace krasip::server {

namespace json = boost::json;

namespace {
json::object head_json(const cases::AuditLog::ChainHead& h) {
  const auto d = cases::bangkok_date(h.at);
  return json::object{{"id", h.id},
                      {"hash", h.hash_hex},
                      {"published_form", std::to_string(h.id) + ":" + h.hash_hex},
                      {"year_be", d.year + 543},
                      {"month", d.month},
                      {"at", cases::iso8601_bangkok(h.at)}};
}
}  // namespace

// The heads of the audit chain an agency publishes each month. Verifying
// the chain here (with the pepper) means the console never offers a head
// of a chain that was already tampered with. Hashes say nothing of any
// case, so every signed-in investigator may see them and compare them with
// what was published.
void add_audit_head_routes(Router& router, AppServices& app) {
  router.add(http::verb::get, "/api/v1/audit/heads", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto s = authenticate(req, app);
    offload(app, reply, [&app, s] {
      app.triage.require_active(*s);
      auto db = app.reader_pool.acquire();
      const storage::ReadSnapshot snapshot(*db);
      const auto v = app.audit->verify(*db, s->agency());
      json::array months;
      for (const auto& h : v.month_ends) months.push_back(head_json(h));
      json::object o{{"intact", v.intact}, {"entries", v.entries}, {"month_ends", std::move(months)}};
      o["first_broken_id"] = v.first_broken_id ? json::value(*v.first_broken_id) : json::value(nullptr);
      // Published beside them (issue 20): the head of the agency's public
      // change log, which anyone can recompute from the measures page.
      const auto changes = cases::change_log::verify(*db, s->agency_id);
      o["changes"] = json::object{{"intact", changes.intact}, {"entries", changes.entries}, {"head", changes.head_hex}};
      return json_response(http::status::ok, std::move(o));
    });
  });
}

}  // namespace krasip::server
