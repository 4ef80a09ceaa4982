#include <boost/json.hpp>
#include <ctime>

#include "agency_param.hpp"
#include "public_json.hpp"
#include "investigator_api.hpp"
#include "krasip/cases/agencies/agency_policy.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"

namespace krasip::server {

namespace json = boost::json;

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

namespace {

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

json::value number_or_null(const std::optional<double>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

}  // namespace

json::object published_stats_json(const cases::PublishedStats& p) {
  auto o = stats_json(p.counts, false);
  json::array channels;
  for (const auto& c : p.by_channel) {
    channels.push_back({{"id", c.slug}, {"name_th", c.name_th}, {"name_en", c.name_en}, {"received", c.received}});
  }
  o["by_channel"] = std::move(channels);
  json::object outcomes;
  for (const auto& [k, n] : p.outcomes) outcomes[k] = n;
  o["outcomes"] = std::move(outcomes);
  // Labels for the public page, which has no catalogue of its own.
  json::object labels;
  for (const auto& c : cases::categories()) labels[c.id] = {{"th", c.th}, {"en", c.en}};
  for (const auto& st : cases::statuses()) {
    if (p.outcomes.contains(std::string(st.id))) labels[st.id] = {{"th", st.th}, {"en", st.en}};
  }
  o["labels"] = std::move(labels);
  const auto& t = p.times;
  o["service"] = json::object{
      {"acknowledge_days", t.deadlines.acknowledge_days},
      {"reply_days", t.deadlines.reply_days},
      {"outcome_days", t.deadlines.outcome_days},
      {"minimum_base", cases::kPublicMinimumBase},
      {"acknowledged", t.acknowledged},
      {"median_days_to_acknowledge", number_or_null(t.median_days_to_acknowledge)},
      {"with_outcome", t.with_outcome},
      {"median_days_to_outcome", number_or_null(t.median_days_to_outcome)},
      {"acknowledge_base", t.acknowledge_base},
      {"acknowledged_in_time", t.acknowledged_in_time},
      {"acknowledged_in_time_percent", number_or_null(t.acknowledged_in_time_percent)},
      {"reply_base", t.reply_base},
      {"replied_in_time", t.replied_in_time},
      {"replied_in_time_percent", number_or_null(t.replied_in_time_percent)}};
  return o;
}

namespace {

Response csv_answer(const cases::FiscalYearStats& s) {
  Response res{http::status::ok, 11};
  res.set(http::field::content_type, "text/csv; charset=utf-8");
  res.set(http::field::content_disposition,
          "attachment; filename=\"krasip-stats-" + std::to_string(s.fiscal_year) + ".csv\"");
  res.body() = cases::stats_csv(s);
  res.prepare_payload();
  return res;
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
    const auto row = requested_agency(app, req);
    const auto agency = cases::AgencyScope::of(row);
    const int fy = fiscal_year_of(req);
    if (query_param(req.target(), "format") == "csv") {
      reply(csv_answer(app.stats.fiscal_year(agency, fy)));
      return;
    }
    reply(json_response(http::status::ok,
                        published_stats_json(app.stats.published(agency, fy, cases::deadlines_of(row, app.triage.deadlines()),
                                                                 static_cast<std::int64_t>(std::time(nullptr))))));
  });
}

}  // namespace krasip::server
