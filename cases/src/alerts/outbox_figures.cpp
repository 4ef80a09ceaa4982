#include "krasip/cases/alerts/outbox_figures.hpp"

#include "krasip/cases/common/thai_time.hpp"
#include "krasip/storage/mail_store.hpp"

namespace krasip::cases {

namespace {
std::optional<std::int64_t> day_of(const std::optional<std::int64_t>& t) {
  return t ? std::optional<std::int64_t>(bangkok_day_start(*t)) : std::nullopt;
}
}  // namespace

OutboxFigures outbox_figures(storage::Database& db, std::int64_t agency_id, std::int64_t now) {
  OutboxFigures f;
  f.as_of = bangkok_day_start(now);
  const auto s = storage::outbox_store::summary(db, agency_id, f.as_of);
  f.unsent = s.unsent;
  f.oldest_unsent_day = day_of(s.oldest_unsent_at);
  f.last_error = s.last_error;
  f.last_sent_day = day_of(s.last_sent_at);
  return f;
}

std::int64_t outbox_unsent_at_roll(storage::Database& db, std::int64_t now) {
  return storage::outbox_store::unsent_count(db, bangkok_day_start(now));
}

}  // namespace krasip::cases
