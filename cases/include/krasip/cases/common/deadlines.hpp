#pragma once
#include <cstdint>
#include <optional>

#include "krasip/storage/records.hpp"

namespace krasip::cases {

// Service standards from receipt: acknowledge within 7 days, first reply to
// the reporter within 15, an outcome within 90 (configurable).
struct Deadlines {
  int acknowledge_days = 7;
  int reply_days = 15;
  int outcome_days = 90;
};

struct CaseDeadlines {
  std::int64_t acknowledge_due = 0;
  std::int64_t reply_due = 0;
  std::int64_t outcome_due = 0;
  bool acknowledge_overdue = false;
  bool reply_overdue = false;
  bool outcome_overdue = false;
  bool overdue() const { return acknowledge_overdue || reply_overdue || outcome_overdue; }
};

bool is_final_status(std::string_view status);
CaseDeadlines deadlines_for(const storage::CaseRow& c, const Deadlines& d, std::int64_t now);

}  // namespace krasip::cases
