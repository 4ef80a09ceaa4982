#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "krasip/cases/alerts/batch_schedule.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/agency_scope.hpp"
#include "krasip/crypto/secure_bytes.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// What an agency's administrators change from the console (issue 12): its
// names, the sites that may embed its pages and its SMTP server. Its place
// among the agencies (parent), opening and closing it stay the operator's
// (`krasipd agency edit`). One struct per form section, so a field added
// later (deadlines, categories, logo) is one member and one line here.
struct AgencySettingsView {
  std::string slug;
  std::string name_th;
  std::string name_en;
  std::vector<std::string> origins;
  // Its own service standards and categories (issue 11); nullopt: the
  // deployment's (days) or all of the catalog's (categories).
  std::optional<std::int64_t> ack_days;
  std::optional<std::int64_t> reply_days;
  std::optional<std::int64_t> outcome_days;
  std::optional<std::vector<std::string>> categories;
  bool has_logo = false;
  struct Mail {
    std::string smtp_url;
    std::string from;
    std::string username;
    bool require_tls = false;
    bool password_set = false;  // the password itself never leaves the server
  };
  std::optional<Mail> mail;
  // When its alerts go out (issue 21, item 2): its own, or those of the
  // agency above that sends its mail, or the defaults.
  BatchTimes mail_batch_times;
  // The agencies below it (issue 20): their channels' overseers approve
  // changes there, and may add their own staff to watch them.
  std::vector<storage::AgencyRow> agencies_below;
};

struct AgencyIdentityChanges {
  std::optional<std::string> name_th;
  std::optional<std::string> name_en;
  std::optional<std::vector<std::string>> origins;
  // Outer nullopt: unchanged; inner nullopt: back to the deployment's days,
  // all categories, or no logo.
  std::optional<std::optional<std::int64_t>> ack_days{};
  std::optional<std::optional<std::int64_t>> reply_days{};
  std::optional<std::optional<std::int64_t>> outcome_days{};
  std::optional<std::optional<std::vector<std::string>>> categories{};
  std::optional<std::optional<storage::Blob>> logo{};
};

struct MailSettingsChange {
  std::string smtp_url;
  std::string from;
  std::string username;
  crypto::SecureBytes password;  // empty: keep the stored one (same user name), else none
  bool clear_password = false;
  bool require_tls = false;
  std::optional<BatchTimes> batch_times;  // nullopt: unchanged
};

AgencySettingsView agency_settings(storage::Database& db, const ServerSecrets& secrets, AgencyScope agency);
// The checks edit_agency_mail makes before it writes, alone: a proposal is
// refused at once for what could never apply.
void check_mail_change(const MailSettingsChange& change);
// Each checks like the command line (CaseError naming the field), writes
// inside the caller's transaction and appends an audit entry naming the
// actor and what changed, never the password.
AgencySettingsView edit_agency_identity(storage::Database& db, const AuditLog& audit,
                                        const ServerSecrets& secrets, AgencyScope agency,
                                        const AgencyIdentityChanges& changes, std::int64_t now,
                                        std::int64_t actor);
AgencySettingsView edit_agency_mail(storage::Database& db, const AuditLog& audit,
                                    const ServerSecrets& secrets, AgencyScope agency,
                                    const MailSettingsChange& change, std::int64_t now, std::int64_t actor);

}  // namespace krasip::cases
