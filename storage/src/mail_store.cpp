#include "krasip/storage/mail_store.hpp"

#include "krasip/storage/database.hpp"

namespace krasip::storage {

namespace outbox_store {

namespace {
// The same mail to the same address, not sent yet: queued once, batched or not.
bool waiting(Database& db, const NewMail& m) {
  auto st = db.cached(
      "SELECT 1 FROM outbox WHERE sent_at IS NULL AND recipient = ? AND subject = ? AND body = ?");
  st->bind(1, m.recipient).bind(2, m.subject).bind(3, m.body);
  return st->step();
}
}  // namespace

bool enqueue(Database& db, const NewMail& m, std::int64_t now) {
  if (waiting(db, m)) return false;
  auto st = db.cached(
      "INSERT INTO outbox (agency_id, user_id, recipient, subject, body, next_attempt_at, created_at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?)");
  st->bind(1, m.agency_id).bind(2, m.user_id).bind(3, m.recipient).bind(4, m.subject);
  st->bind(5, m.body).bind(6, now).bind(7, now);
  st->run();
  return true;
}

bool enqueue_batched(Database& db, const NewMail& m, std::int64_t day, std::int64_t batch_at) {
  if (waiting(db, m)) return false;
  // A random id: a row a reporter's action writes says nothing of when, by
  // its place among the others (issue 21, item 3).
  auto st = db.cached(
      "INSERT INTO outbox (id, agency_id, user_id, recipient, subject, body, next_attempt_at, created_at, batched)"
      " VALUES ((random() & 0x3FFFFFFFFFFFFFFF), ?, ?, ?, ?, ?, ?, ?, 1)");
  st->bind(1, m.agency_id).bind(2, m.user_id).bind(3, m.recipient).bind(4, m.subject);
  st->bind(5, m.body).bind(6, batch_at).bind(7, day);
  st->run();
  return true;
}

std::vector<MailRow> due(Database& db, std::int64_t now, int limit) {
  auto st = db.cached(
      "SELECT id, agency_id, recipient, subject, body, attempts, created_at, next_attempt_at, batched FROM outbox"
      " WHERE sent_at IS NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?");
  st->bind(1, now).bind(2, limit);
  std::vector<MailRow> out;
  while (st->step()) {
    out.push_back({st->get_int(0), st->get_int(1), st->get_text(2), st->get_text(3), st->get_text(4),
                   st->get_int(5), st->get_int(6), st->get_int(7), st->get_int(8) != 0});
  }
  return out;
}

int rebatch(Database& db, std::int64_t agency_id, std::int64_t now, std::int64_t batch_at) {
  auto st = db.cached(
      "UPDATE outbox SET next_attempt_at = ? WHERE agency_id = ? AND batched = 1 AND sent_at IS NULL"
      " AND next_attempt_at > ?");
  st->bind(1, batch_at).bind(2, agency_id).bind(3, now);
  st->run();
  return db.changes();
}

void mark_sent(Database& db, std::int64_t id, std::int64_t now) {
  auto st = db.cached(
      "UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?");
  st->bind(1, now).bind(2, id);
  st->run();
}

void reschedule(Database& db, std::int64_t id, std::int64_t next_attempt_at, const std::string& error) {
  auto st = db.cached(
      "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?"
      " WHERE id = ? AND sent_at IS NULL");
  st->bind(1, next_attempt_at).bind(2, error).bind(3, id);
  st->run();
}

std::optional<std::int64_t> next_due_in(Database& db, std::int64_t now) {
  auto st = db.cached("SELECT min(next_attempt_at) FROM outbox WHERE sent_at IS NULL");
  if (!st->step() || st->is_null(0)) return std::nullopt;
  const auto at = st->get_int(0);
  return at <= now ? 0 : at - now;
}

Summary summary(Database& db, std::int64_t agency_id, std::int64_t as_of) {
  Summary s;
  {
    auto st = db.cached(
        "SELECT count(*), min(created_at) FROM outbox WHERE agency_id = ?1 AND created_at < ?2"
        " AND (sent_at IS NULL OR sent_at >= ?2)");
    st->bind(1, agency_id).bind(2, as_of);
    if (st->step()) {
      s.unsent = st->get_int(0);
      s.oldest_unsent_at = st->get_optional_int(1);
    }
  }
  {
    auto st = db.cached(
        "SELECT last_error FROM outbox WHERE sent_at IS NULL AND last_error IS NOT NULL"
        " AND agency_id = ?1 AND created_at < ?2 ORDER BY next_attempt_at DESC, id DESC LIMIT 1");
    st->bind(1, agency_id).bind(2, as_of);
    if (st->step()) s.last_error = st->get_text(0);
  }
  {
    auto st = db.cached("SELECT max(sent_at) FROM outbox WHERE sent_at < ?2 AND agency_id = ?1");
    st->bind(1, agency_id).bind(2, as_of);
    if (st->step()) s.last_sent_at = st->get_optional_int(0);
  }
  return s;
}

std::int64_t unsent_count(Database& db, std::int64_t as_of) {
  auto st = db.cached(
      "SELECT count(*) FROM outbox WHERE created_at < ?1 AND (sent_at IS NULL OR sent_at >= ?1)");
  st->bind(1, as_of);
  return st->step() ? st->get_int(0) : 0;
}

int purge_sent(Database& db, std::int64_t before) {
  auto st = db.cached("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?");
  st->bind(1, before);
  st->run();
  return db.changes();
}

}  // namespace outbox_store

namespace mail_settings_store {

void save(Database& db, const MailSettingsRow& r, std::int64_t now) {
  auto st = db.cached(
      "INSERT INTO mail_settings (agency_id, smtp_url, from_address, username, password_nonce,"
      " password_sealed, require_tls, updated_at, batch_times) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
      " ON CONFLICT (agency_id) DO UPDATE SET smtp_url = ?2, from_address = ?3, username = ?4,"
      " password_nonce = ?5, password_sealed = ?6, require_tls = ?7, updated_at = ?8, batch_times = ?9");
  st->bind(1, r.agency_id).bind(2, r.smtp_url).bind(3, r.from_address).bind(4, r.username);
  if (r.password_sealed.empty()) {
    st->bind_null(5).bind_null(6);
  } else {
    st->bind(5, r.password_nonce).bind(6, r.password_sealed);
  }
  st->bind(7, r.require_tls ? 1 : 0).bind(8, now);
  if (r.batch_times) {
    st->bind(9, *r.batch_times);
  } else {
    st->bind_null(9);
  }
  st->run();
}

std::optional<MailSettingsRow> find(Database& db, std::int64_t agency_id) {
  auto st = db.cached(
      "SELECT agency_id, smtp_url, from_address, username, password_nonce, password_sealed,"
      " require_tls, batch_times FROM mail_settings WHERE agency_id = ?");
  st->bind(1, agency_id);
  if (!st->step()) return std::nullopt;
  MailSettingsRow r;
  r.agency_id = st->get_int(0);
  r.smtp_url = st->get_text(1);
  r.from_address = st->get_text(2);
  r.username = st->get_text(3);
  if (!st->is_null(5)) {
    r.password_nonce = st->get_blob(4);
    r.password_sealed = st->get_blob(5);
  }
  r.require_tls = st->get_int(6) != 0;
  r.batch_times = st->get_optional_text(7);
  return r;
}

}  // namespace mail_settings_store

namespace alert_prefs_store {

namespace {
void ensure_row(Database& db, std::int64_t user_id, std::int64_t now) {
  auto st = db.cached("INSERT OR IGNORE INTO alert_prefs (user_id, updated_at) VALUES (?, ?)");
  st->bind(1, user_id).bind(2, now);
  st->run();
}
}  // namespace

AlertPrefsRow get(Database& db, std::int64_t user_id) {
  auto st = db.cached(
      "SELECT email, email_verified, verify_expires_at, new_case, reporter_activity,"
      " deadline_digest, digest_day FROM alert_prefs WHERE user_id = ?");
  st->bind(1, user_id);
  AlertPrefsRow r;
  r.user_id = user_id;
  if (!st->step()) return r;
  r.email = st->get_optional_text(0);
  r.email_verified = st->get_int(1) != 0;
  r.verify_expires_at = st->get_optional_int(2);
  r.new_case = st->get_int(3) != 0;
  r.reporter_activity = st->get_int(4) != 0;
  r.deadline_digest = st->get_int(5) != 0;
  r.digest_day = st->get_optional_int(6);
  return r;
}

void set_choices(Database& db, std::int64_t user_id, bool new_case, bool reporter_activity,
                 bool deadline_digest, std::int64_t now) {
  ensure_row(db, user_id, now);
  auto st = db.cached(
      "UPDATE alert_prefs SET new_case = ?, reporter_activity = ?, deadline_digest = ?,"
      " updated_at = ? WHERE user_id = ?");
  st->bind(1, new_case ? 1 : 0).bind(2, reporter_activity ? 1 : 0).bind(3, deadline_digest ? 1 : 0);
  st->bind(4, now).bind(5, user_id);
  st->run();
}

void set_pending_email(Database& db, std::int64_t user_id, const std::string& email,
                       BlobView token_hash, std::int64_t expires_at, std::int64_t now) {
  ensure_row(db, user_id, now);
  auto st = db.cached(
      "UPDATE alert_prefs SET email = ?, email_verified = 0, verify_hash = ?,"
      " verify_expires_at = ?, updated_at = ? WHERE user_id = ?");
  st->bind(1, email).bind(2, token_hash).bind(3, expires_at).bind(4, now).bind(5, user_id);
  st->run();
}

std::optional<std::int64_t> verify(Database& db, BlobView token_hash, std::int64_t now) {
  auto find = db.cached(
      "SELECT user_id FROM alert_prefs WHERE verify_hash = ? AND verify_expires_at > ?");
  find->bind(1, token_hash).bind(2, now);
  if (!find->step()) return std::nullopt;
  const auto user_id = find->get_int(0);
  find->reset();
  auto st = db.cached(
      "UPDATE alert_prefs SET email_verified = 1, verify_hash = NULL, verify_expires_at = NULL,"
      " updated_at = ? WHERE user_id = ?");
  st->bind(1, now).bind(2, user_id);
  st->run();
  return user_id;
}

void clear_email(Database& db, std::int64_t user_id, std::int64_t now) {
  auto st = db.cached(
      "UPDATE alert_prefs SET email = NULL, email_verified = 0, verify_hash = NULL,"
      " verify_expires_at = NULL, updated_at = ? WHERE user_id = ?");
  st->bind(1, now).bind(2, user_id);
  st->run();
}

void set_digest_day(Database& db, std::int64_t user_id, std::int64_t day) {
  auto st = db.cached("UPDATE alert_prefs SET digest_day = ? WHERE user_id = ?");
  st->bind(1, day).bind(2, user_id);
  st->run();
}

std::vector<Recipient> case_recipients(Database& db, std::int64_t case_id, AlertKind kind) {
  auto st = db.cached(
      "SELECT u.id, u.agency_id, p.email FROM cases c"
      " JOIN channel_members m ON m.channel_id = c.channel_id AND m.role = 'recipient'"
      " JOIN users u ON u.id = m.user_id AND u.disabled_at IS NULL"
      " JOIN alert_prefs p ON p.user_id = u.id AND p.email_verified = 1 AND p.email IS NOT NULL"
      " WHERE c.id = ?1"
      " AND ((?2 = 0 AND p.new_case = 1) OR (?2 = 1 AND p.reporter_activity = 1))"
      " AND EXISTS (SELECT 1 FROM envelopes e JOIN envelope_keys k ON k.envelope_id = e.id"
      "   WHERE e.case_id = c.id AND e.field = 'complaint' AND k.reader_key_id = u.key_id)"
      " AND NOT EXISTS (SELECT 1 FROM case_exclusions x WHERE x.case_id = c.id AND x.user_id = u.id)"
      " ORDER BY u.id");
  st->bind(1, case_id).bind(2, kind == AlertKind::new_case ? 0 : 1);
  std::vector<Recipient> out;
  while (st->step()) out.push_back({st->get_int(0), st->get_int(1), st->get_text(2)});
  return out;
}

std::vector<Recipient> verified(Database& db, const std::vector<std::int64_t>& user_ids) {
  std::vector<Recipient> out;
  for (const auto id : user_ids) {
    auto st = db.cached(
        "SELECT u.id, u.agency_id, p.email FROM users u"
        " JOIN alert_prefs p ON p.user_id = u.id AND p.email_verified = 1 AND p.email IS NOT NULL"
        " WHERE u.id = ? AND u.disabled_at IS NULL");
    st->bind(1, id);
    if (st->step()) out.push_back({st->get_int(0), st->get_int(1), st->get_text(2)});
  }
  return out;
}

std::vector<DigestUser> digest_due(Database& db, std::int64_t day) {
  auto st = db.cached(
      "SELECT u.id, u.agency_id, u.key_id, p.email FROM users u"
      " JOIN alert_prefs p ON p.user_id = u.id AND p.email_verified = 1 AND p.email IS NOT NULL"
      " WHERE u.disabled_at IS NULL AND p.deadline_digest = 1"
      " AND (p.digest_day IS NULL OR p.digest_day < ?) ORDER BY u.id");
  st->bind(1, day);
  std::vector<DigestUser> out;
  while (st->step()) out.push_back({st->get_int(0), st->get_int(1), st->get_int(2), st->get_text(3)});
  return out;
}

}  // namespace alert_prefs_store

}  // namespace krasip::storage
