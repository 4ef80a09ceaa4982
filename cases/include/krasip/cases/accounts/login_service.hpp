#pragma once
#include <chrono>
#include <memory>
#include <string>

#include "krasip/cases/accounts/account_service.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/clock.hpp"
#include "krasip/cases/common/rate_limiter.hpp"
#include "krasip/cases/accounts/session_store.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/write_queue.hpp"

namespace krasip::cases {

// A checked step-up, not yet used up (LoginService::step_up).
struct StepUp {
  std::int64_t user_id = 0;
  std::int64_t counter = 0;
  std::string action;
};

struct LoginResult {
  std::string token;
  std::shared_ptr<const Session> session;
};

// How failed logins are held back. A stranger must not be able to lock a
// real investigator out, so failures refuse only per (account, client);
// per account they only slow the failing answers down.
struct LoginThrottle {
  // Failures per (account name, client) in the window; beyond, that client
  // gets rate_limited for that account (and no Argon2id work is spent).
  int client_failures = 5;
  // Failures per account name (from any client) in the window that are
  // answered at once; each one beyond adds `step` to the answer of the
  // next failure, up to `cap`. A correct login is never delayed.
  int account_failures = 5;
  std::chrono::milliseconds step{500};
  std::chrono::milliseconds cap{3000};
  std::int64_t window_seconds = 15 * 60;
};

// Password + TOTP login. Any wrong part gives the same invalid_credentials
// error after the same Argon2id work (an unknown username hashes a decoy),
// so neither the message nor the timing tells which part was wrong.
// Runs Argon2id: call it from a worker thread, never an I/O thread.
class LoginService {
 public:
  LoginService(storage::ReaderPool& pool, storage::WriteQueue& writer, SessionStore& sessions,
               const AuditLog& audit, Clock clock, crypto::PwhashLimits decoy_limits,
               LoginThrottle throttle = {});

  // `client` is the caller's rate-limit key (an address or IPv6 /64); it is
  // only hashed, in memory.
  LoginResult login(const std::string& username, const std::string& password,
                    const std::string& totp, const std::string& client);
  // How long to hold back the answer to a failed login for this account
  // name: zero until the account has had `account_failures` failures in
  // the window. The caller waits without holding a worker thread.
  std::chrono::milliseconds failure_delay(const std::string& username);
  void logout(const std::string& token);
  // The live session for a token, if its account is still enabled and still
  // has the key the session unlocked. `krasipd user disable` (another
  // process) only changes the row: the first request after it ends every
  // session of the account here, wiping the unwrapped keys. One indexed read.
  std::shared_ptr<const Session> resume(const std::string& token);
  struct SweepResult {
    std::size_t expired = 0;  // idle or past the absolute limit
    std::size_t ended = 0;    // account disabled or key replaced meanwhile
    std::size_t live = 0;
  };
  // Ends expired sessions and those of disabled accounts without waiting for
  // their tokens to come back (`serve` runs it every minute).
  SweepResult sweep();
  // Re-wraps the same key under a new password after checking the current
  // one; no access is lost. Other sessions of the account stay valid. Both
  // Argon2id runs happen on the calling (worker) thread; the writer only
  // stores the new wrap, after checking the account's key and wrap did not
  // change in between.
  void change_password(const Session& s, const std::string& current, const std::string& next,
                       const AccountService& accounts);
  // Re-authentication ("step-up") for one sensitive request of a signed-in
  // account: its current password and a TOTP code newer than any it used
  // (the login's replay protection: the code that opened the session, or
  // one an earlier step-up used, is refused). Per request; no elevated
  // state is kept. A wrong or replayed proof is step_up_failed, audited as
  // auth.step_up_failed and counted like a failed login from `client`
  // (rate_limited beyond). Runs Argon2id: a worker thread only. Writes
  // nothing on success: the code is used up by consume_step_up, inside the
  // action's own transaction, so an action refused for a bad field leaves
  // the code valid for the corrected try, and a committed one cannot be
  // repeated with it.
  StepUp step_up(const Session& s, const std::string& password, const std::string& totp,
                 const std::string& client, const std::string& action);
  // In the writer's transaction, before the action: marks the code used
  // (step_up_failed if a concurrent request used it first) and audits
  // auth.step_up with the action it was for.
  void consume_step_up(storage::Database& db, const StepUp& proof, std::int64_t now) const;

 private:
  // False (and the account's stale sessions ended) if `s` may no longer act.
  bool still_valid(storage::Database& db, std::int64_t user_id, std::int64_t key_id,
                   std::size_t* ended = nullptr);
  [[noreturn]] void fail(const std::string& username, const std::string& client,
                         std::optional<std::int64_t> user_id, std::int64_t now);
  storage::ReaderPool& pool_;
  storage::WriteQueue& writer_;
  SessionStore& sessions_;
  const AuditLog& audit_;
  Clock clock_;
  LoginThrottle throttle_;
  RateLimiter client_failures_;   // key: account name + client
  RateLimiter account_failures_;  // key: account name
  RateLimiter password_failures_; // change_password: key: user id
  crypto::WrappedKey decoy_;  // unwrapped (and failing) for unknown accounts
};

}  // namespace krasip::cases
