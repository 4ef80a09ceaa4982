#pragma once
#include <optional>
#include <string>

#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/crypto/key_pair.hpp"
#include "krasip/crypto/password_wrap.hpp"
#include "krasip/storage/user_store.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

struct NewAccount {
  std::string username;
  std::string display_name;
  bool custodian = false;
  bool admin = false;
  std::optional<std::string> password;  // generated when absent
};

struct AccountSecrets {
  std::int64_t user_id = 0;
  std::optional<std::string> generated_password;  // shown once
  std::string totp_uri;                           // shown once
};

inline constexpr std::size_t kMinPasswordLength = 12;

// Investigator accounts: a fresh X25519 key pair each, its secret wrapped
// under Argon2id of the password with "krasip/user/<username>" as
// associated data; the TOTP secret sealed to the account's own public key,
// so it is readable only once the password has unwrapped the key.
// Every method runs inside the caller's write transaction.
class AccountService {
 public:
  AccountService(const AuditLog& audit, crypto::PwhashLimits limits)
      : audit_(audit), limits_(limits) {}

  // Each names the agency it acts in (issue 11): an account is added to it,
  // and another agency's account is "no such user".
  AccountSecrets add(storage::Database& db, AgencyScope agency, const NewAccount& account,
                     std::int64_t now, std::optional<std::int64_t> actor = std::nullopt) const;
  void disable(storage::Database& db, AgencyScope agency, const std::string& username,
               std::int64_t now, std::optional<std::int64_t> actor = std::nullopt) const;
  // Enabled again (issue 20): keys it still holds work again; those deleted
  // after the grace period come back only through grants.
  void enable(storage::Database& db, AgencyScope agency, const std::string& username, std::int64_t now,
              std::optional<std::int64_t> actor = std::nullopt) const;
  // An account whose owner will choose the password (EnrolmentService): its
  // key wrapped under `interim_password` (interactive limits: the interim
  // secret is random, not guessable), no TOTP, no channel.
  storage::UserRow add_pending(storage::Database& db, AgencyScope agency, const NewAccount& account,
                               const std::string& interim_password, std::int64_t now,
                               std::optional<std::int64_t> actor) const;
  // Re-enrolment: a new key wrapped the same way, no TOTP (sessions with
  // the old key end; the old key is retired with its cases).
  storage::UserRow replace_key_pending(storage::Database& db, AgencyScope agency, const storage::UserRow& user,
                                       const std::string& interim_password, std::int64_t now,
                                       std::optional<std::int64_t> actor) const;
  // The account's roles (issue 12). Taking the custodian role from an
  // account that is still a custodian of one of the agency's channels is
  // refused (field "custodian"): the channel would name a custodian who may
  // not see identities. The caller decides who may do it (the console asks
  // for a step-up before giving either role).
  storage::UserRow set_roles(storage::Database& db, AgencyScope agency, const std::string& username,
                             bool custodian, bool admin, std::int64_t now,
                             std::optional<std::int64_t> actor = std::nullopt) const;
  // Forgotten password: a new key pair, password and TOTP secret. The old
  // key is retired; cases come back through a grant from a colleague with
  // access or from the recovery key (`krasipd recovery grant`).
  AccountSecrets reset(storage::Database& db, AgencyScope agency, const std::string& username,
                       const std::optional<std::string>& password, std::int64_t now,
                       std::optional<std::int64_t> actor = std::nullopt) const;
  // Known password: the same key re-wrapped; no access is lost. In two
  // steps so that the Argon2id work (rewrap) runs outside the write
  // transaction and the writer only stores the result (store_password).
  storage::WrappedKeyRow rewrap(const crypto::SecureBytes& secret_key, const std::string& username,
                                const std::string& new_password) const;
  void store_password(storage::Database& db, const storage::UserRow& user,
                      const storage::WrappedKeyRow& wrapped, std::int64_t now) const;

  static std::string wrap_context(const std::string& username);
  static crypto::WrappedKey wrapped_of(const storage::UserRow& user);

 private:
  storage::WrappedKeyRow wrap(const crypto::SecureBytes& secret, const std::string& username,
                              const std::string& password) const;
  const AuditLog& audit_;
  crypto::PwhashLimits limits_;
};

// A random password of 20 characters from an unambiguous alphabet.
std::string generate_password();

void validate_username(const std::string& username);
void validate_password(const std::string& password);

}  // namespace krasip::cases
