#include <boost/json.hpp>
#include <ctime>

#include "agency_param.hpp"
#include "investigator_api.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"

namespace krasip::server {

namespace json = boost::json;

namespace {

int fiscal_year_of(const Request& req) {
  const auto v = query_param(req.target(), "fiscal_year");
  if (v.empty()) return cases::fiscal_year_be(static_cast<std::int64_t>(std::time(nullptr)));
  if (v.size() == 4 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    const int fy = std::stoi(v);
    if (fy >= 2500 && fy <= 2700) return fy;
  }
  throw cases::CaseError(cases::ErrorCode::invalid_field,
                         "fiscal_year is a Buddhist Era year such as 2568", "fiscal_year");
}

json::object stats_json(const cases::FiscalYearStats& s, bool detailed) {
  json::object by_category;
  for (const auto& [k, n] : s.by_category) by_category[k] = n;
  // How the complaints came (issue 13, item 3): web, counter, phone, letter, email.
  json::object by_source;
  for (const auto& [k, n] : s.by_source) by_source[k] = n;
  json::array months;
  for (const auto& m : s.by_month) months.push_back({{"year", m.year_be}, {"month", m.month}, {"received", m.received}});
  json::object o{{"fiscal_year", s.fiscal_year},
                 {"period_start", cases::iso8601_bangkok(cases::fiscal_year_start(s.fiscal_year))},
                 {"period_end", cases::iso8601_bangkok(cases::fiscal_year_start(s.fiscal_year + 1) - 1)},
                 {"received", s.received},
                 {"in_progress", s.in_progress},
                 {"completed", s.completed},
                 {"by_category", std::move(by_category)},
                 {"by_source", std::move(by_source)},
                 {"by_month", std::move(months)}};
  if (detailed) {
    json::object by_status;
    for (const auto& [k, n] : s.by_status) by_status[k] = n;
    o["by_status"] = std::move(by_status);
  }
  return o;
}

Response answer(const Request& req, const cases::FiscalYearStats& s, bool detailed) {
  if (query_param(req.target(), "format") == "csv") {
    Response res{http::status::ok, 11};
    res.set(http::field::content_type, "text/csv; charset=utf-8");
    res.set(http::field::content_disposition,
            "attachment; filename=\"krasip-stats-" + std::to_string(s.fiscal_year) + ".csv\"");
    res.body() = cases::stats_csv(s);
    res.prepare_payload();
    return res;
  }
  return json_response(http::status::ok, stats_json(s, detailed));
}

}  // namespace

void add_stats_routes(Router& router, AppServices& app) {
  router.add(http::verb::get, "/api/v1/stats", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto s = authenticate(req, app);
    app.triage.require_active(*s);
    reply(answer(req, app.stats.fiscal_year_for(fiscal_year_of(req), s->user_id), true));
  });
  // What the agency publishes for its ITA report: counts only, no case numbers, no text.
  router.add(http::verb::get, "/api/v1/public/stats", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto agency = cases::AgencyScope::of(requested_agency(app, req));
    reply(answer(req, app.stats.fiscal_year(agency, fiscal_year_of(req)), false));
  });
}

}  // namespace krasip::server
