#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "krasip/storage/records.hpp"

namespace krasip::storage {

class Database;

// A reporter's move out of an oversight channel, waiting for a recipient
// of that channel (schema 20; docs/security.md, "The reporter can
// escalate"). state: pending, confirmed, declined, lapsed. A pending row
// past expires_at is lapsed in effect; it is marked so by the next write
// that meets it.
struct EscalationRequestRow {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::int64_t from_channel_id = 0;
  std::int64_t to_channel_id = 0;
  bool move_identity = false;
  std::string identity;  // what becomes of the identity if confirmed (identity_move_name)
  std::int64_t detail_envelope_id = 0;
  std::int64_t requested_at = 0;  // the Bangkok day, a reporter-side time
  std::int64_t expires_at = 0;
  std::string state = "pending";
  std::optional<std::int64_t> decided_by{};
  std::string decided_by_username{};
  std::optional<std::int64_t> decided_at{};
  // The detail (channels, reason), when the reader asked about holds a key to it.
  std::optional<ReadableEnvelope> sealed_detail{};
};

// A new reader's key to one envelope of the case, sealed at the request
// and kept until the move is confirmed.
struct PlanKeyRow {
  std::int64_t envelope_id = 0;
  std::string field;  // the envelope's: "identity" keys go to custodians only
  std::int64_t reader_key_id = 0;
  std::int64_t user_id = 0;
  Blob sealed_key;
};

// Writes inside the writer's transaction.
namespace escalation_store {

std::int64_t insert_request(Database& db, const EscalationRequestRow& r);
void add_plan_key(Database& db, std::int64_t request_id, std::int64_t envelope_id, std::int64_t reader_key_id,
                  std::int64_t user_id, BlobView sealed_key);
// The case's request in state 'pending', expired or not.
std::optional<EscalationRequestRow> pending(Database& db, std::int64_t case_id);
// Every request of the case, oldest first, each with its detail as
// `reader_key_id` holds it (if it does).
std::vector<EscalationRequestRow> requests(Database& db, std::int64_t case_id, std::int64_t reader_key_id);
std::vector<PlanKeyRow> plan_keys(Database& db, std::int64_t request_id);
// Ends a pending request (confirmed, declined, lapsed) and deletes its plan.
void decide(Database& db, std::int64_t request_id, const std::string& state,
            std::optional<std::int64_t> decided_by, std::int64_t at);

// The account that recorded the complaint for a citizen (the case.record
// audit entry's actor), if it was recorded so: it may have kept the code.
std::optional<std::int64_t> recorded_by(Database& db, std::int64_t case_id);

}  // namespace escalation_store
}  // namespace krasip::storage
