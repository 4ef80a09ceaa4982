#include "krasip/cases/alerts/deadline_digest.hpp"

#include <algorithm>

#include "krasip/cases/common/thai_time.hpp"
#include "krasip/storage/mail_store.hpp"
#include "krasip/storage/transaction.hpp"
#include "krasip/storage/triage_store.hpp"

namespace krasip::cases {

namespace {
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kBangkokOffset = 7 * 3600;
constexpr std::int64_t kMaxCounted = 10000;

// Cases the user can read that are overdue at `at` (the rule of the case
// list's "overdue" filter, with `at` for now).
std::int64_t overdue_at(storage::Database& db, const Deadlines& d, std::int64_t at, std::int64_t key_id,
                        std::int64_t user_id, std::int64_t agency_id) {
  storage::CaseFilter f;
  f.overdue_only = true;
  // Each case by its own agency's days, these where it has none.
  f.overdue_at = at;
  f.default_ack_days = d.acknowledge_days;
  f.default_reply_days = d.reply_days;
  f.default_outcome_days = d.outcome_days;
  const auto agencies = storage::triage_store::listed_agencies(db, user_id, agency_id);  // as the case list
  return static_cast<std::int64_t>(
      storage::triage_store::list_cases(db, f, agencies, key_id, user_id, kMaxCounted, 0).size());
}
}  // namespace

int DeadlineDigest::run() {
  const auto now = clock_();
  if ((now + kBangkokOffset) % kDay < send_hour_ * 3600) return 0;
  const auto day = days_from_civil(bangkok_date(now));
  struct Pending {
    storage::alert_prefs_store::DigestUser user;
    std::int64_t due_soon = 0;
    std::int64_t overdue = 0;
  };
  std::vector<Pending> pending;
  {
    auto db = pool_.acquire();
    const storage::ReadSnapshot snapshot(*db);
    for (auto& u : storage::alert_prefs_store::digest_due(*db, day)) {
      const auto overdue = overdue_at(*db, deadlines_, now, u.key_id, u.user_id, u.agency_id);
      const auto soon = overdue_at(*db, deadlines_, now + 2 * kDay, u.key_id, u.user_id, u.agency_id) - overdue;
      pending.push_back({std::move(u), std::max<std::int64_t>(soon, 0), overdue});
    }
  }
  if (pending.empty()) return 0;
  int queued = 0;
  writer_.run([&](storage::Database& db) {
    for (const auto& p : pending) {
      if (p.due_soon + p.overdue > 0) {
        const auto text = composer_.digest(p.due_soon, p.overdue);
        storage::outbox_store::enqueue(db, {p.user.agency_id, p.user.user_id, p.user.email, text.subject, text.body},
                                       now);
        ++queued;
      }
      storage::alert_prefs_store::set_digest_day(db, p.user.user_id, day);
    }
  });
  return queued;
}

}  // namespace krasip::cases
