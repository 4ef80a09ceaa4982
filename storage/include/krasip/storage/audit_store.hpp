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
  std::int64_t id = 0;  // random since schema 21; what the API shows is seq
  // The agency's own count of its entries (schema 21): 1, 2, 3, ... in the
  // chain's order. Entries written since then have hash form 2, which covers it.
  std::int64_t seq = 0;
  int form = 1;
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
  // The case whose record the sealed detail is: case_id, or for an entry
  // listed with no case (case.purge, issue 21) the purged case's.
  std::optional<std::int64_t> detail_case_id;
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
// agency's entries in the chain's order (seq). Ids are random (schema 21):
// a deployment-wide counter would tell how much every other agency did
// between two entries, and where a reporter's row fell among them.
std::int64_t append(Database& db, const AuditRow& row, std::int64_t agency_id);
std::optional<AuditRow> last(Database& db, std::int64_t agency_id);
std::int64_t fresh_id(Database& db);
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
  std::string source{};  // counts_for_user only
};

namespace stats_store {
// Rows of case_counts for a fiscal year (B.E.).
// One agency's counts (schema 10 keys case_counts by agency).
std::vector<CountRow> counts(Database& db, std::int64_t agency_id, int fiscal_year);
// The same, for what one investigator may see (issues 10 and 20): cases of
// the channels they receive whose complaint their current key opens, less
// those they are excluded from; by month, category, status and source.
// Case by case (O(cases of the year in those channels)), each read from
// indexes alone (cases_channel_year, the envelopes' (case_id, field) key,
// envelope_keys' and case_exclusions' primary keys).
std::vector<CountRow> counts_for_user(Database& db, int fiscal_year, std::int64_t user_id);
namespace sql {
// Named so a test can check its query plan: the cases, their complaint
// envelopes, keys and exclusions are each sought in a covering index (or a
// primary key), never scanned, and no case row is read. ?1 the fiscal
// year, ?2 the account, ?3 its current key.
inline constexpr const char* kCountsForUser =
    "SELECT CAST(strftime('%m', c.received_at + 25200, 'unixepoch') AS INTEGER), c.category, c.status,"
    " c.source, COUNT(*)"
    " FROM channel_members m"
    " JOIN cases c INDEXED BY cases_channel_year ON c.channel_id = m.channel_id AND c.fiscal_year = ?1"
    " WHERE m.user_id = ?2 AND m.role = 'recipient'"
    "  AND EXISTS (SELECT 1 FROM envelopes e JOIN envelope_keys k"
    "   ON k.envelope_id = e.id AND k.reader_key_id = ?3"
    "   WHERE e.case_id = c.id AND e.field = 'complaint')"
    "  AND NOT EXISTS (SELECT 1 FROM case_exclusions x WHERE x.case_id = c.id AND x.user_id = ?2)"
    " GROUP BY 1, 2, 3, 4";
}  // namespace sql
// One agency's cases of a fiscal year by how they came (schema 16: web,
// counter, phone, letter, email).
std::vector<std::pair<std::string, std::int64_t>> source_counts(Database& db, std::int64_t agency_id,
                                                                int fiscal_year);
}  // namespace stats_store

}  // namespace krasip::storage
