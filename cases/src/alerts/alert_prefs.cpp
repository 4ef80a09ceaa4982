#include "krasip/cases/alerts/alert_prefs.hpp"

#include "krasip/cases/common/case_error.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/keyed_hash.hpp"
#include "krasip/mail/message_format.hpp"
#include "krasip/storage/mail_store.hpp"

namespace krasip::cases {

namespace {
constexpr std::int64_t kVerifySeconds = 24 * 3600;

storage::Blob token_hash(const ServerSecrets& secrets, const std::string& token) {
  const auto key = crypto::derive_subkey(secrets.pepper, "krasip email verification v1");
  return crypto::keyed_hash(key, {crypto::ByteView(reinterpret_cast<const std::uint8_t*>(token.data()), token.size())});
}

AlertPrefsView view_of(const storage::alert_prefs_store::AlertPrefsRow& r) {
  return {{r.new_case, r.reporter_activity, r.deadline_digest}, r.email, r.email_verified};
}
}  // namespace

AlertPrefsView AlertPrefsService::get(std::int64_t user_id) {
  auto db = pool_.acquire();
  return view_of(storage::alert_prefs_store::get(*db, user_id));
}

AlertPrefsView AlertPrefsService::set(std::int64_t user_id, const AlertChoices& choices,
                                      const std::optional<std::string>& email) {
  if (email && !email->empty() && !mail::valid_address(*email)) {
    throw CaseError(ErrorCode::invalid_field, "not a valid e-mail address", "email");
  }
  // 32 random bytes as hex: the link's only secret, sent once by mail.
  const std::string token = crypto::to_hex(crypto::random_bytes(32));
  const auto hash = token_hash(secrets_, token);
  const auto text = composer_.verify_address(token);
  const auto now = clock_();
  AlertPrefsView out;
  writer_.run([&](storage::Database& db) {
    namespace ap = storage::alert_prefs_store;
    ap::set_choices(db, user_id, choices.new_case, choices.reporter_activity, choices.deadline_digest, now);
    const auto current = ap::get(db, user_id);
    if (email && email->empty()) {
      ap::clear_email(db, user_id, now);
    } else if (email && (current.email != *email || !current.email_verified)) {
      ap::set_pending_email(db, user_id, *email, hash, now + kVerifySeconds, now);
      std::int64_t agency_id = 1;
      {
        auto st = db.cached("SELECT agency_id FROM users WHERE id = ?");
        st->bind(1, user_id);
        if (st->step()) agency_id = st->get_int(0);
      }
      storage::outbox_store::enqueue(db, {agency_id, user_id, *email, text.subject, text.body}, now);
    }
    out = view_of(ap::get(db, user_id));
  });
  return out;
}

void AlertPrefsService::verify(const std::string& token) {
  if (token.size() != 64) throw CaseError(ErrorCode::not_found, "unknown or expired link");
  const auto hash = token_hash(secrets_, token);
  const auto now = clock_();
  bool ok = false;
  writer_.run([&](storage::Database& db) { ok = storage::alert_prefs_store::verify(db, hash, now).has_value(); });
  if (!ok) throw CaseError(ErrorCode::not_found, "unknown or expired link");
}

}  // namespace krasip::cases
