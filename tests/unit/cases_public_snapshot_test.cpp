// Issue 21, item 1: the public statistics are a daily publication of
// completed periods, and the small-number rule holds across every table
// published together.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <numeric>

#include "krasip/cases/common/thai_time.hpp"
#include "krasip/cases/statistics/public_snapshot.hpp"

using namespace krasip::cases;
namespace pss = krasip::storage::public_stats_store;

namespace {

constexpr std::int64_t kDay = 86400;

std::int64_t bangkok(int y, int m, int d, int hour = 0, int minute = 0) {
  return days_from_civil({y, m, d}) * kDay - kBangkokOffsetSeconds + hour * 3600 + minute * 60;
}

// What someone holding the publication can work out about each withheld
// cell of one table by subtraction: the cells add up to the total; a
// published zero is zero, so a withheld cell is at least 1 (unless the
// whole table is withheld: then any may be 0). Returns the
// least and greatest value each withheld cell can take.
std::vector<std::pair<std::int64_t, std::int64_t>> bounds(const std::vector<Published>& table, std::int64_t total) {
  std::int64_t published = 0, withheld = 0;
  for (const auto& c : table) {
    if (c) published += *c;
    else ++withheld;
  }
  const std::int64_t rest = total - published;
  const bool all = withheld == static_cast<std::int64_t>(table.size());
  const std::int64_t least = all ? 0 : 1;
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (const auto& c : table) {
    if (!c) out.emplace_back(withheld == 1 ? rest : least, rest - least * (withheld - 1));
  }
  return out;
}

// Every withheld cell of the table could be any of 1 .. minimum-1: the
// table says no more of it than "fewer than 5".
void check_protected(const std::vector<Published>& table, std::int64_t total, const std::string& what) {
  CAPTURE(what);
  for (const auto& [lo, hi] : bounds(table, total)) {
    CHECK(lo <= 1);
    CHECK(hi >= kPublicMinimumBase - 1);
  }
  for (const auto& c : table) {
    if (c) CHECK((*c == 0 || *c >= kPublicMinimumBase));
  }
}

std::vector<Published> cells_of(const std::vector<std::pair<std::string, Published>>& t) {
  std::vector<Published> out;
  for (const auto& [k, v] : t) out.push_back(v);
  return out;
}

PublicTally tally(std::vector<pss::CaseCell> cells) {
  PublicTally t;
  t.fiscal_year = 2570;  // 1 October 2026 – 30 September 2027
  t.published_at = bangkok(2026, 12, 7);
  t.completed_before = bangkok(2026, 12, 1);
  for (const auto& c : categories()) t.categories.push_back(c);
  t.channels = {{1, "default", "ร้องเรียน", "Complaints"}, {2, "executives", "ผู้บริหาร", "Executives"}};
  t.cells = std::move(cells);
  return t;
}

}  // namespace

TEST_CASE("public snapshot: a period is complete only once it has ended, never today") {
  // Monday 7 December 2026, 00:00 and 23:59 Bangkok.
  CHECK(completed_before(bangkok(2026, 12, 7), StatsPeriod::month) == bangkok(2026, 12, 1));
  CHECK(completed_before(bangkok(2026, 12, 7, 23, 59), StatsPeriod::month) == bangkok(2026, 12, 1));
  CHECK(completed_before(bangkok(2026, 12, 7), StatsPeriod::week) == bangkok(2026, 12, 7));
  // Sunday 6 December: the week of Monday 30 November is still going on.
  CHECK(completed_before(bangkok(2026, 12, 6, 23, 59), StatsPeriod::week) == bangkok(2026, 11, 30));
  // The 1st of the month, just after the roll: the month before is complete.
  CHECK(completed_before(bangkok(2027, 1, 1, 0, 1), StatsPeriod::month) == bangkok(2027, 1, 1));
  CHECK(completed_before(bangkok(2026, 12, 31, 23, 59), StatsPeriod::month) == bangkok(2026, 12, 1));
  // 17:00 UTC is already the next day in Bangkok.
  CHECK(completed_before(bangkok(2027, 1, 1) + 1, StatsPeriod::month) == bangkok(2027, 1, 1));
  for (std::int64_t t = bangkok(2026, 11, 20); t < bangkok(2027, 1, 10); t += 3600 * 5 + 17) {
    CAPTURE(t);
    for (const auto p : {StatsPeriod::month, StatsPeriod::week}) {
      CHECK(completed_before(t, p) <= bangkok_day_start(t));
      CHECK(completed_before(t, p) > t - 32 * kDay);
    }
  }
  CHECK(parse_period("month") == StatsPeriod::month);
  CHECK(parse_period("week") == StatsPeriod::week);
  CHECK_FALSE(parse_period("day"));
  CHECK_FALSE(parse_period("Month"));
}

TEST_CASE("public snapshot: says what it covers and when it was published, as dates") {
  auto t = tally({{11, "corruption", "received", "web", 1, 6}});
  const auto s = publish(t);
  CHECK(s.published_on == "2026-12-07");
  CHECK(s.through == std::optional<std::string>("2026-11-30"));
  const auto body = boost::json::parse(snapshot_body(s)).as_object();
  CHECK(body.at("published_on").as_string() == "2026-12-07");
  CHECK(body.at("through").as_string() == "2026-11-30");
  CHECK(body.at("period").as_string() == "month");
  CHECK(body.at("received").as_int64() == 6);
  // Nothing in it is finer than a date.
  CHECK(snapshot_body(s).find("T0") != std::string::npos);  // only the fiscal year's bounds have a time
  CHECK(body.at("period_start").as_string() == "2026-10-01T00:00:00+07:00");

  // A fiscal year with no completed period yet publishes nothing as covered.
  t.fiscal_year = 2571;
  t.cells.clear();
  CHECK_FALSE(publish(t).through);
  // A past year is covered to its end.
  t.fiscal_year = 2569;
  CHECK(publish(t).through == std::optional<std::string>("2026-09-30"));
}

TEST_CASE("withhold_small: one small count is never left recoverable from its total") {
  // Naively withholding the 1 leaves it as 21 - 20.
  auto w = withhold_small({20, 1, 0, 0}, true);
  CHECK_FALSE(w[0]);
  CHECK_FALSE(w[1]);
  CHECK(w[2] == 0);
  check_protected(w, 21, "20,1");
  // Two small ones adding to 2 would each be exactly 1.
  w = withhold_small({9, 1, 1, 7}, true);
  CHECK_FALSE(w[1]);
  CHECK_FALSE(w[2]);
  CHECK_FALSE(w[3]);  // the smallest published one goes with them
  CHECK(w[0] == 9);
  check_protected(w, 18, "9,1,1,7");
  // Two small ones adding to 5: each could be 1 to 4 already.
  w = withhold_small({30, 2, 3}, true);
  CHECK(w[0] == 30);
  CHECK_FALSE(w[1]);
  CHECK_FALSE(w[2]);
  check_protected(w, 35, "30,2,3");
  // Five cases, one in each of five categories: withholding the five would
  // still leave each exactly 1; the whole table goes.
  w = withhold_small({1, 1, 1, 1, 1, 0, 0}, true);
  CHECK(std::none_of(w.begin(), w.end(), [](const Published& p) { return p.has_value(); }));
  check_protected(w, 5, "five ones");
  // Nothing small: everything published.
  w = withhold_small({5, 0, 12}, true);
  CHECK(w == std::vector<Published>{5, 0, 12});
  // A total itself fewer than five withholds the whole table, zeros too:
  // with one case, a lone withheld cell would name its category.
  w = withhold_small({1, 0, 0}, false);
  CHECK(std::none_of(w.begin(), w.end(), [](const Published& p) { return p.has_value(); }));
  // Any table adding up to 5 to 40, checked exhaustively over three cells.
  for (std::int64_t a = 0; a <= 20; ++a) {
    for (std::int64_t b = 0; b <= 12; ++b) {
      for (std::int64_t c = 0; c <= 8; ++c) {
        const auto total = a + b + c;
        if (total < kPublicMinimumBase) continue;
        check_protected(withhold_small({a, b, c}, true), total,
                        std::to_string(a) + "," + std::to_string(b) + "," + std::to_string(c));
      }
    }
  }
}

TEST_CASE("public snapshot: a case alone in its channel, category and source is not recoverable from any table") {
  // Twelve complaints completed by 30 November: eleven about misconduct to
  // the default channel from the web in October; one about corruption to
  // the executives, recorded at the counter, in November. Withheld one
  // dimension at a time, each table would still give that one complaint
  // away by subtraction from the total: 12 - 11 in every table at once,
  // its channel, category, source and month together.
  const auto s = publish(tally({{10, "misconduct", "received", "web", 1, 11},
                                {11, "corruption", "substantiated", "counter", 2, 1}}));
  REQUIRE(s.received == 12);
  std::vector<Published> channels;
  for (const auto& c : s.by_channel) channels.push_back(c.received);
  std::vector<Published> months;
  for (const auto& m : s.by_month) months.push_back(m.received);
  std::vector<Published> statuses{s.in_progress};
  for (const auto& o : cells_of(s.outcomes)) statuses.push_back(o);
  for (const auto& [name, table] : {std::pair{"by_category", cells_of(s.by_category)},
                                    std::pair{"by_source", cells_of(s.by_source)},
                                    std::pair{"by_channel", channels},
                                    std::pair{"by_month", months},
                                    std::pair{"status", statuses}}) {
    check_protected(table, 12, name);
  }
  // And concretely: neither the executives' channel nor the web's eleven
  // are shown, nor the completed count that would leave the one outcome.
  CHECK_FALSE(s.by_channel[1].received);
  CHECK_FALSE(s.by_channel[0].received);
  CHECK_FALSE(s.completed);
  CHECK_FALSE(s.in_progress);
  for (const auto& [k, v] : s.by_source) {
    if (k == "web" || k == "counter") CHECK_FALSE(v);
    else CHECK(v == 0);
  }
  // The JSON says withheld as null, and the threshold.
  const auto body = boost::json::parse(snapshot_body(s)).as_object();
  CHECK(body.at("by_category").at("corruption").is_null());
  CHECK(body.at("withheld_below").as_int64() == kPublicMinimumBase);
}

TEST_CASE("public snapshot: fewer than five cases in all publishes only that") {
  const auto s = publish(tally({{11, "corruption", "received", "web", 2, 1}}));
  CHECK_FALSE(s.received);
  for (const auto& c : s.by_channel) CHECK_FALSE(c.received);
  for (const auto& m : s.by_month) CHECK_FALSE(m.received);
  for (const auto& [k, v] : s.by_category) CHECK_FALSE(v);
  CHECK_FALSE(s.acknowledged);
  CHECK_FALSE(s.median_days_to_acknowledge);
}

TEST_CASE("public snapshot: service figures as they stood at the roll, their counts only with the figure") {
  auto t = tally({{11, "corruption", "acknowledged", "web", 1, 6}});
  const auto nov = bangkok(2026, 11, 2);
  // Five acknowledged the next day; one acknowledged after the roll, today.
  for (int i = 0; i < 5; ++i) t.dates.push_back({nov, nov + kDay, std::nullopt, std::nullopt});
  t.dates.push_back({nov, t.published_at + 3600, std::nullopt, std::nullopt});
  auto s = publish(t);
  CHECK(s.acknowledged == 5);
  CHECK(s.median_days_to_acknowledge == 1.0);
  CHECK(s.acknowledge_base == 6);  // the sixth's deadline has passed
  CHECK(s.acknowledged_in_time == 5);
  // Below five, the counts go with the figure: 3 of 4 would be the 75 %
  // withheld.
  t.dates.resize(4);
  s = publish(t);
  CHECK_FALSE(s.acknowledged);
  CHECK_FALSE(s.acknowledge_base);
  CHECK_FALSE(s.acknowledged_in_time);
  CHECK_FALSE(s.acknowledged_in_time_percent);
}
