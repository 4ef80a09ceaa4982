#pragma once
#include <optional>
#include <string>
#include <vector>

#include "krasip/storage/records.hpp"

namespace krasip::storage {

class Database;

// The agency, the public keys envelopes are sealed to, and the accounts
// that own them.
namespace key_store {

// With agency.id 1 (init), names the placeholder row; with id 0, adds a
// new agency (issue 11). Returns its id.
std::int64_t insert_agency(Database& db, const AgencyRow& agency, std::int64_t now);
// Names, parent, origins and disabled_at of an existing agency.
void update_agency(Database& db, const AgencyRow& agency);
// An agency's logo (issue 11): PNG or JPEG bytes, checked by the caller.
struct AgencyLogo {
  Blob bytes;
  std::string type;  // image/png or image/jpeg
};
void set_agency_logo(Database& db, std::int64_t agency_id, const std::optional<AgencyLogo>& logo);
// Of an open agency only: a disabled agency's pages show nothing.
std::optional<AgencyLogo> agency_logo(Database& db, const std::string& slug);
std::optional<AgencyRow> load_agency(Database& db, std::int64_t agency_id = 1);
// The parent chain of an agency, nearest first (not the agency itself).
std::vector<std::int64_t> ancestors(Database& db, std::int64_t agency_id);
// Every agency below it, nearest first.
std::vector<std::int64_t> descendants(Database& db, std::int64_t agency_id);
// Deletes the case keys of accounts disabled before `disabled_before` (the
// grace period of issue 20 is over; enabling them gives them nothing back).
void drop_keys_of_disabled(Database& db, std::int64_t disabled_before, std::int64_t* deleted = nullptr);
// The agency's current recovery key (id, public key).
std::optional<ReaderKeyRow> recovery_key(Database& db, std::int64_t agency_id);
std::optional<AgencyRow> find_agency_by_slug(Database& db, const std::string& slug);
// Every agency, by id. A database not yet migrated to schema 10 (opened
// read-only by `audit verify`) has its one agency as id 1.
std::vector<AgencyRow> list_agencies(Database& db);

// A recovery key names its agency; other keys leave agency_id NULL.
std::int64_t insert_reader_key(Database& db, const std::string& kind, BlobView public_key,
                               std::int64_t now, std::optional<std::int64_t> agency_id = std::nullopt);

// The recovery key and every enabled investigator's key, with custodian flags.
std::vector<ReaderKeyRow> active_readers(Database& db);
// The same for one agency: its recovery key and its enabled accounts' keys.
std::vector<ReaderKeyRow> active_readers(Database& db, std::int64_t agency_id);

namespace sql {
// Named so a test can check its query plan: it must seek by kind, never
// scan the reporter keys (one per case).
inline constexpr const char* kActiveReaders =
    "SELECT k.id, k.kind, k.public_key, u.id, COALESCE(u.is_custodian, 0)"
    " FROM reader_keys k LEFT JOIN users u ON u.key_id = k.id"
    " WHERE k.kind IN ('recovery', 'investigator') AND k.retired_at IS NULL"
    "   AND (k.kind = 'recovery' OR (u.id IS NOT NULL AND u.disabled_at IS NULL))"
    " ORDER BY k.id";
}  // namespace sql

std::int64_t insert_user(Database& db, const NewUser& user);

// Changes whenever the set of active readers or their roles changes: a
// version number kept by triggers (migration 4), so reading it costs O(1)
// however many cases (and so reporter keys) there are.
std::int64_t readers_version(Database& db);

}  // namespace key_store
}  // namespace krasip::storage
