#include <boost/json.hpp>

#include "agency_param.hpp"
#include "investigator_api.hpp"
#include "public_json.hpp"
#include "krasip/cases/agencies/agency_policy.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"

namespace krasip::server {

namespace json = boost::json;

json::object measures_json(const cases::ProtectionMeasures& m) {
  json::array channels;
  for (const auto& c : m.channels) {
    const auto& ch = c.channel;
    channels.push_back({{"id", ch.slug},
                        {"name_th", ch.name_th},
                        {"name_en", ch.name_en},
                        {"readers_th", ch.readers_th},
                        {"readers_en", ch.readers_en},
                        {"identity_readers_th", ch.identity_readers_th},
                        {"identity_readers_en", ch.identity_readers_en},
                        {"recipients", c.recipients},
                        {"recipients_from_parent", c.recipients_from_parent},
                        {"custodians", c.custodians},
                        {"custodians_from_parent", c.custodians_from_parent},
                        {"identity_two_person", ch.identity_two_person},
                        {"outcome_needs_confirmation", ch.outcome_needs_confirmation},
                        {"retention_days", ch.retention_days}});
  }
  json::array sections;
  for (const auto& s : cases::measures_text(m)) {
    json::array points;
    for (const auto& p : s.points) points.push_back({{"th", p.th}, {"en", p.en}});
    sections.push_back({{"id", s.id},
                        {"heading_th", s.heading.th},
                        {"heading_en", s.heading.en},
                        {"points", std::move(points)}});
  }
  json::value parent = nullptr;
  if (m.parent) {
    parent = json::object{{"slug", m.parent->slug}, {"name_th", m.parent->name_th}, {"name_en", m.parent->name_en}};
  }
  return {{"agency", {{"slug", m.agency.slug}, {"name_th", m.agency.name_th}, {"name_en", m.agency.name_en}}},
          {"parent", std::move(parent)},
          {"deadlines",
           {{"acknowledge_days", m.deadlines.acknowledge_days},
            {"reply_days", m.deadlines.reply_days},
            {"outcome_days", m.deadlines.outcome_days}}},
          {"records_ip_address", false},
          {"channels", std::move(channels)},
          {"sections", std::move(sections)}};
}

// The protection measures an agency publishes (issue 13, item 1), made
// from its configuration on every request: no copy to go stale.
void add_public_routes(Router& router, AppServices& app) {
  router.add(http::verb::get, "/api/v1/public/measures", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto agency = requested_agency(app, req);
    offload(app, reply, [&app, agency] {
      auto db = app.reader_pool.acquire();
      return json_response(http::status::ok,
                           measures_json(cases::protection_measures(*db, agency, cases::deadlines_of(agency, app.triage.deadlines()))));
    });
  });
}

}  // namespace krasip::server
