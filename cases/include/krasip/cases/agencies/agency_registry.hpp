#pragma once
#include <optional>
#include <string>
#include <vector>

#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/crypto/password_wrap.hpp"
#include "krasip/storage/records.hpp"

namespace krasip::storage {
class Database;
}

namespace krasip::cases {

// The agencies of a deployment (issue 11). The operator adds and edits
// them from the command line; no web account can, and operating the
// deployment gives no key to any case.

// The agency a reporter's page or request names, open for complaints.
// Without a slug: the deployment's only open agency (one-agency
// deployments keep their URLs). Unknown or disabled: unknown_agency (404).
storage::AgencyRow intake_agency(storage::Database &db,
                                 const std::optional<std::string> &slug);

struct NewAgency {
  std::string slug; // [a-z0-9-]{2,40}
  std::string name_th;
  std::string name_en;
  std::string case_prefix; // [A-Z]{1,6}, unique in the deployment
  std::optional<std::string> parent_slug;
  std::vector<std::string> origins;          // https://host[:port], no path
  std::optional<std::string> admin_username; // default <slug>-admin
  std::optional<std::string> admin_name;
  // Its own service standards and categories (agency_policy.hpp); unset:
  // the deployment's. The logo: file bytes, checked by checked_logo.
  std::optional<std::int64_t> ack_days{};
  std::optional<std::int64_t> reply_days{};
  std::optional<std::int64_t> outcome_days{};
  std::optional<std::vector<std::string>> categories{};
  std::optional<storage::Blob> logo{};
};

struct NewAgencyResult {
  std::int64_t agency_id = 0;
  std::string recovery_key; // printable; shown once, never stored
  std::string admin_username;
  std::string admin_password; // generated; shown once
  std::string admin_totp_uri; // shown once
};

// One transaction: the agency, its recovery key, its first administrator
// (custodian too, as `init` makes it) and its `default` channel with that
// administrator as recipient and custodian.
NewAgencyResult add_agency(storage::Database &db, const AuditLog &audit,
                           const NewAgency &spec, std::int64_t now,
                           crypto::PwhashLimits limits);

struct AgencyChanges {
  std::optional<std::string> name_th;
  std::optional<std::string> name_en;
  std::optional<std::optional<std::string>>
      parent_slug; // nullopt inside: no parent
  std::optional<std::vector<std::string>> origins;
  std::optional<bool> disabled;
  // Outer nullopt: unchanged; inner nullopt: back to the deployment's
  // (days, categories) or no logo.
  std::optional<std::optional<std::int64_t>> ack_days{};
  std::optional<std::optional<std::int64_t>> reply_days{};
  std::optional<std::optional<std::int64_t>> outcome_days{};
  std::optional<std::optional<std::vector<std::string>>> categories{};
  std::optional<std::optional<storage::Blob>> logo{};
};
// `actor`: the administrator who made the change in the console (issue
// 12); none for the operator's command line.
storage::AgencyRow edit_agency(storage::Database &db, const AuditLog &audit,
                               const std::string &slug,
                               const AgencyChanges &changes, std::int64_t now,
                               std::optional<std::int64_t> actor = std::nullopt);

// Checks and normalises origins: https://host[:port] (http only for
// localhost, for tests and demos); throws CaseError on anything else.
std::vector<std::string>
checked_origins(const std::vector<std::string> &origins);

// The origins that may frame an agency's embedded pages (frame-ancestors):
// its own; in a one-agency deployment, also `deployment_origins` (`serve
// --frame-ancestor`, as before issue 11). nullopt: no open agency by that
// slug (or none named where several exist), so no site may frame the page.
std::optional<std::vector<std::string>>
embedding_origins(storage::Database &db, const std::optional<std::string> &slug,
                  const std::vector<std::string> &deployment_origins);
std::vector<std::string> origins_of(const storage::AgencyRow &agency);

} // namespace krasip::cases
