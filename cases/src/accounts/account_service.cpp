#include "krasip/cases/accounts/account_service.hpp"

#include <sodium.h>

#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/accounts/totp.hpp"
#include "krasip/crypto/envelope.hpp"
#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/key_store.hpp"

namespace krasip::cases {

namespace {
storage::Blob seal_totp(const crypto::SecureBytes& secret, const storage::Blob& public_key) {
  return crypto::seal_secret(secret, public_key);
}

// Another agency's account is "no such user", as a name never used.
const storage::UserRow require_user(storage::Database& db, AgencyScope agency, const std::string& username) {
  auto u = storage::user_store::find_by_username(db, username);
  if (!u || u->agency_id != agency.id()) throw CaseError(ErrorCode::not_found, "no such user", "username");
  return *u;
}

AuditEvent event_in(AgencyScope agency, AuditEvent e) {
  e.agency = agency;
  return e;
}
}  // namespace

std::string generate_password() {
  static constexpr std::string_view kAlphabet = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679";
  std::string out;
  for (int i = 0; i < 20; ++i) {
    if (i != 0 && i % 5 == 0) out.push_back('-');
    out.push_back(kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))]);
  }
  return out;
}

void validate_username(const std::string& u) {
  bool ok = u.size() >= 3 && u.size() <= 32;
  for (char c : u) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-');
  }
  if (!ok) {
    throw CaseError(ErrorCode::invalid_field,
                    "username: 3-32 characters of a-z, 0-9, dot, dash, underscore", "username");
  }
}

void validate_password(const std::string& p) {
  if (p.size() < kMinPasswordLength || p.size() > 1024) {
    throw CaseError(ErrorCode::invalid_field, "the password must have at least 12 characters",
                    "password");
  }
}

std::string AccountService::wrap_context(const std::string& username) {
  return "krasip/user/" + username;
}

crypto::WrappedKey AccountService::wrapped_of(const storage::UserRow& u) {
  return {u.wrap_salt, u.wrap_nonce, u.wrapped_secret,
          {static_cast<std::uint64_t>(u.pwhash_ops), static_cast<std::size_t>(u.pwhash_mem)}};
}

storage::WrappedKeyRow AccountService::wrap(const crypto::SecureBytes& secret,
                                            const std::string& username,
                                            const std::string& password) const {
  const auto w = crypto::wrap_secret_key(secret, password, wrap_context(username), limits_);
  return {w.salt, w.nonce, w.ciphertext, static_cast<std::int64_t>(w.limits.opslimit),
          static_cast<std::int64_t>(w.limits.memlimit)};
}

namespace {
// Before an agency's first case a new account joins its 'default' channel
// (an agency with one channel works as before); after, adding a reader is
// a channel change that a second person approves (issue 20).
void join_default_while_setting_up(storage::Database& db, AgencyScope agency, std::int64_t user_id, bool custodian,
                                   std::int64_t now) {
  if (!storage::channel_store::agency_has_cases(db, agency.id())) {
    storage::channel_store::join_default(db, user_id, custodian, now);
  }
}

void check_new_account(storage::Database& db, const NewAccount& a, std::int64_t now) {
  validate_username(a.username);
  if (a.display_name.empty() || a.display_name.size() > 200) {
    throw CaseError(ErrorCode::invalid_field, "a display name is required", "name");
  }
  // One login form for the deployment, so names are unique across
  // agencies; "taken" tells only that some account has that name.
  (void)now;
  if (storage::user_store::find_by_username(db, a.username)) {
    throw CaseError(ErrorCode::invalid_field, "that username is taken", "username");
  }
}

std::string roles_detail(std::int64_t user_id, bool custodian, bool admin) {
  return "user_id=" + std::to_string(user_id) + " custodian=" + (custodian ? "1" : "0") +
         " admin=" + (admin ? "1" : "0");
}
}  // namespace

AccountSecrets AccountService::add(storage::Database& db, AgencyScope agency, const NewAccount& a,
                                   std::int64_t now, std::optional<std::int64_t> actor) const {
  check_new_account(db, a, now);
  AccountSecrets out;
  std::string password;
  if (a.password) {
    validate_password(*a.password);
    password = *a.password;
  } else {
    password = generate_password();
    out.generated_password = password;
  }
  const auto kp = crypto::KeyPair::generate();
  const auto w = wrap(kp.secret_key, a.username, password);
  storage::NewUser u{a.username, a.display_name, a.custodian, a.admin, kp.public_key, w.salt,
                     w.nonce,    w.ciphertext,   w.ops,       w.mem,   now,
                     agency.id()};
  out.user_id = storage::key_store::insert_user(db, u);
  join_default_while_setting_up(db, agency, out.user_id, a.custodian, now);
  const auto totp = new_totp_secret();
  storage::user_store::set_totp(db, out.user_id, seal_totp(totp, kp.public_key));
  out.totp_uri = totp_uri("Krasip", a.username, totp);
  audit_.append(db, event_in(agency, {now, actor, "user.add", std::nullopt, roles_detail(out.user_id, a.custodian, a.admin)}));
  return out;
}

storage::UserRow AccountService::add_pending(storage::Database& db, AgencyScope agency, const NewAccount& a,
                                             const std::string& interim_password, std::int64_t now,
                                             std::optional<std::int64_t> actor) const {
  check_new_account(db, a, now);
  const auto kp = crypto::KeyPair::generate();
  const auto w = crypto::wrap_secret_key(kp.secret_key, interim_password, wrap_context(a.username),
                                         crypto::PwhashLimits::interactive());
  storage::NewUser u{a.username, a.display_name, a.custodian, a.admin, kp.public_key, w.salt, w.nonce, w.ciphertext,
                     static_cast<std::int64_t>(w.limits.opslimit), static_cast<std::int64_t>(w.limits.memlimit), now,
                     agency.id()};
  const auto id = storage::key_store::insert_user(db, u);
  join_default_while_setting_up(db, agency, id, a.custodian, now);
  audit_.append(db, event_in(agency, {now, actor, "user.add", std::nullopt, roles_detail(id, a.custodian, a.admin) + " enrolment=link"}));
  return *storage::user_store::find_by_id(db, id);
}

storage::UserRow AccountService::replace_key_pending(storage::Database& db, AgencyScope agency,
                                                     const storage::UserRow& user, const std::string& interim_password,
                                                     std::int64_t now, std::optional<std::int64_t> actor) const {
  const auto kp = crypto::KeyPair::generate();
  const auto w = crypto::wrap_secret_key(kp.secret_key, interim_password, wrap_context(user.username),
                                         crypto::PwhashLimits::interactive());
  storage::user_store::replace_key(db, user.id, kp.public_key,
                                   {w.salt, w.nonce, w.ciphertext, static_cast<std::int64_t>(w.limits.opslimit),
                                    static_cast<std::int64_t>(w.limits.memlimit)},
                                   now);
  storage::user_store::set_totp(db, user.id, storage::Blob{});
  audit_.append(db, event_in(agency, {now, actor, "user.reset", std::nullopt,
                                      "user_id=" + std::to_string(user.id) + " enrolment=link"}));
  return *storage::user_store::find_by_id(db, user.id);
}

void AccountService::disable(storage::Database& db, AgencyScope agency, const std::string& username,
                             std::int64_t now, std::optional<std::int64_t> actor) const {
  const auto u = require_user(db, agency, username);
  storage::user_store::set_disabled(db, u.id, now);
  audit_.append(db, event_in(agency, {now, actor, "user.disable", std::nullopt, "user_id=" + std::to_string(u.id)}));
}

void AccountService::enable(storage::Database& db, AgencyScope agency, const std::string& username,
                            std::int64_t now, std::optional<std::int64_t> actor) const {
  const auto u = require_user(db, agency, username);
  if (!u.disabled_at) return;
  storage::user_store::set_disabled(db, u.id, std::nullopt);
  audit_.append(db, event_in(agency, {now, actor, "user.enable", std::nullopt, "user_id=" + std::to_string(u.id)}));
}

storage::UserRow AccountService::set_roles(storage::Database& db, AgencyScope agency,
                                           const std::string& username, bool custodian, bool admin,
                                           std::int64_t now, std::optional<std::int64_t> actor) const {
  auto u = require_user(db, agency, username);
  if (u.is_custodian && !custodian) {
    for (const auto& [channel_id, m] : storage::channel_store::all_members(db, agency.id())) {
      (void)channel_id;
      if (m.user_id == u.id && m.role == "custodian") {
        throw CaseError(ErrorCode::invalid_field,
                        "this account is a custodian of a channel; remove it there first", "custodian");
      }
    }
  }
  if (u.is_custodian == custodian && u.is_admin == admin) return u;
  storage::user_store::set_roles(db, u.id, custodian, admin, now);
  u.is_custodian = custodian;
  u.is_admin = admin;
  audit_.append(db, event_in(agency, {now, actor, "user.roles", std::nullopt,
                                      "user_id=" + std::to_string(u.id) + " custodian=" +
                                          (custodian ? "1" : "0") + " admin=" + (admin ? "1" : "0")}));
  return u;
}

AccountSecrets AccountService::reset(storage::Database& db, AgencyScope agency, const std::string& username,
                                     const std::optional<std::string>& password, std::int64_t now,
                                     std::optional<std::int64_t> actor) const {
  const auto u = require_user(db, agency, username);
  AccountSecrets out;
  out.user_id = u.id;
  std::string pw;
  if (password) {
    validate_password(*password);
    pw = *password;
  } else {
    pw = generate_password();
    out.generated_password = pw;
  }
  const auto kp = crypto::KeyPair::generate();
  storage::user_store::replace_key(db, u.id, kp.public_key, wrap(kp.secret_key, username, pw), now);
  const auto totp = new_totp_secret();
  storage::user_store::set_totp(db, u.id, seal_totp(totp, kp.public_key));
  out.totp_uri = totp_uri("Krasip", username, totp);
  audit_.append(db, event_in(agency, {now, actor, "user.reset", std::nullopt, "user_id=" + std::to_string(u.id)}));
  return out;
}

storage::WrappedKeyRow AccountService::rewrap(const crypto::SecureBytes& secret_key,
                                              const std::string& username,
                                              const std::string& new_password) const {
  validate_password(new_password);
  return wrap(secret_key, username, new_password);
}

void AccountService::store_password(storage::Database& db, const storage::UserRow& user,
                                    const storage::WrappedKeyRow& wrapped, std::int64_t now) const {
  storage::user_store::set_wrapped_key(db, user.id, wrapped);
  audit_.append(db, {now, user.id, "user.password", std::nullopt, "user_id=" + std::to_string(user.id)});
}

}  // namespace krasip::cases
