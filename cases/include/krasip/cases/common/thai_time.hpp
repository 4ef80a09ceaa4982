#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace krasip::cases {

// Thailand keeps UTC+7 all year (no daylight saving), so civil dates need
// no time-zone database.
inline constexpr std::int64_t kBangkokOffsetSeconds = 7 * 3600;

struct CivilDate {
  int year;  // Common Era
  int month;
  int day;
};

CivilDate bangkok_date(std::int64_t unix_seconds);

// The Thai government fiscal year (1 October – 30 September) in the
// Buddhist Era: 1 Oct 2025 CE opens fiscal year 2569.
int fiscal_year_be(std::int64_t unix_seconds);
int fiscal_year_be(const CivilDate& date);

// Unix seconds of 00:00 Bangkok time on 1 October opening fiscal year `be`.
std::int64_t fiscal_year_start(int fiscal_year_be);

// 00:00 Bangkok time of the day holding `unix_seconds`: the precision at
// which reporter-side times are stored (see docs/security.md, "Times").
std::int64_t bangkok_day_start(std::int64_t unix_seconds);

// "2026-11-28": the Bangkok calendar date, for day-precise times.
std::string iso_date_bangkok(std::int64_t unix_seconds);

// How the API writes a time: one kept to the day (reporter-side) as the
// date, "2026-11-28", so that no client shows it as 00:00; others in full.
std::string api_time(std::int64_t unix_seconds, bool day_only);

// "2026-11-28T09:45:00+07:00"
std::string iso8601_bangkok(std::int64_t unix_seconds);

// Parses "YYYY-MM-DD" (Common Era) into a valid calendar date.
std::optional<CivilDate> parse_iso_date(std::string_view text);

std::int64_t days_from_civil(const CivilDate& d);

}  // namespace krasip::cases
