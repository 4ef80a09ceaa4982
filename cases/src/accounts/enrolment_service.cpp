#include "krasip/cases/accounts/enrolment_service.hpp"

#include "krasip/cases/accounts/totp.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/envelope.hpp"
#include "krasip/crypto/keyed_hash.hpp"
#include "krasip/crypto/password_wrap.hpp"
#include "krasip/storage/user_store.hpp"

namespace krasip::cases {

namespace {
constexpr std::size_t kTokenHexLength = 64;

bool well_formed(const std::string& token) {
  if (token.size() != kTokenHexLength) return false;
  for (char c : token) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

CaseError no_such_link() {
  return CaseError(ErrorCode::not_found, "this enrolment link is unknown, used or expired; ask for a new one",
                   "token");
}
}  // namespace

storage::Blob EnrolmentService::token_hash(const std::string& token) const {
  const auto key = crypto::derive_subkey(secrets_.pepper, "krasip enrolment token v1");
  return crypto::keyed_hash(key, {crypto::as_bytes(token)});
}

std::string EnrolmentService::interim_password(const std::string& token) const {
  const auto key = crypto::derive_subkey(secrets_.pepper, "krasip enrolment wrap v1");
  return crypto::to_hex(crypto::keyed_hash(key, {crypto::as_bytes(token)}));
}

crypto::SecureBytes EnrolmentService::totp_secret(const std::string& token) const {
  const auto key = crypto::derive_subkey(secrets_.pepper, "krasip enrolment totp v1");
  const auto h = crypto::keyed_hash(key, {crypto::as_bytes(token)});
  return crypto::SecureBytes::copy_of(crypto::ByteView(h.data(), 20));  // RFC 4226's 160 bits
}

// Records the link for `user` (whose key is wrapped under the token's
// interim password); one open link per account: an earlier one stops
// working, as its key is gone.
EnrolmentLink EnrolmentService::record(storage::Database& db, const storage::UserRow& user, const std::string& token,
                                       std::int64_t now, std::optional<std::int64_t> actor) const {
  if (const auto open = storage::enrolment_store::open_for_user(db, user.id, now)) {
    storage::enrolment_store::mark_used(db, open->id, now);
  }
  EnrolmentLink link{user.username, token, now + kEnrolmentSeconds};
  storage::EnrolmentRow e;
  e.agency_id = user.agency_id;
  e.user_id = user.id;
  e.username = user.username;
  e.display_name = user.display_name;
  e.custodian = user.is_custodian;
  e.admin = user.is_admin;
  e.created_by = actor;
  e.created_at = now;
  e.expires_at = link.expires_at;
  storage::enrolment_store::insert(db, e, token_hash(token));
  return link;
}

EnrolmentLink EnrolmentService::invite(storage::Database& db, AgencyScope agency, const NewAccount& account,
                                       std::int64_t now, std::optional<std::int64_t> actor) const {
  const std::string token = crypto::to_hex(crypto::random_bytes(32));
  const auto user = accounts_.add_pending(db, agency, account, interim_password(token), now, actor);
  return record(db, user, token, now, actor);
}

EnrolmentLink EnrolmentService::reenrol(storage::Database& db, AgencyScope agency, const storage::UserRow& user,
                                        std::int64_t now, std::optional<std::int64_t> actor) const {
  const std::string token = crypto::to_hex(crypto::random_bytes(32));
  const auto updated = accounts_.replace_key_pending(db, agency, user, interim_password(token), now, actor);
  return record(db, updated, token, now, actor);
}

EnrolmentService::Opened EnrolmentService::open(storage::Database& db, const std::string& token,
                                                std::int64_t now) const {
  if (!well_formed(token)) throw no_such_link();
  const auto e = storage::enrolment_store::find_by_token(db, token_hash(token));
  if (!e || e->used_at || e->expires_at <= now || !e->user_id) throw no_such_link();
  const auto u = storage::user_store::find_by_id(db, *e->user_id);
  if (!u || u->disabled_at) throw no_such_link();
  return {*e, *u, totp_uri("Krasip", u->username, totp_secret(token))};
}

storage::WrappedKeyRow EnrolmentService::wrap_for_owner(const Opened& opened, const std::string& token,
                                                        const std::string& password) const {
  validate_password(password);
  crypto::SecureBytes secret;
  try {
    secret = crypto::unwrap_secret_key(AccountService::wrapped_of(opened.user), interim_password(token),
                                       AccountService::wrap_context(opened.user.username));
  } catch (const crypto::DecryptError&) {
    // A newer link replaced the key this one was for.
    throw no_such_link();
  }
  return accounts_.rewrap(secret, opened.user.username, password);
}

void EnrolmentService::finish(storage::Database& db, const std::string& token, const storage::WrappedKeyRow& wrapped,
                              const std::string& totp_code, std::int64_t now) const {
  const auto opened = open(db, token, now);
  const auto secret = totp_secret(token);
  const auto counter = verify_totp(secret, totp_code, now);
  if (!counter) {
    throw CaseError(ErrorCode::invalid_field,
                    "that code does not match: add the key to your authenticator app and type the code it shows",
                    "totp");
  }
  storage::user_store::set_wrapped_key(db, opened.user.id, wrapped);
  storage::user_store::set_totp(db, opened.user.id, crypto::seal_secret(secret, opened.user.public_key));
  (void)storage::user_store::advance_totp_counter(db, opened.user.id, *counter);
  storage::enrolment_store::mark_used(db, opened.enrolment.id, now);
  AuditEvent e{now, opened.user.id, "user.enrol", std::nullopt, "user_id=" + std::to_string(opened.user.id)};
  audit_.append(db, e);
}

}  // namespace krasip::cases
