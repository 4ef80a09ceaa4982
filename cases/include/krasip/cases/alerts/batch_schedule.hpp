#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace krasip::cases {

// When an agency's alerts go out (issue 21, item 2): a few fixed times of
// day, Bangkok time, on working days (Monday to Friday). An alert a
// reporter's action causes waits for the next of them, so the mail (and
// the outbox row) dates the act only to the span between two batches, not
// to the minute. Thai public holidays are not skipped: they are set each
// year by cabinet resolution and the service keeps no calendar of them; an
// alert on a holiday goes out at the usual times, which dates nothing finer.
struct BatchTimes {
  std::vector<int> minutes; // minutes after 00:00 Bangkok, ascending

  static constexpr std::size_t kMaxPerDay = 4;
  // A batch every few minutes would date reporters' acts again.
  static constexpr int kMinGapMinutes = 60;

  static BatchTimes defaults(); // 08:30 and 13:30
  // Validated: one to four "HH:MM" in 00:00–23:59, each at least 60 minutes
  // from the others (across midnight too), in any order. Throws CaseError
  // (invalid_field) naming `field` and saying what is wrong.
  static BatchTimes parse(const std::vector<std::string> &texts,
                          const std::string &field = "batch_times");
  // The stored form, "08:30 13:30"; from_stored of nullopt or "" gives the
  // defaults.
  std::string stored() const;
  static BatchTimes from_stored(const std::optional<std::string> &text);
  std::vector<std::string> texts() const; // {"08:30", "13:30"}
};

// The first batch time strictly after `t` (Unix seconds): later the same
// working day, or the first batch of the next working day.
std::int64_t next_batch_after(std::int64_t t, const BatchTimes &times);
// The latest batch time at or before `t` (the batch a mail due by `t` is
// sent in, whenever the sender gets to it).
std::int64_t batch_at_or_before(std::int64_t t, const BatchTimes &times);

} // namespace krasip::cases
