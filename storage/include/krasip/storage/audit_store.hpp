#pragma once
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "krasip/storage/records.hpp"

namespace krasip::storage {

class Database;

struct AuditRow {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::optional<std::int64_t> actor_user_id;
  std::string action;
  std::optional<std::int64_t> case_id;
  std::string detail;  // in clear: never names a person (see detail_envelope_id)
  // What an entry about a case says (who was named, the reason given) is
  // sealed to the case's readers in this envelope; the chain covers the
  // envelope's nonce and ciphertext.
  std::optional<std::int64_t> detail_envelope_id;
  Blob detail_nonce;
  Blob detail_ciphertext;
  Blob prev_hash;
  Blob hash;
  // Filled by list() only, for display.
  std::optional<std::string> actor_username;
  std::optional<std::string> case_number;
  std::optional<ReadableEnvelope> sealed_detail;  // when the viewer holds a key to it
};

// Who is looking at the audit log: entries about a case are listed only to
// those who can open it (a key to its complaint, not excluded).
struct AuditViewer {
  std::int64_t key_id = 0;
  std::int64_t user_id = 0;
  std::int64_t agency_id = 1;  // the whole log is one agency's chain (issue 11)
};

// Storage of the append-only audit chain; the hashing lives in the case
// logic. Triggers in the schema refuse UPDATE and DELETE.
namespace audit_store {
// Each agency has its own chain (schema 10): `last` and `for_each` read one
// agency's entries, oldest first; ids stay global and increasing.
std::int64_t append(Database& db, const AuditRow& row, std::int64_t agency_id);
std::optional<AuditRow> last(Database& db, std::int64_t agency_id);
std::int64_t next_id(Database& db);
void for_each(Database& db, std::int64_t agency_id, const std::function<bool(const AuditRow&)>& visit);
// Whose chain an entry joins: the case's agency, else the actor's, else
// `fallback` (an operator's command names its agency).
std::int64_t agency_of(Database& db, std::optional<std::int64_t> case_id,
                       std::optional<std::int64_t> actor_user_id, std::int64_t fallback);
// Newest first; entries about cases `viewer` cannot open are left out.
std::vector<AuditRow> list(Database& db, const AuditViewer& viewer,
                           std::optional<std::int64_t> case_id, std::int64_t limit,
                           std::int64_t offset);
}  // namespace audit_store

struct CountRow {
  int month = 0;
  std::string category;
  std::string status;
  std::int64_t n = 0;
};

namespace stats_store {
// Rows of case_counts for a fiscal year (B.E.).
// One agency's counts (schema 10 keys case_counts by agency).
std::vector<CountRow> counts(Database& db, std::int64_t agency_id, int fiscal_year);
// The same, for what one investigator may see (issue 10): the channels they
// receive (channel_counts, O(groups)), less the cases they are excluded
// from (O(their exclusions)).
std::vector<CountRow> counts_for_user(Database& db, int fiscal_year, std::int64_t user_id);
// Cases of a fiscal year by how they came (schema 16: web, counter, phone,
// letter, email): one agency's, and what one investigator may see.
std::vector<std::pair<std::string, std::int64_t>> source_counts(Database& db, std::int64_t agency_id,
                                                                int fiscal_year);
std::vector<std::pair<std::string, std::int64_t>> source_counts_for_user(Database& db, int fiscal_year,
                                                                         std::int64_t user_id);
}  // namespace stats_store

}  // namespace krasip::storage
