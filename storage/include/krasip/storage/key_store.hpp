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

void insert_agency(Database& db, const AgencyRow& agency, std::int64_t now);
std::optional<AgencyRow> load_agency(Database& db, std::int64_t agency_id = 1);
std::optional<AgencyRow> find_agency_by_slug(Database& db, const std::string& slug);
// Every agency, by id. A database not yet migrated to schema 10 (opened
// read-only by `audit verify`) has its one agency as id 1.
std::vector<AgencyRow> list_agencies(Database& db);

// A recovery key names its agency; other keys leave agency_id NULL.
std::int64_t insert_reader_key(Database& db, const std::string& kind, BlobView public_key,
                               std::int64_t now, std::optional<std::int64_t> agency_id = std::nullopt);

// The recovery key and every enabled investigator's key, with custodian flags.
std::vector<ReaderKeyRow> active_readers(Database& db);

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
