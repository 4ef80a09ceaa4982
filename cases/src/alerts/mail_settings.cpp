#include "krasip/cases/alerts/mail_settings.hpp"

#include "krasip/cases/common/case_error.hpp"
#include "krasip/crypto/envelope.hpp"
#include "krasip/crypto/keyed_hash.hpp"
#include "krasip/mail/message_format.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/mail_store.hpp"

namespace krasip::cases {

namespace {
crypto::SecureBytes password_key(const ServerSecrets& secrets) {
  return crypto::derive_subkey(secrets.pepper, "krasip smtp password v1");
}
// Binds the ciphertext to its agency: one agency's row copied onto
// another's does not decrypt.
std::string associated_data(std::int64_t agency_id) {
  return "mail_settings:" + std::to_string(agency_id);
}
}  // namespace

void check_mail_settings(const MailSettingsSpec& spec) {
  if (!mail::valid_smtp_url(spec.smtp_url)) {
    throw CaseError(ErrorCode::invalid_field, "the SMTP URL must be smtp://HOST[:PORT] or smtps://HOST[:PORT]",
                    "smtp_url");
  }
  if (!mail::valid_address(spec.from)) {
    throw CaseError(ErrorCode::invalid_field, "the sender address is not a valid address", "from");
  }
  if (!spec.password.empty() && spec.username.empty()) {
    throw CaseError(ErrorCode::invalid_field, "a password needs a user name", "user");
  }
  if (spec.smtp_url.starts_with("smtp://") && !spec.require_tls && !mail::smtp_on_loopback(spec.smtp_url)) {
    throw CaseError(ErrorCode::invalid_field,
                    "a relay on another machine is reached over TLS: use smtps:// or require STARTTLS",
                    "smtp_url");
  }
}

bool same_server(const std::string& a, const std::string& b) {
  const auto x = mail::smtp_server(a);
  return !x.empty() && x == mail::smtp_server(b);
}

void save_mail_settings(storage::Database& db, const ServerSecrets& secrets, std::int64_t agency_id,
                        const MailSettingsSpec& spec, std::int64_t now) {
  check_mail_settings(spec);
  storage::mail_settings_store::MailSettingsRow row;
  row.agency_id = agency_id;
  row.smtp_url = spec.smtp_url;
  row.from_address = spec.from;
  row.username = spec.username;
  row.require_tls = spec.require_tls;
  if (spec.batch_times) {
    row.batch_times = spec.batch_times->stored();
  } else if (const auto old = storage::mail_settings_store::find(db, agency_id)) {
    row.batch_times = old->batch_times;
  }
  if (!spec.password.empty()) {
    auto sealed = crypto::encrypt_record(password_key(secrets), spec.password.view(), associated_data(agency_id));
    row.password_nonce = std::move(sealed.nonce);
    row.password_sealed = std::move(sealed.ciphertext);
  }
  storage::mail_settings_store::save(db, row, now);
  if (spec.batch_times) {
    // Mail waiting for a batch that is no longer one goes at the first of
    // the new times: for this agency and those below that send through it.
    std::vector<std::int64_t> senders{agency_id};
    for (const auto id : storage::key_store::descendants(db, agency_id)) senders.push_back(id);
    for (const auto id : senders) {
      if (id != agency_id && storage::mail_settings_store::find(db, id)) continue;
      storage::outbox_store::rebatch(db, id, now, next_batch_after(now, batch_times_of(db, id)));
    }
  }
}

BatchTimes batch_times_of(storage::Database& db, std::int64_t agency_id) {
  auto row = storage::mail_settings_store::find(db, agency_id);
  for (const auto up : storage::key_store::ancestors(db, agency_id)) {
    if (row) break;
    row = storage::mail_settings_store::find(db, up);
  }
  return BatchTimes::from_stored(row ? row->batch_times : std::nullopt);
}

std::optional<mail::SmtpConfig> load_mail_settings(storage::Database& db, const ServerSecrets& secrets,
                                                   std::int64_t agency_id) {
  const auto row = storage::mail_settings_store::find(db, agency_id);
  if (!row) return std::nullopt;
  mail::SmtpConfig c;
  c.url = row->smtp_url;
  c.from = row->from_address;
  c.username = row->username;
  c.require_tls = row->require_tls;
  if (!row->password_sealed.empty()) {
    c.password = crypto::decrypt_record(password_key(secrets), row->password_nonce, row->password_sealed,
                                        associated_data(agency_id));
  }
  return c;
}

}  // namespace krasip::cases
