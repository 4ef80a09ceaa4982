#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "krasip/storage/records.hpp"

namespace krasip::storage {

class Database;

// A reader who left a role in a channel (schema 18). Their keys to its
// cases are not deleted at once: they are moved out of envelope_keys (so
// nothing can use them) into suspended_keys, for the grace period during
// which the channel's approvers may restore them; then deleted.
struct DepartureRow {
  std::int64_t id = 0;
  std::int64_t channel_id = 0;
  std::int64_t agency_id = 0;  // the channel's
  std::string agency_slug;
  std::string channel_slug;
  std::int64_t user_id = 0;
  std::string username;
  std::string role;  // recipient, custodian
  std::int64_t left_at = 0;
  std::optional<std::int64_t> proposal_id;
  std::string state;  // suspended, restored, expired
  std::int64_t keys = 0;
};

namespace departure_store {

// Suspends what the role gave `key_id` in the channel's cases: every
// envelope (recipient) or the identity envelopes only (custodian). Leaving
// as a recipient also revokes an approved identity request (a key to an
// identity). Returns the departure's id.
std::int64_t suspend(Database& db, std::int64_t channel_id, std::int64_t user_id, std::int64_t key_id,
                     const std::string& role, std::int64_t at, std::optional<std::int64_t> proposal_id);
// Puts the keys back (identity envelopes' keys only with `with_identity`;
// the others of them are deleted) and marks it restored. Returns the keys
// restored.
std::int64_t restore(Database& db, std::int64_t departure_id, bool with_identity, std::int64_t at);
std::optional<DepartureRow> find(Database& db, std::int64_t departure_id);
// Still suspended, of an agency's channels, newest first.
std::vector<DepartureRow> suspended(Database& db, std::int64_t agency_id);
// Deletes the keys of departures older than `before` and marks them
// expired; returns how many departures.
std::int64_t expire(Database& db, std::int64_t before);
// A case that leaves the channel (escalation) or is purged takes no
// suspended key along.
void drop_case(Database& db, std::int64_t case_id);

}  // namespace departure_store
}  // namespace krasip::storage
