#include "krasip/cases/statistics/stats_service.hpp"

#include "krasip/cases/agencies/agency_policy.hpp"
#include "krasip/cases/agencies/catalog.hpp"
#include "krasip/cases/common/deadlines.hpp"
#include "krasip/storage/audit_store.hpp"
#include "krasip/storage/public_store.hpp"

#include <algorithm>
#include "krasip/storage/key_store.hpp"

namespace krasip::cases {

FiscalYearStats StatsService::fiscal_year(AgencyScope agency, int fy) {
  return tally(agency, fy, std::nullopt);
}

FiscalYearStats StatsService::fiscal_year_for(int fy, std::int64_t user_id) {
  return tally(std::nullopt, fy, user_id);
}

FiscalYearStats StatsService::tally(std::optional<AgencyScope> agency, int fy,
                                    std::optional<std::int64_t> user_id) {
  FiscalYearStats s;
  s.fiscal_year = fy;
  for (const auto& st : statuses()) s.by_status[std::string(st.id)] = 0;
  for (const auto& src : complaint_sources()) s.by_source[std::string(src.id)] = 0;
  std::map<int, std::int64_t> months;
  {
    auto db = pool_.acquire();
    // What the agency publishes lists its own categories; an account's
    // view may span several agencies' channels, so it lists them all.
    std::optional<std::string> offered;
    if (agency) {
      if (const auto a = storage::key_store::load_agency(*db, agency->id())) offered = a->categories;
    }
    s.categories = categories_of(offered);
    for (const auto& c : s.categories) s.by_category[std::string(c.id)] = 0;
    // An investigator's rows carry their source; the agency's come from
    // case_counts, its sources from a query of their own.
    const auto rows = user_id ? storage::stats_store::counts_for_user(*db, fy, *user_id)
                              : storage::stats_store::counts(*db, agency->id(), fy);
    if (user_id) {
      for (const auto& row : rows) s.by_source[row.source] += row.n;
    } else {
      for (const auto& [source, n] : storage::stats_store::source_counts(*db, agency->id(), fy)) {
        s.by_source[source] += n;
      }
    }
    for (const auto& row : rows) {
      if (s.by_category.emplace(row.category, 0).second) {
        if (const auto* l = find_category(row.category)) s.categories.push_back(*l);
      }
      s.received += row.n;
      s.by_category[row.category] += row.n;
      s.by_status[row.status] += row.n;
      months[row.month] += row.n;
      if (is_final_status(row.status)) {
        s.completed += row.n;
      } else {
        s.in_progress += row.n;
      }
    }
  }
  for (int i = 0; i < 12; ++i) {
    const int month = (9 + i) % 12 + 1;  // 10, 11, 12, 1, ..., 9
    s.by_month.push_back({month >= 10 ? fy - 1 : fy, month, months[month]});
  }
  return s;
}

namespace {
std::string csv_field(std::string_view v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

constexpr const char* kThaiMonths[] = {"มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
                                       "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"};
constexpr const char* kEnglishMonths[] = {"January", "February", "March", "April", "May", "June",
                                          "July", "August", "September", "October", "November", "December"};
}  // namespace

std::string stats_csv(const FiscalYearStats& s) {
  std::string out = "\xEF\xBB\xBF" "section,key,label_th,label_en,count\r\n";
  const auto line = [&](std::string_view section, std::string_view key, std::string_view th,
                        std::string_view en, std::int64_t n) {
    out += csv_field(section) + "," + csv_field(key) + "," + csv_field(th) + "," + csv_field(en) +
           "," + std::to_string(n) + "\r\n";
  };
  const std::string fy = std::to_string(s.fiscal_year);
  line("total", "received", "รับเรื่องทั้งหมด ปีงบประมาณ " + fy, "Received, fiscal year " + fy, s.received);
  line("total", "in_progress", "อยู่ระหว่างดำเนินการ", "In progress", s.in_progress);
  line("total", "completed", "ดำเนินการแล้วเสร็จ", "Completed", s.completed);
  for (const auto& c : s.categories) line("category", c.id, c.th, c.en, s.by_category.at(std::string(c.id)));
  for (const auto& st : statuses()) line("status", st.id, st.th, st.en, s.by_status.at(std::string(st.id)));
  for (const auto& src : complaint_sources()) {
    line("source", src.id, src.th, src.en, s.by_source.at(std::string(src.id)));
  }
  for (const auto& m : s.by_month) {
    const std::string key = std::to_string(m.year_be) + "-" + (m.month < 10 ? "0" : "") + std::to_string(m.month);
    line("month", key, std::string(kThaiMonths[m.month - 1]) + " " + std::to_string(m.year_be),
         std::string(kEnglishMonths[m.month - 1]) + " " + std::to_string(m.year_be) + " B.E.", m.received);
  }
  return out;
}

}  // namespace krasip::cases
