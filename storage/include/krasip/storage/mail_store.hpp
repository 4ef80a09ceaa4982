#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "krasip/storage/statement.hpp"

namespace krasip::storage {

class Database;

// E-mail alerts (schema 11): the outbox, each agency's SMTP settings and
// each user's alert choices. Plain rows; what a mail says is decided in
// cases/alerts, how it is sent in mail/.
namespace outbox_store {

struct NewMail {
  std::int64_t agency_id = 0;
  std::optional<std::int64_t> user_id;
  std::string recipient;
  std::string subject;
  std::string body;
};

struct MailRow {
  std::int64_t id = 0;
  std::int64_t agency_id = 0;
  std::string recipient;
  std::string subject;
  std::string body;
  std::int64_t attempts = 0;
  std::int64_t created_at = 0;
  std::int64_t next_attempt_at = 0;
  bool batched = false;  // waits for its agency's batch times (enqueue_batched)
};

// Adds a mail due now, unless the same mail to the same address is already
// waiting (ten messages in a minute make one alert, not ten). Returns
// whether a row was added.
bool enqueue(Database& db, const NewMail& m, std::int64_t now);
// An alert a reporter's action causes (issue 21, item 2): kept with the
// day only (`day`, 00:00 Bangkok), a random id, and due at `batch_at`, the
// agency's next batch time. Not added if the same mail waits already.
bool enqueue_batched(Database& db, const NewMail& m, std::int64_t day, std::int64_t batch_at);
// The agency's batch times changed: its unsent batched mails due after
// `now` wait for `batch_at` instead. Returns how many.
int rebatch(Database& db, std::int64_t agency_id, std::int64_t now, std::int64_t batch_at);
// Unsent mails due at `now`, oldest first.
std::vector<MailRow> due(Database& db, std::int64_t now, int limit);
void mark_sent(Database& db, std::int64_t id, std::int64_t now);
// After a failed attempt: counted, tried again at `next_attempt_at`.
// `error` must be short and hold no secret (the caller's job).
void reschedule(Database& db, std::int64_t id, std::int64_t next_attempt_at, const std::string& error);
// Seconds until the next unsent mail is due (0 if one is due now).
std::optional<std::int64_t> next_due_in(Database& db, std::int64_t now);

// The outbox as it stood at `as_of`, from the rows' own times: the mails
// created before it and not sent by then. The health page and the metrics
// show it as of the day's roll, so that a mail a reporter's action queues
// (or its sending) moves neither before the next day (docs/security.md,
// "Times"). Sent rows are kept a week, so a roll a day back is exact.
struct Summary {
  std::int64_t unsent = 0;
  std::optional<std::int64_t> oldest_unsent_at;  // created_at
  // Of the latest failed attempt of a mail unsent at `as_of` and still unsent.
  std::optional<std::string> last_error;
  std::optional<std::int64_t> last_sent_at;  // before `as_of`
};
// One agency's mail (its administrators' health page, issue 11).
Summary summary(Database& db, std::int64_t agency_id, std::int64_t as_of);
std::int64_t unsent_count(Database& db, std::int64_t as_of);
// Sent rows older than `before` are deleted: the addresses need not stay.
int purge_sent(Database& db, std::int64_t before);

}  // namespace outbox_store

namespace mail_settings_store {

struct MailSettingsRow {
  std::int64_t agency_id = 0;
  std::string smtp_url;
  std::string from_address;
  std::string username;
  Blob password_nonce;   // empty: no password
  Blob password_sealed;
  bool require_tls = false;
  std::optional<std::string> batch_times;  // "08:30 13:30"; nullopt: the defaults
};
void save(Database& db, const MailSettingsRow& row, std::int64_t now);
std::optional<MailSettingsRow> find(Database& db, std::int64_t agency_id);

}  // namespace mail_settings_store

namespace alert_prefs_store {

struct AlertPrefsRow {
  std::int64_t user_id = 0;
  std::optional<std::string> email;
  bool email_verified = false;
  std::optional<std::int64_t> verify_expires_at;
  bool new_case = true;
  bool reporter_activity = true;
  bool deadline_digest = true;
  std::optional<std::int64_t> digest_day;
};
// A user without a row has the defaults and no address.
AlertPrefsRow get(Database& db, std::int64_t user_id);
// Stores the three choices; creates the row if needed.
void set_choices(Database& db, std::int64_t user_id, bool new_case, bool reporter_activity,
                 bool deadline_digest, std::int64_t now);
// A new (unverified) address with the hash of its verification token.
void set_pending_email(Database& db, std::int64_t user_id, const std::string& email,
                       BlobView token_hash, std::int64_t expires_at, std::int64_t now);
// Marks the address verified if the token hash matches and has not expired.
// Returns the user whose address it verified.
std::optional<std::int64_t> verify(Database& db, BlobView token_hash, std::int64_t now);
void clear_email(Database& db, std::int64_t user_id, std::int64_t now);
void set_digest_day(Database& db, std::int64_t user_id, std::int64_t day);

enum class AlertKind { new_case, reporter_activity };
struct Recipient {
  std::int64_t user_id = 0;
  // The recipient's own agency: its SMTP server sends (issue 20, item 8: a
  // supervising agency's officer is never mailed through the agency below).
  std::int64_t agency_id = 0;
  std::string email;
};
// The active accounts among `user_ids` with a verified address (governance
// notices, which no one opts out of).
std::vector<Recipient> verified(Database& db, const std::vector<std::int64_t>& user_ids);
// Active accounts with a verified address who chose `kind` and may read the
// case: a recipient of its channel, holding a key to its complaint, not
// excluded (the rule of triage_store::may_read).
std::vector<Recipient> case_recipients(Database& db, std::int64_t case_id, AlertKind kind);

// Users with a verified address who chose the digest and were not sent one
// on `day`.
struct DigestUser {
  std::int64_t user_id = 0;
  std::int64_t agency_id = 0;
  std::int64_t key_id = 0;
  std::string email;
};
std::vector<DigestUser> digest_due(Database& db, std::int64_t day);

}  // namespace alert_prefs_store

}  // namespace krasip::storage
