#pragma once
#include <optional>
#include <string>
#include <vector>

#include "krasip/storage/records.hpp"

namespace krasip::storage {

class Database;

// Case rows, their encrypted envelopes and timelines. Call inside a
// transaction for writes (the WriteQueue provides one).
namespace case_store {

// Inserts the case, its reporter key, envelopes and the "received" event;
// numbers it within its fiscal year. Returns the case number.
std::string insert_case(Database& db, const NewCase& c);

std::optional<CaseRow> find_by_code_hash(Database& db, BlobView code_hash);
std::optional<CaseRow> find_by_number(Database& db, const std::string& case_number);

std::optional<ReadableEnvelope> envelope_for(Database& db, std::int64_t case_id,
                                             const std::string& field, std::int64_t reader_key_id);

std::vector<EventRow> events(Database& db, std::int64_t case_id, bool reporter_visible_only);

std::vector<MessageRow> messages_for(Database& db, std::int64_t case_id,
                                     std::int64_t reader_key_id);

}  // namespace case_store
}  // namespace krasip::storage
