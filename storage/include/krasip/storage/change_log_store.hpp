#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "krasip/storage/records.hpp"

namespace krasip::storage {

class Database;

// One entry of an agency's public change log (schema 18): what changed in
// who reads its channels, what they keep and where alerts go, as it is
// published. `entry` is the published JSON text itself; the chain's hash
// covers those bytes (the hashing is the case logic's). Append-only.
struct ChangeLogRow {
  std::int64_t id = 0;
  std::int64_t agency_id = 0;
  std::int64_t seq = 0;  // the agency's own number, from 1
  std::int64_t day = 0;  // 00:00 Bangkok of the day
  std::optional<std::int64_t> channel_id;
  std::optional<std::int64_t> proposal_id;
  std::string event;
  bool readers_changed = false;  // the channel's readers changed (shown on the status page)
  std::string entry;
  Blob prev_hash;
  Blob hash;
};

namespace change_log_store {

void append(Database& db, const ChangeLogRow& row);
std::optional<ChangeLogRow> last(Database& db, std::int64_t agency_id);
// Oldest first, every entry: for verification and publication.
std::vector<ChangeLogRow> all(Database& db, std::int64_t agency_id);
// The days on or after `from_day` when the channel's readers changed.
std::vector<std::int64_t> reader_change_days(Database& db, std::int64_t channel_id, std::int64_t from_day);

}  // namespace change_log_store
}  // namespace krasip::storage
