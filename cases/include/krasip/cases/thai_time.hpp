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

// "2026-11-28T09:45:00+07:00"
std::string iso8601_bangkok(std::int64_t unix_seconds);

// Parses "YYYY-MM-DD" (Common Era) into a valid calendar date.
std::optional<CivilDate> parse_iso_date(std::string_view text);

std::int64_t days_from_civil(const CivilDate& d);

}  // namespace krasip::cases
