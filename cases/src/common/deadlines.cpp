#include "krasip/cases/common/deadlines.hpp"

namespace krasip::cases {

bool is_final_status(std::string_view s) {
  return s == "substantiated" || s == "unsubstantiated" || s == "referred" || s == "rejected" ||
         s == "closed";
}

CaseDeadlines deadlines_for(const storage::CaseRow& c, const Deadlines& d, std::int64_t now) {
  constexpr std::int64_t kDay = 86400;
  CaseDeadlines out;
  out.acknowledge_due = c.received_at + d.acknowledge_days * kDay;
  out.reply_due = c.received_at + d.reply_days * kDay;
  out.outcome_due = c.received_at + d.outcome_days * kDay;
  const bool final = is_final_status(c.status);
  // Counted in days from the day received (received_at is that day's
  // start): a deadline is the whole due day, overdue once that day is over.
  out.acknowledge_overdue = c.status == "received" && now >= out.acknowledge_due + kDay;
  out.reply_overdue = !final && !c.first_reply_at && now >= out.reply_due + kDay;
  out.outcome_overdue = !final && now >= out.outcome_due + kDay;
  return out;
}

}  // namespace krasip::cases
