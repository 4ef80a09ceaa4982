#include "krasip/cases/accounts/login_service.hpp"

#include <algorithm>
#include <limits>

#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/accounts/totp.hpp"
#include "krasip/crypto/envelope.hpp"
#include "krasip/storage/user_store.hpp"

namespace krasip::cases {

namespace {
// The client's key first: it never holds a newline, so no two (client,
// account) pairs give the same string.
std::string pair_key(const std::string& client, const std::string& username) {
  return client + "\n" + username;
}
}  // namespace

LoginService::LoginService(storage::ReaderPool& pool, storage::WriteQueue& writer,
                           SessionStore& sessions, const AuditLog& audit, Clock clock,
                           crypto::PwhashLimits decoy_limits, LoginThrottle throttle)
    : pool_(pool),
      writer_(writer),
      sessions_(sessions),
      audit_(audit),
      clock_(std::move(clock)),
      throttle_(throttle),
      client_failures_(throttle.client_failures, throttle.window_seconds),
      // Counts only; never refuses (see failure_delay).
      account_failures_(std::numeric_limits<int>::max(), throttle.window_seconds),
      password_failures_(throttle.client_failures, throttle.window_seconds),
      decoy_(crypto::wrap_secret_key(crypto::SecureBytes::random(32), "decoy", "krasip/decoy",
                                     decoy_limits)) {}

void LoginService::fail(const std::string& username, const std::string& client,
                        std::optional<std::int64_t> user_id, std::int64_t now) {
  client_failures_.record(pair_key(client, username), now);
  account_failures_.record(username, now);
  writer_.run([&](storage::Database& db) {
    audit_.append(db, {now, user_id, "auth.login_failed", std::nullopt, ""});
  });
  throw CaseError(ErrorCode::invalid_credentials, "the username, password or code is not right");
}

std::chrono::milliseconds LoginService::failure_delay(const std::string& username) {
  const int over = account_failures_.count(username, clock_()) - throttle_.account_failures;
  if (over <= 0) return std::chrono::milliseconds(0);
  return std::min(throttle_.cap, throttle_.step * over);
}

LoginResult LoginService::login(const std::string& username, const std::string& password,
                                const std::string& totp, const std::string& client) {
  const std::int64_t now = clock_();
  if (client_failures_.blocked(pair_key(client, username), now)) {
    throw CaseError(ErrorCode::rate_limited,
                    "too many failed attempts for this account from here; try again in 15 minutes");
  }
  std::optional<storage::UserRow> user;
  {
    auto db = pool_.acquire();
    if (username.size() <= 64) user = storage::user_store::find_by_username(*db, username);
  }
  if (!user || user->disabled_at || password.size() > 1024) {
    try {  // the same Argon2id work as a real unwrap
      (void)crypto::unwrap_secret_key(decoy_, password, "krasip/decoy");
    } catch (const crypto::DecryptError&) {
    }
    fail(username, client, user ? std::optional(user->id) : std::nullopt, now);
  }

  crypto::SecureBytes secret;
  try {
    secret = crypto::unwrap_secret_key(AccountService::wrapped_of(*user), password,
                                       AccountService::wrap_context(user->username));
  } catch (const crypto::DecryptError&) {
    fail(username, client, user->id, now);
  }
  auto key = crypto::KeyPair::from_secret(secret);
  if (key.public_key != user->public_key) fail(username, client, user->id, now);

  std::optional<std::int64_t> counter;
  if (!user->totp_sealed.empty()) {
    try {
      const auto totp_secret = crypto::open_sealed_secret(user->totp_sealed, key);
      counter = verify_totp(totp_secret, totp, now);
    } catch (const crypto::DecryptError&) {
    }
  }
  bool fresh = false;
  if (counter) {
    writer_.run([&](storage::Database& db) {
      fresh = storage::user_store::advance_totp_counter(db, user->id, *counter);
      if (fresh) audit_.append(db, {now, user->id, "auth.login", std::nullopt, ""});
    });
  }
  if (!fresh) fail(username, client, user->id, now);  // wrong, missing or replayed code

  client_failures_.reset(pair_key(client, username));
  Session s;
  s.user_id = user->id;
  s.username = user->username;
  s.display_name = user->display_name;
  s.is_custodian = user->is_custodian;
  s.is_admin = user->is_admin;
  s.key_id = user->key_id;
  s.agency_id = user->agency_id;
  s.key = std::move(key);
  LoginResult r;
  r.token = sessions_.create(std::move(s), now);
  r.session = sessions_.find(r.token, now);
  return r;
}

void LoginService::logout(const std::string& token) { sessions_.remove(token); }

bool LoginService::still_valid(storage::Database& db, std::int64_t user_id, std::int64_t key_id,
                               std::size_t* ended) {
  const auto u = storage::user_store::find_by_id(db, user_id);
  std::size_t n = 0;
  if (!u || u->disabled_at) {
    n = sessions_.remove_user(user_id);
  } else if (u->key_id != key_id) {
    n = sessions_.remove_user(user_id, u->key_id);  // a login with the new key stays
  } else {
    return true;
  }
  if (ended != nullptr) *ended += n;
  return false;
}

std::shared_ptr<const Session> LoginService::resume(const std::string& token) {
  auto s = sessions_.find(token, clock_());
  if (!s) return nullptr;
  auto db = pool_.acquire();
  if (!still_valid(*db, s->user_id, s->key_id)) return nullptr;
  return s;
}

LoginService::SweepResult LoginService::sweep() {
  SweepResult r;
  r.expired = sessions_.sweep(clock_());
  const auto accounts = sessions_.accounts();
  if (!accounts.empty()) {
    auto db = pool_.acquire();
    for (const auto& [user_id, key_id] : accounts) {
      (void)still_valid(*db, user_id, key_id, &r.ended);
    }
  }
  r.live = sessions_.size();
  return r;
}

void LoginService::change_password(const Session& s, const std::string& current,
                                   const std::string& next, const AccountService& accounts) {
  const std::int64_t now = clock_();
  const std::string key = std::to_string(s.user_id);
  if (password_failures_.blocked(key, now)) {
    throw CaseError(ErrorCode::rate_limited, "too many failed attempts; try again later");
  }
  validate_password(next);
  const auto ended = [] {
    return CaseError(ErrorCode::unauthenticated, "the session has ended; please log in again");
  };
  std::optional<storage::UserRow> user;
  {
    auto db = pool_.acquire();
    user = storage::user_store::find_by_id(*db, s.user_id);
  }
  if (!user || user->disabled_at || user->key_id != s.key_id) throw ended();
  const auto wrong_current = [] {
    return CaseError(ErrorCode::invalid_credentials, "the current password is not right",
                     "current_password");
  };
  try {
    (void)crypto::unwrap_secret_key(AccountService::wrapped_of(*user), current,
                                    AccountService::wrap_context(user->username));
  } catch (const crypto::DecryptError&) {
    password_failures_.record(key, now);
    throw wrong_current();
  }
  const auto wrapped = accounts.rewrap(s.key.secret_key, user->username, next);
  writer_.run([&](storage::Database& db) {
    const auto latest = storage::user_store::find_by_id(db, s.user_id);
    if (!latest || latest->disabled_at || latest->key_id != s.key_id) throw ended();
    // Changed by another session meanwhile: `current` was checked against
    // a wrap that is no longer the account's.
    if (latest->wrapped_secret != user->wrapped_secret) throw wrong_current();
    accounts.store_password(db, *latest, wrapped, now);
  });
}

StepUp LoginService::step_up(const Session& s, const std::string& password, const std::string& totp,
                             const std::string& client, const std::string& action) {
  const std::int64_t now = clock_();
  // The same counters as the login form: failing here and there adds up.
  const auto key = pair_key(client, s.username);
  if (client_failures_.blocked(key, now)) {
    throw CaseError(ErrorCode::rate_limited,
                    "too many failed attempts for this account from here; try again in 15 minutes",
                    "step_up");
  }
  const auto refused = [&] {
    client_failures_.record(key, now);
    account_failures_.record(s.username, now);
    writer_.run([&](storage::Database& db) {
      audit_.append(db, {now, s.user_id, "auth.step_up_failed", std::nullopt, "for=" + action});
    });
    return CaseError(ErrorCode::step_up_failed,
                     "the password or the code is not right, or the code was already used; "
                     "wait for the next code",
                     "step_up");
  };
  std::optional<storage::UserRow> user;
  {
    auto db = pool_.acquire();
    user = storage::user_store::find_by_id(*db, s.user_id);
  }
  if (!user || user->disabled_at || user->key_id != s.key_id) {
    throw CaseError(ErrorCode::unauthenticated, "the session has ended; please log in again");
  }
  if (password.size() > 1024) throw refused();
  std::optional<crypto::KeyPair> key_pair;
  try {
    const auto secret = crypto::unwrap_secret_key(AccountService::wrapped_of(*user), password,
                                                  AccountService::wrap_context(user->username));
    key_pair = crypto::KeyPair::from_secret(secret);
  } catch (const crypto::DecryptError&) {
    throw refused();
  }
  if (key_pair->public_key != user->public_key) throw refused();
  std::optional<std::int64_t> counter;
  if (!user->totp_sealed.empty()) {
    try {
      counter = verify_totp(crypto::open_sealed_secret(user->totp_sealed, *key_pair), totp, now);
    } catch (const crypto::DecryptError&) {
    }
  }
  if (!counter || *counter <= user->totp_last_counter) throw refused();  // wrong, missing or replayed
  client_failures_.reset(key);
  return {user->id, *counter, action};
}

void LoginService::consume_step_up(storage::Database& db, const StepUp& proof, std::int64_t now) const {
  if (!storage::user_store::advance_totp_counter(db, proof.user_id, proof.counter)) {
    throw CaseError(ErrorCode::step_up_failed, "that code was already used; wait for the next code", "step_up");
  }
  audit_.append(db, {now, proof.user_id, "auth.step_up", std::nullopt, "for=" + proof.action});
}

}  // namespace krasip::cases
