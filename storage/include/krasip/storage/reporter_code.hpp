#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "krasip/storage/records.hpp"

namespace krasip::storage {

class Database;

// What replacing a tracking code changes in storage (issue 20, item 7): the
// reporter's slot in every envelope of the case, the code's hash, the
// case's salt and the reporter's public key. The re-wrapping is done by the
// caller (cases::CodeReplacement). Writes inside the writer's transaction.
namespace case_store {

struct ReporterSlot {
  std::int64_t envelope_id = 0;
  std::string field;
  Blob sealed_key;  // a key wrap or a sealed box (ReporterKeys::open_data_key)
};

// Every envelope of the case the reporter key holds a slot in.
std::vector<ReporterSlot> reporter_slots(Database& db, std::int64_t case_id, std::int64_t reporter_key_id);
void replace_reporter_slot(Database& db, std::int64_t envelope_id, std::int64_t reporter_key_id,
                           BlobView sealed_key);
// The new code's hash and salt, and the key pair's public half in the
// case's reporter key row (same id: the slots stay where they are).
void replace_reporter_code(Database& db, std::int64_t case_id, BlobView code_hash, BlobView salt,
                           std::int64_t reporter_key_id, BlobView public_key);
// Whether the case's salt is still `salt`: a record sealed for the reporter
// outside the writer (a message, a file) checks it before it is stored, so
// that a slot made under a replaced code is never written.
bool reporter_salt_is(Database& db, std::int64_t case_id, BlobView salt);

}  // namespace case_store
}  // namespace krasip::storage
