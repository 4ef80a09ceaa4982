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
std::optional<AgencyRow> load_agency(Database& db);

std::int64_t insert_reader_key(Database& db, const std::string& kind, BlobView public_key,
                               std::int64_t now);

// The recovery key and every enabled investigator's key, with custodian flags.
std::vector<ReaderKeyRow> active_readers(Database& db);

std::int64_t insert_user(Database& db, const NewUser& user);

// Changes whenever the set of active readers or their roles changes.
std::vector<std::int64_t> readers_stamp(Database& db);

}  // namespace key_store
}  // namespace krasip::storage
