// Bangkok civil time and the Thai fiscal year (1 October, Buddhist Era).
#include <doctest/doctest.h>

#include "krasip/cases/common/thai_time.hpp"

using namespace krasip::cases;

namespace {
// 2024-09-30T17:00:00Z = 2024-10-01 00:00 in Bangkok.
constexpr std::int64_t kFy2568Start = 1727715600;
}  // namespace

TEST_CASE("fiscal year: 1 October 00:00 Bangkok opens the next fiscal year") {
  CHECK(fiscal_year_be(kFy2568Start - 60) == 2567);  // 2024-09-30 23:59 Bangkok
  CHECK(fiscal_year_be(kFy2568Start - 1) == 2567);
  CHECK(fiscal_year_be(kFy2568Start) == 2568);       // 2024-10-01 00:00 Bangkok
  // Still 30 September in UTC, but 1 October in Bangkok.
  CHECK(fiscal_year_be(kFy2568Start + 3600) == 2568);
  // 2025-09-30 12:00 Bangkok is the last day of 2568; 2025-10-01 opens 2569.
  CHECK(fiscal_year_be(CivilDate{2025, 9, 30}) == 2568);
  CHECK(fiscal_year_be(CivilDate{2025, 10, 1}) == 2569);
  CHECK(fiscal_year_be(CivilDate{2025, 1, 15}) == 2568);
  CHECK(fiscal_year_be(fiscal_year_start(2569) - 1) == 2568);
  CHECK(fiscal_year_be(fiscal_year_start(2569)) == 2569);
}

TEST_CASE("fiscal year: fiscal_year_start is midnight 1 October Bangkok") {
  CHECK(fiscal_year_start(2568) == kFy2568Start);
  CHECK(fiscal_year_start(2569) - fiscal_year_start(2568) == 365 * 86400);
  // Fiscal year 2567 (Oct 2023 - Sep 2024) holds 29 February 2024.
  CHECK(fiscal_year_start(2568) - fiscal_year_start(2567) == 366 * 86400);
  CHECK(fiscal_year_start(2567) - fiscal_year_start(2566) == 365 * 86400);
  const auto d = bangkok_date(fiscal_year_start(2568));
  CHECK(d.year == 2024);
  CHECK(d.month == 10);
  CHECK(d.day == 1);
}

TEST_CASE("iso8601_bangkok shows Bangkok local time with +07:00") {
  CHECK(iso8601_bangkok(0) == "1970-01-01T07:00:00+07:00");
  CHECK(iso8601_bangkok(kFy2568Start) == "2024-10-01T00:00:00+07:00");
  CHECK(iso8601_bangkok(kFy2568Start - 1) == "2024-09-30T23:59:59+07:00");
  CHECK(iso8601_bangkok(-25200) == "1970-01-01T00:00:00+07:00");
}

TEST_CASE("parse_iso_date accepts only real calendar dates as YYYY-MM-DD") {
  const auto leap = parse_iso_date("2024-02-29");
  REQUIRE(leap.has_value());
  CHECK(leap->year == 2024);
  CHECK(leap->month == 2);
  CHECK(leap->day == 29);
  CHECK(parse_iso_date("2024-12-31").has_value());
  for (const char* bad : {"2023-02-29", "2024-04-31", "2024-1-01", "abcd-ef-gh", "2024-13-01",
                          "2024-00-10", "2024-01-00", "2024-01-32", "2024/01/01", "",
                          "2024-01-011", " 2024-01-01"}) {
    INFO(bad);
    CHECK_FALSE(parse_iso_date(bad).has_value());
  }
}

TEST_CASE("days_from_civil counts from 1970-01-01") {
  CHECK(days_from_civil({1970, 1, 1}) == 0);
  CHECK(days_from_civil({2024, 10, 1}) * 86400 == kFy2568Start + 7 * 3600);
}

TEST_CASE("bangkok_day_start and iso_date_bangkok: the Bangkok calendar day, not the UTC one") {
  // 2025-11-28 23:30 UTC is already 29 November 06:30 in Bangkok.
  constexpr std::int64_t late_utc = 1764372600;
  CHECK(iso8601_bangkok(late_utc) == "2025-11-29T06:30:00+07:00");
  CHECK(iso8601_bangkok(bangkok_day_start(late_utc)) == "2025-11-29T00:00:00+07:00");
  CHECK(iso_date_bangkok(late_utc) == "2025-11-29");
  CHECK(bangkok_day_start(bangkok_day_start(late_utc)) == bangkok_day_start(late_utc));
  CHECK(bangkok_day_start(bangkok_day_start(late_utc) - 1) == bangkok_day_start(late_utc) - 86400);
  CHECK(api_time(late_utc, true) == "2025-11-29");
  CHECK(api_time(late_utc, false) == "2025-11-29T06:30:00+07:00");
}
