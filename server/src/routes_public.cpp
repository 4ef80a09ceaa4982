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

// With an onion service (serve --onion-address), the measures say how to
// reach it and what it protects against (issue 22); the page shows every
// section it is given.
void add_onion_section(json::object& measures, const std::string& onion) {
  measures["onion_address"] = onion.empty() ? json::value(nullptr) : json::value(onion);
  if (onion.empty()) return;
  const std::string url = "http://" + onion + "/";
  json::array points{
      {{"th", "เปิดหน้านี้ แบบฟอร์มแจ้งเรื่อง และหน้าติดตามเรื่องผ่าน Tor Browser ได้ที่ " + url +
                  " ผู้ให้บริการอินเทอร์เน็ตและเครือข่ายของหน่วยงานจะไม่เห็นว่าคุณเข้าเว็บไซต์นี้ และเซิร์ฟเวอร์ไม่เห็นที่อยู่ IP ของคุณ"},
       {"en", "Open this page, the complaint form and the status page in Tor Browser at " + url +
                  ": your internet provider and the agency's network do not see that you visit this service, and the server does not see your IP address."}},
      {{"th", "Tor ไม่ได้ซ่อนสิ่งที่คุณเขียนในเรื่องร้องเรียน หากรายละเอียดระบุตัวคุณได้ ผู้อ่านเรื่องก็ยังรู้ได้"},
       {"en", "Tor does not hide what you write: if the details point to you, the readers of your complaint can still tell."}}};
  measures["sections"].as_array().push_back({{"id", "onion"},
                                             {"heading_th", "เข้าถึงผ่าน Tor"},
                                             {"heading_en", "Reaching this service through Tor"},
                                             {"points", std::move(points)}});
}

// The protection measures an agency publishes (issue 13, item 1), made
// from its configuration on every request: no copy to go stale.
void add_public_routes(Router& router, AppServices& app) {
  router.add(http::verb::get, "/api/v1/public/measures", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto agency = requested_agency(app, req);
    offload(app, reply, [&app, agency] {
      auto db = app.reader_pool.acquire();
      auto o = measures_json(cases::protection_measures(*db, agency, cases::deadlines_of(agency, app.triage.deadlines())));
      add_onion_section(o, app.onion_address);
      return json_response(http::status::ok, std::move(o));
    });
  });
}

}  // namespace krasip::server
