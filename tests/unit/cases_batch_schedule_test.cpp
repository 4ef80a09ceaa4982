// When alerts go out (issue 21, item 2): the next batch after a time, on
// working days, with an agency's own times, and what a time may be.
#include <doctest/doctest.h>

#include "krasip/cases/alerts/batch_schedule.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/thai_time.hpp"

using namespace krasip::cases;

namespace {
// Unix seconds of a Bangkok civil time.
std::int64_t bkk(int y, int mo, int d, int h, int mi, int s = 0) {
  return days_from_civil({y, mo, d}) * 86400 - kBangkokOffsetSeconds +
         h * 3600 + mi * 60 + s;
}
std::string field_of(const std::vector<std::string> &texts) {
  try {
    (void)BatchTimes::parse(texts);
  } catch (const CaseError &e) {
    return e.field();
  }
  return "(accepted)";
}
} // namespace

// 2026-12-07 is a Monday; 2026-12-11 a Friday.
TEST_CASE("batch schedule: the default times on working days") {
  const auto d = BatchTimes::defaults();
  CHECK(d.texts() == std::vector<std::string>{"08:30", "13:30"});
  // A weekday morning before the first batch.
  CHECK(next_batch_after(bkk(2026, 12, 7, 6, 5), d) == bkk(2026, 12, 7, 8, 30));
  // Between the batches; at a batch time exactly, the next one.
  CHECK(next_batch_after(bkk(2026, 12, 7, 8, 31), d) ==
        bkk(2026, 12, 7, 13, 30));
  CHECK(next_batch_after(bkk(2026, 12, 7, 8, 30), d) ==
        bkk(2026, 12, 7, 13, 30));
  // After the last: the next working day's first.
  CHECK(next_batch_after(bkk(2026, 12, 7, 13, 30, 1), d) ==
        bkk(2026, 12, 8, 8, 30));
  CHECK(next_batch_after(bkk(2026, 12, 7, 23, 59, 59), d) ==
        bkk(2026, 12, 8, 8, 30));
  // Friday evening, Saturday, Sunday: Monday 08:30.
  CHECK(next_batch_after(bkk(2026, 12, 11, 18, 0), d) ==
        bkk(2026, 12, 14, 8, 30));
  CHECK(next_batch_after(bkk(2026, 12, 12, 9, 0), d) ==
        bkk(2026, 12, 14, 8, 30));
  CHECK(next_batch_after(bkk(2026, 12, 13, 23, 0), d) ==
        bkk(2026, 12, 14, 8, 30));
  // The batch a mail due by then goes in.
  CHECK(batch_at_or_before(bkk(2026, 12, 7, 13, 30), d) ==
        bkk(2026, 12, 7, 13, 30));
  CHECK(batch_at_or_before(bkk(2026, 12, 7, 15, 0), d) ==
        bkk(2026, 12, 7, 13, 30));
  CHECK(batch_at_or_before(bkk(2026, 12, 14, 8, 0), d) ==
        bkk(2026, 12, 11, 13, 30));
  // The year's end (Thursday 31 December 2026 → Friday 1 January 2027: no
  // holiday calendar).
  CHECK(next_batch_after(bkk(2026, 12, 31, 14, 0), d) ==
        bkk(2027, 1, 1, 8, 30));
}

TEST_CASE("batch schedule: an agency's own times") {
  const auto t = BatchTimes::parse({"16:00", "07:00", "23:00"});
  CHECK(t.stored() == "07:00 16:00 23:00");
  CHECK(BatchTimes::from_stored(t.stored()).minutes == t.minutes);
  CHECK(BatchTimes::from_stored(std::nullopt).minutes ==
        BatchTimes::defaults().minutes);
  CHECK(next_batch_after(bkk(2026, 12, 8, 7, 0), t) == bkk(2026, 12, 8, 16, 0));
  CHECK(next_batch_after(bkk(2026, 12, 8, 22, 59), t) ==
        bkk(2026, 12, 8, 23, 0));
  CHECK(next_batch_after(bkk(2026, 12, 11, 23, 0), t) ==
        bkk(2026, 12, 14, 7, 0));
  const auto midnight = BatchTimes::parse({"00:00"});
  CHECK(next_batch_after(bkk(2026, 12, 7, 0, 0), midnight) ==
        bkk(2026, 12, 8, 0, 0));
  CHECK(next_batch_after(bkk(2026, 12, 10, 23, 0), midnight) ==
        bkk(2026, 12, 11, 0, 0));
  CHECK(next_batch_after(bkk(2026, 12, 11, 0, 1), midnight) ==
        bkk(2026, 12, 14, 0, 0));
  CHECK(BatchTimes::parse({"23:59"}).texts() ==
        std::vector<std::string>{"23:59"});
}

TEST_CASE("batch schedule: a time outside 00:00–23:59, too many, too close: "
          "refused, naming the field") {
  CHECK(field_of({"08:30", "13:30", "15:30", "17:30"}) == "(accepted)");
  CHECK(field_of({"00:30", "23:30"}) ==
        "(accepted)"); // 60 minutes across midnight
  CHECK(field_of({}) == "batch_times");
  CHECK(field_of({"06:00", "08:00", "10:00", "12:00", "14:00"}) ==
        "batch_times");
  CHECK(field_of({"24:00"}) == "batch_times");
  CHECK(field_of({"08:60"}) == "batch_times");
  CHECK(field_of({"8:30"}) == "batch_times");
  CHECK(field_of({"-1:30"}) == "batch_times");
  CHECK(field_of({"08:30 "}) == "batch_times");
  CHECK(field_of({"noon"}) == "batch_times");
  CHECK(field_of({"08:30", "09:29"}) == "batch_times");
  CHECK(field_of({"08:30", "08:30"}) == "batch_times");
  CHECK(field_of({"23:50", "00:20"}) ==
        "batch_times"); // 30 minutes across midnight
  try {
    (void)BatchTimes::parse({"08:30", "09:00"});
    FAIL("accepted");
  } catch (const CaseError &e) {
    CHECK(std::string(e.what()).find("60 minutes") != std::string::npos);
  }
}
