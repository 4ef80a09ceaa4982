#include "krasip/cases/common/thai_time.hpp"

#include <cstdio>

namespace krasip::cases {

// Howard Hinnant's days_from_civil / civil_from_days algorithms.
std::int64_t days_from_civil(const CivilDate& d) {
  const int y = d.year - (d.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = static_cast<unsigned>(d.month + (d.month > 2 ? -3 : 9));
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(d.day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

namespace {
CivilDate civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}
}  // namespace

CivilDate bangkok_date(std::int64_t unix_seconds) {
  return civil_from_days(floor_div(unix_seconds + kBangkokOffsetSeconds, 86400));
}

int fiscal_year_be(const CivilDate& date) {
  return (date.month >= 10 ? date.year + 1 : date.year) + 543;
}

int fiscal_year_be(std::int64_t unix_seconds) { return fiscal_year_be(bangkok_date(unix_seconds)); }

std::int64_t fiscal_year_start(int fiscal_year_be) {
  const CivilDate oct1{fiscal_year_be - 543 - 1, 10, 1};
  return days_from_civil(oct1) * 86400 - kBangkokOffsetSeconds;
}

std::int64_t bangkok_day_start(std::int64_t unix_seconds) {
  return floor_div(unix_seconds + kBangkokOffsetSeconds, 86400) * 86400 - kBangkokOffsetSeconds;
}

std::string iso_date_bangkok(std::int64_t unix_seconds) {
  const CivilDate d = bangkok_date(unix_seconds);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::string api_time(std::int64_t unix_seconds, bool day_only) {
  return day_only ? iso_date_bangkok(unix_seconds) : iso8601_bangkok(unix_seconds);
}

std::string iso8601_bangkok(std::int64_t unix_seconds) {
  const std::int64_t local = unix_seconds + kBangkokOffsetSeconds;
  const CivilDate d = civil_from_days(floor_div(local, 86400));
  const std::int64_t secs = local - floor_div(local, 86400) * 86400;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", d.year, d.month, d.day,
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  return buf;
}

std::optional<CivilDate> parse_iso_date(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8};
  const std::size_t lens[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p) {
    for (std::size_t i = 0; i < lens[p]; ++i) {
      const char c = t[starts[p] + i];
      if (c < '0' || c > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (c - '0');
    }
  }
  const CivilDate d{parts[0], parts[1], parts[2]};
  if (d.year < 1900 || d.month < 1 || d.month > 12 || d.day < 1) return std::nullopt;
  // Round-trip through the day count rejects 31 April, 29 February 2023...
  const CivilDate back = civil_from_days(days_from_civil(d));
  if (back.year != d.year || back.month != d.month || back.day != d.day) return std::nullopt;
  return d;
}

}  // namespace krasip::cases
