#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// What the health page and the operator's metrics say of the outbox. A
// reporter's complaint or message queues an alert at once (sent at the next
// batch time); a figure that moved then would date the reporter's act to
// the refresh (docs/security.md, "Times"). So the figures are those of the
// outbox as it stood at the day's roll, 00:00 Bangkok of `now`, and its
// times are days: they move once a day, whatever a reporter does meanwhile.
struct OutboxFigures {
  std::int64_t as_of = 0;   // the roll: 00:00 Bangkok
  std::int64_t unsent = 0;  // mails created before the roll and not sent by it
  std::optional<std::int64_t> oldest_unsent_day;  // 00:00 Bangkok of its day
  // The latest failed attempt of a mail counted above that is still unsent:
  // a short fixed reason (outbox_sender), never a secret.
  std::optional<std::string> last_error;
  std::optional<std::int64_t> last_sent_day;  // the day of the last send before the roll
};

// One agency's mail (its administrators' health page).
OutboxFigures outbox_figures(storage::Database& db, std::int64_t agency_id, std::int64_t now);
// Every agency's unsent mail at the roll (the metrics' krasip_outbox_unsent).
std::int64_t outbox_unsent_at_roll(storage::Database& db, std::int64_t now);

}  // namespace krasip::cases
