#include "krasip/cases/deadlines.hpp"

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
  out.acknowledge_overdue = c.status == "received" && now > out.acknowledge_due;
  out.reply_overdue = !final && !c.first_reply_at && now > out.reply_due;
  out.outcome_overdue = !final && now > out.outcome_due;
  return out;
}

}  // namespace krasip::cases
