#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "krasip/cases/accounts/account_service.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/agency_scope.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/storage/enrolment_store.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// A one-time link: `PUBLIC_URL/console/enrol.html#TOKEN` (in the fragment,
// so no web server logs it).
struct EnrolmentLink {
  std::string username;
  std::string token;  // 64 hex digits, shown once
  std::int64_t expires_at = 0;
};

inline constexpr std::int64_t kEnrolmentSeconds = 72 * 3600;

// Accounts whose owners set their own password and TOTP (issue 20, item 6):
// the administrator who creates or re-enrols an account gets a link to give
// its owner, never a password or a TOTP secret.
//
// The account exists from the start, with a key pair whose secret is
// wrapped under a password derived from the pepper and the link's token
// (which only its hash is stored of), and no TOTP secret: nobody can sign in
// as it until its owner opens the link, sees the TOTP secret (derived the
// same way, so nothing of it is stored either), chooses a password and
// proves the code. The key is then re-wrapped under that password, so cases
// sealed to the account meanwhile stay its own. A new link for the same
// account starts a new key (the old token, which the wrap needed, is not
// kept).
class EnrolmentService {
 public:
  EnrolmentService(const ServerSecrets& secrets, const AuditLog& audit, const AccountService& accounts)
      : secrets_(secrets), audit_(audit), accounts_(accounts) {}

  // A new account of the agency (user.invite), joining no channel.
  EnrolmentLink invite(storage::Database& db, AgencyScope agency, const NewAccount& account, std::int64_t now,
                       std::optional<std::int64_t> actor) const;
  // An existing account gets a new key and no TOTP: its sessions end, it
  // holds no key to earlier cases (they come back through grants), and it
  // signs in again only through the link (user.reset).
  EnrolmentLink reenrol(storage::Database& db, AgencyScope agency, const storage::UserRow& user, std::int64_t now,
                        std::optional<std::int64_t> actor) const;

  struct Opened {
    storage::EnrolmentRow enrolment;
    storage::UserRow user;
    std::string totp_uri;  // for the owner's authenticator app
  };
  // What the enrolment page shows; not_found for an unknown, used or expired link.
  Opened open(storage::Database& db, const std::string& token, std::int64_t now) const;
  // Runs Argon2id (the owner's password): outside the writer.
  storage::WrappedKeyRow wrap_for_owner(const Opened& opened, const std::string& token,
                                        const std::string& password) const;
  // Checks the TOTP code against the link's secret, stores the key wrapped
  // under the owner's password and the TOTP secret sealed to the account's
  // key, and uses the link up. invalid_field (field "totp") for a wrong code.
  void finish(storage::Database& db, const std::string& token, const storage::WrappedKeyRow& wrapped,
              const std::string& totp_code, std::int64_t now) const;

 private:
  std::string interim_password(const std::string& token) const;
  crypto::SecureBytes totp_secret(const std::string& token) const;
  storage::Blob token_hash(const std::string& token) const;
  EnrolmentLink record(storage::Database& db, const storage::UserRow& user, const std::string& token,
                       std::int64_t now, std::optional<std::int64_t> actor) const;

  const ServerSecrets& secrets_;
  const AuditLog& audit_;
  const AccountService& accounts_;
};

}  // namespace krasip::cases
