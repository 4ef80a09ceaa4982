#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "krasip/cases/common/agency_scope.hpp"
#include "krasip/crypto/key_pair.hpp"

namespace krasip::cases {

// A logged-in investigator. The unwrapped secret key lives here, in
// sodium_malloc'd memory, and nowhere else; it is wiped when the session
// ends (logout, idle or absolute expiry, shutdown).
struct Session {
  std::int64_t user_id = 0;
  std::string username;
  std::string display_name;
  bool is_custodian = false;
  bool is_admin = false;
  std::int64_t key_id = 0;
  crypto::KeyPair key;
  std::string csrf_token;
  std::int64_t created_at = 0;
  std::int64_t last_seen = 0;
  // The account's agency (issue 11): every case-logic call made for this
  // session acts for it, and sees other agencies' cases only through
  // channels of agencies below it that name this account.
  std::int64_t agency_id = 1;
  AgencyScope agency() const { return AgencyScope(agency_id); }
};

// `krasipd serve --session-idle-seconds / --session-max-seconds`.
struct SessionLimits {
  std::int64_t idle_seconds = 30 * 60;
  std::int64_t absolute_seconds = 10 * 60 * 60;
};

// In memory only: a restart forgets every session and every unwrapped key.
// Tokens are looked up by their BLAKE2b hash, so no secret is ever compared
// with ==; the CSRF token is compared in constant time.
class SessionStore {
 public:
  explicit SessionStore(SessionLimits limits = {}) : limits_(limits) {}

  // Returns the new session token (for the cookie).
  std::string create(Session session, std::int64_t now);
  // The live session for a token, refreshed; nullptr if unknown or expired.
  std::shared_ptr<const Session> find(const std::string& token, std::int64_t now);
  bool check_csrf(const Session& s, const std::string& presented) const;
  void remove(const std::string& token);
  // Ends the sessions of a user (disabled account), or only those unlocked
  // with another key than `current_key_id` (the key was replaced). Returns
  // how many ended.
  std::size_t remove_user(std::int64_t user_id, std::int64_t current_key_id = -1);
  // Ends every expired session, whether or not its token comes back.
  std::size_t sweep(std::int64_t now);
  std::size_t size();
  // The distinct (user id, key id) pairs of live sessions, to check against
  // the accounts table.
  std::vector<std::pair<std::int64_t, std::int64_t>> accounts();

 private:
  struct Entry {
    std::shared_ptr<Session> session;
  };
  static std::string key_of(const std::string& token);
  SessionLimits limits_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> sessions_;
};

}  // namespace krasip::cases
