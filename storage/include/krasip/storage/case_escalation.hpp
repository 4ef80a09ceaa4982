#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "krasip/storage/records.hpp"

namespace krasip::storage {

class Database;

// What an escalation by the reporter changes in storage (issue 10, item
// 4): who holds keys to a case, and its channel. The re-sealing itself is
// done by the caller (cases::EscalationService); here only rows move.
// Writes run inside the writer's transaction.
namespace case_store {

// Investigator keys (reader_keys of kind 'investigator') holding a key to
// any envelope of the case: identity envelopes only (`identity` true), or
// every other envelope.
std::vector<std::int64_t> investigator_key_holders(Database& db, std::int64_t case_id, bool identity);

// Deletes `reader_key_id`'s keys to the case's identity envelopes
// (`identity` true) or to every other envelope of it.
void drop_reader_keys(Database& db, std::int64_t case_id, std::int64_t reader_key_id, bool identity);

// Moves the case to another channel; case_counts and channel_counts follow.
// `clear_assignee`: the assignee is not a reader in the new channel.
void set_channel(Database& db, std::int64_t case_id, std::int64_t channel_id, std::int64_t at,
                 bool clear_assignee);

// Whether the reporter, moving the case, kept their identity from the new
// channel (schema 8): grants then never give the identity envelope.
void set_identity_withheld(Database& db, std::int64_t case_id, bool withheld);
bool identity_withheld(Database& db, std::int64_t case_id);

}  // namespace case_store
}  // namespace krasip::storage
