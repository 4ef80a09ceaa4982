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

// Adds one envelope and its sealed keys to a case; kThisCaseReporter in its
// keys stands for `reporter_key` (for a new case, whose key id is fresh).
std::int64_t insert_envelope(Database& db, std::int64_t case_id, const EnvelopeRow& env,
                             std::int64_t at, std::int64_t reporter_key = kThisCaseReporter);

// Keeps case_counts in step: -1 before a change of status or category,
// +1 after it.
void adjust_count(Database& db, std::int64_t case_id, int delta);

CaseRow read_case(const Statement& st);

// The current (not retired) keys that open a case's complaint: the readers
// new envelopes of the case are sealed to. Includes the reporter's key
// (kind "reporter") and the recovery key.
// Exclusion removes a user's keys from the case, so it removes them here too.
std::vector<ReaderKeyRow> complaint_readers(Database& db, std::int64_t case_id);

std::optional<CaseRow> find_by_code_hash(Database& db, BlobView code_hash);
std::optional<CaseRow> find_by_id(Database& db, std::int64_t case_id);
std::optional<CaseRow> find_by_number(Database& db, const std::string& case_number);

std::optional<ReadableEnvelope> envelope_for(Database& db, std::int64_t case_id,
                                             const std::string& field, std::int64_t reader_key_id);

std::vector<EventRow> events(Database& db, std::int64_t case_id, bool reporter_visible_only);

std::vector<MessageRow> messages_for(Database& db, std::int64_t case_id,
                                     std::int64_t reader_key_id);

}  // namespace case_store
}  // namespace krasip::storage
