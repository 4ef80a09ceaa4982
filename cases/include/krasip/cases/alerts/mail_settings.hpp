#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "krasip/cases/agencies/server_secrets.hpp"
#include "krasip/mail/smtp_client.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// An agency's SMTP server (krasipd mail set). The password is kept
// encrypted under a key derived from the server pepper, which is not in the
// database: a copy of the database (or a backup) does not give it out.
struct MailSettingsSpec {
  std::string smtp_url;
  std::string from;
  std::string username;
  crypto::SecureBytes password;
  bool require_tls = false;
};

// Throws CaseError (invalid_input) for a bad URL or address.
void save_mail_settings(storage::Database& db, const ServerSecrets& secrets, std::int64_t agency_id,
                        const MailSettingsSpec& spec, std::int64_t now);
// The agency's settings, password decrypted; nullopt if none were set.
std::optional<mail::SmtpConfig> load_mail_settings(storage::Database& db, const ServerSecrets& secrets,
                                                   std::int64_t agency_id);

}  // namespace krasip::cases
