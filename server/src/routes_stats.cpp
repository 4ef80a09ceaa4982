#include <boost/json.hpp>
#include <ctime>

#include "agency_param.hpp"
#include "public_json.hpp"
#include "investigator_api.hpp"
#include "krasip/cases/agencies/agency_policy.hpp"
#include "krasip/cases/statistics/public_snapshot.hpp"
#include "krasip/storage/public_stats_store.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/server/api_response.hpp"
#include "krasip/server/api_routes.hpp"

namespace krasip::server {

namespace json = boost::json;

int fiscal_year_of(const Request& req, std::int64_t now) {
  const auto v = query_param(req.target(), "fiscal_year");
  if (v.empty()) return cases::fiscal_year_be(now);
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

std::string public_stats_body(AppServices& app, const storage::AgencyRow& agency, int fiscal_year, std::int64_t now,
                              std::string_view asked_period) {
  std::string enabled;
  {
    auto db = app.reader_pool.acquire();
    enabled = storage::public_stats_store::period(*db, agency.id);
  }
  if (!asked_period.empty() && asked_period != enabled) {
    throw cases::CaseError(cases::ErrorCode::invalid_field,
                           "period=" + std::string(asked_period) + ": this agency publishes its statistics by " + enabled +
                               " (period=" + enabled + ") only",
                           "period");
  }
  const auto period = cases::parse_period(enabled).value_or(cases::StatsPeriod::month);
  auto db = app.reader_pool.acquire();
  return cases::published_body(
      *db, [&app](const std::function<void(storage::Database&)>& job) { app.writer.run(job); }, agency, fiscal_year,
      period, cases::deadlines_of(agency, app.triage.deadlines()), now);
}

std::string published_csv(const json::object& s) {
  std::string out = "\xEF\xBB\xBF" "section,key,label_th,label_en,count\r\n";
  const auto field = [](std::string_view v) {
    std::string f = "\"";
    for (char c : v) {
      if (c == '"') f += '"';
      f += c;
    }
    return f + "\"";
  };
  // A withheld count (fewer than five, or withheld so that one cannot be
  // worked out) is an empty cell.
  const auto line = [&](std::string_view section, std::string_view key, std::string_view th, std::string_view en,
                        const json::value& n) {
    out += field(section) + "," + field(key) + "," + field(th) + "," + field(en) + "," +
           (n.is_int64() ? std::to_string(n.get_int64()) : std::string()) + "\r\n";
  };
  const std::string fy = std::to_string(s.at("fiscal_year").to_number<std::int64_t>());
  const std::string through = s.at("through").is_string() ? std::string(s.at("through").get_string()) : "-";
  line("total", "received", "รับเรื่องทั้งหมด ปีงบประมาณ " + fy + " ถึง " + through,
       "Received, fiscal year " + fy + " through " + through, s.at("received"));
  line("total", "in_progress", "อยู่ระหว่างดำเนินการ", "In progress", s.at("in_progress"));
  line("total", "completed", "ดำเนินการแล้วเสร็จ", "Completed", s.at("completed"));
  for (const auto& kv : s.at("by_category").as_object()) {
    const std::string_view key(kv.key().data(), kv.key().size());
    const auto* c = cases::find_category(key);
    line("category", key, c ? c->th : key, c ? c->en : key, kv.value());
  }
  for (const auto& kv : s.at("outcomes").as_object()) {
    const std::string_view key(kv.key().data(), kv.key().size());
    const auto* st = cases::find_status(key);
    line("outcome", key, st ? st->th : key, st ? st->en : key, kv.value());
  }
  for (const auto& kv : s.at("by_source").as_object()) {
    const std::string_view key(kv.key().data(), kv.key().size());
    const auto* src = cases::find_source(key);
    line("source", key, src ? src->th : key, src ? src->en : key, kv.value());
  }
  for (const auto& c : s.at("by_channel").as_array()) {
    const auto& o = c.as_object();
    const auto sv = [&](const char* k) {
      const auto& v = o.at(k).as_string();
      return std::string_view(v.data(), v.size());
    };
    line("channel", sv("id"), sv("name_th"), sv("name_en"), o.at("received"));
  }
  static constexpr const char* kThai[] = {"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
                                          "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"};
  static constexpr const char* kEnglish[] = {"January", "February", "March",     "April",   "May",      "June",
                                             "July",    "August",   "September", "October", "November", "December"};
  for (const auto& m : s.at("by_month").as_array()) {
    const auto& o = m.as_object();
    const int month = static_cast<int>(o.at("month").to_number<std::int64_t>());
    const auto year = std::to_string(o.at("year").to_number<std::int64_t>());
    const std::string key = year + "-" + (month < 10 ? "0" : "") + std::to_string(month);
    line("month", key, std::string(kThai[month - 1]) + " " + year,
         std::string(kEnglish[month - 1]) + " " + year + " B.E.", o.at("received"));
  }
  return out;
}

void add_stats_routes(Router& router, AppServices& app) {
  router.add(http::verb::get, "/api/v1/stats", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto s = authenticate(req, app);
    app.triage.require_active(*s);
    reply(answer(req, app.stats.fiscal_year_for(fiscal_year_of(req, app.clock()), s->user_id), true));
  });
  // What the agency publishes for its ITA report: counts only, no case
  // numbers, no text; the day's publication, as stored (issue 21, item 1).
  router.add(http::verb::get, "/api/v1/public/stats", [&app](const Request& req, const RouteParams&, Reply reply) {
    const auto row = requested_agency(app, req);
    const auto now = app.clock();
    const int fy = fiscal_year_of(req, now);
    const auto period = query_param(req.target(), "period");
    const bool csv = query_param(req.target(), "format") == "csv";
    offload(app, reply, [&app, row, now, fy, period, csv] {
      const auto body = public_stats_body(app, row, fy, now, period);
      if (!csv) {
        Response res{http::status::ok, 11};
        res.set(http::field::content_type, "application/json; charset=utf-8");
        res.body() = body;
        res.prepare_payload();
        return res;
      }
      Response res{http::status::ok, 11};
      res.set(http::field::content_type, "text/csv; charset=utf-8");
      res.set(http::field::content_disposition,
              "attachment; filename=\"krasip-stats-" + std::to_string(fy) + ".csv\"");
      res.body() = published_csv(json::parse(body).as_object());
      res.prepare_payload();
      return res;
    });
  });
}

}  // namespace krasip::server
