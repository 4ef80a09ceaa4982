#pragma once
#include <memory>
#include <string>

#include "krasip/cases/account_service.hpp"
#include "krasip/cases/audit_log.hpp"
#include "krasip/cases/intake_service.hpp"
#include "krasip/cases/rate_limiter.hpp"
#include "krasip/cases/session_store.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/write_queue.hpp"

namespace krasip::cases {

struct LoginResult {
  std::string token;
  std::shared_ptr<const Session> session;
};

// Password + TOTP login. Any wrong part gives the same invalid_credentials
// error after the same Argon2id work (an unknown username hashes a decoy),
// so neither the message nor the timing tells which part was wrong.
// Failures are limited per account name (5 per 15 minutes by default).
// Runs Argon2id: call it from a worker thread, never an I/O thread.
class LoginService {
 public:
  LoginService(storage::ReaderPool& pool, storage::WriteQueue& writer, SessionStore& sessions,
               const AuditLog& audit, Clock clock, crypto::PwhashLimits decoy_limits,
               int max_failures = 5, std::int64_t window_seconds = 15 * 60);

  LoginResult login(const std::string& username, const std::string& password,
                    const std::string& totp);
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
  // one; no access is lost. Other sessions of the account stay valid.
  void change_password(const Session& s, const std::string& current, const std::string& next,
                       const AccountService& accounts);

 private:
  // False (and the account's stale sessions ended) if `s` may no longer act.
  bool still_valid(storage::Database& db, std::int64_t user_id, std::int64_t key_id,
                   std::size_t* ended = nullptr);
  [[noreturn]] void fail(const std::string& username, std::optional<std::int64_t> user_id,
                         std::int64_t now);
  storage::ReaderPool& pool_;
  storage::WriteQueue& writer_;
  SessionStore& sessions_;
  const AuditLog& audit_;
  Clock clock_;
  RateLimiter failures_;
  crypto::WrappedKey decoy_;  // unwrapped (and failing) for unknown accounts
};

}  // namespace krasip::cases
