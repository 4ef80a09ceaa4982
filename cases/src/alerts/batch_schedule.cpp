#include "krasip/cases/alerts/batch_schedule.hpp"

#include <algorithm>
#include <sstream>

#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/thai_time.hpp"

namespace krasip::cases {

namespace {
constexpr std::int64_t kDay = 86400;

std::optional<int> minutes_of(std::string_view s) {
  if (s.size() != 5 || s[2] != ':')
    return std::nullopt;
  for (const auto i : {0, 1, 3, 4}) {
    if (s[i] < '0' || s[i] > '9')
      return std::nullopt;
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59)
    return std::nullopt;
  return h * 60 + m;
}

std::string text_of(int minutes) {
  std::string out(5, ':');
  out[0] = static_cast<char>('0' + minutes / 600);
  out[1] = static_cast<char>('0' + minutes / 60 % 10);
  out[3] = static_cast<char>('0' + minutes % 60 / 10);
  out[4] = static_cast<char>('0' + minutes % 10);
  return out;
}

// 1970-01-01 was a Thursday; the Bangkok day number `d` (days since then).
bool working_day(std::int64_t d) {
  const auto weekday = ((d + 3) % 7 + 7) % 7; // 0 = Monday
  return weekday < 5;
}

std::int64_t day_number(std::int64_t t) {
  const auto local = t + kBangkokOffsetSeconds;
  return local >= 0 ? local / kDay : -((-local + kDay - 1) / kDay);
}

std::int64_t at(std::int64_t day, int minutes) {
  return day * kDay - kBangkokOffsetSeconds + minutes * 60LL;
}
} // namespace

BatchTimes BatchTimes::defaults() { return {{8 * 60 + 30, 13 * 60 + 30}}; }

BatchTimes BatchTimes::parse(const std::vector<std::string> &texts,
                             const std::string &field) {
  if (texts.empty() || texts.size() > kMaxPerDay) {
    throw CaseError(ErrorCode::invalid_field,
                    "one to four batch times a day, as HH:MM", field);
  }
  BatchTimes out;
  for (const auto &t : texts) {
    const auto m = minutes_of(t);
    if (!m)
      throw CaseError(ErrorCode::invalid_field,
                      "a batch time is HH:MM between 00:00 and 23:59", field);
    out.minutes.push_back(*m);
  }
  std::sort(out.minutes.begin(), out.minutes.end());
  for (std::size_t i = 0; i < out.minutes.size(); ++i) {
    // The next one, or the first of the next day (the gap across midnight).
    const int gap = i + 1 < out.minutes.size()
                        ? out.minutes[i + 1] - out.minutes[i]
                        : out.minutes.front() + 24 * 60 - out.minutes[i];
    if (out.minutes.size() > 1 && gap < kMinGapMinutes) {
      throw CaseError(ErrorCode::invalid_field,
                      "batch times are at least 60 minutes apart", field);
    }
  }
  return out;
}

std::string BatchTimes::stored() const {
  std::string out;
  for (const auto m : minutes)
    out += (out.empty() ? "" : " ") + text_of(m);
  return out;
}

BatchTimes BatchTimes::from_stored(const std::optional<std::string> &text) {
  if (!text || text->empty())
    return defaults();
  std::vector<std::string> parts;
  std::istringstream in(*text);
  for (std::string p; in >> p;)
    parts.push_back(p);
  return parse(parts);
}

std::vector<std::string> BatchTimes::texts() const {
  std::vector<std::string> out;
  for (const auto m : minutes)
    out.push_back(text_of(m));
  return out;
}

std::int64_t next_batch_after(std::int64_t t, const BatchTimes &times) {
  const auto &ms =
      times.minutes.empty() ? BatchTimes::defaults().minutes : times.minutes;
  for (auto d = day_number(t);; ++d) {
    if (!working_day(d))
      continue;
    for (const auto m : ms) {
      if (at(d, m) > t)
        return at(d, m);
    }
  }
}

std::int64_t batch_at_or_before(std::int64_t t, const BatchTimes &times) {
  const auto &ms =
      times.minutes.empty() ? BatchTimes::defaults().minutes : times.minutes;
  for (auto d = day_number(t);; --d) {
    if (!working_day(d))
      continue;
    for (auto it = ms.rbegin(); it != ms.rend(); ++it) {
      if (at(d, *it) <= t)
        return at(d, *it);
    }
  }
}

} // namespace krasip::cases
