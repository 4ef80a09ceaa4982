#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "krasip/cases/alerts/batch_schedule.hpp"
#include "krasip/cases/common/server_secrets.hpp"
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
  // When the agency's alerts go out (issue 21, item 2); nullopt: unchanged
  // (the defaults if never set).
  std::optional<BatchTimes> batch_times;
};

// CaseError naming the field for a bad URL or address, a password without
// a user name, or a relay outside this machine reached without TLS (issue
// 20, item 8: smtp:// to another host needs require_tls, else smtps://).
void check_mail_settings(const MailSettingsSpec& spec);
// Whether two SMTP URLs name the same server (scheme, host and port): a
// stored password never follows a URL to another.
bool same_server(const std::string& a, const std::string& b);

// Checks as check_mail_settings.
void save_mail_settings(storage::Database& db, const ServerSecrets& secrets, std::int64_t agency_id,
                        const MailSettingsSpec& spec, std::int64_t now);
// The batch times of the settings that send an agency's mail: its own, or
// the nearest agency's above it that has settings (as the outbox sender
// picks the server), else the defaults.
BatchTimes batch_times_of(storage::Database& db, std::int64_t agency_id);
// The agency's settings, password decrypted; nullopt if none were set.
std::optional<mail::SmtpConfig> load_mail_settings(storage::Database& db, const ServerSecrets& secrets,
                                                   std::int64_t agency_id);

}  // namespace krasip::cases
