#pragma once
// Flood batches (schema 19, issue 22): the web complaints an agency
// received on one day while the service judged itself flooded. A batch
// row holds only what its cases hold already (agency, received day) and a
// random name; what a reader sees of it is counted over the cases they may
// read (triage_store::batch_summaries).
#include <cstdint>
#include <optional>

#include "krasip/storage/records.hpp"

namespace krasip::storage {

class Database;

namespace flood_batch_store {
// Puts the case in its agency's batch of `day` (made if none yet) and
// returns the batch's id. In the writer's transaction of the case.
std::int64_t add_case(Database& db, std::int64_t case_id, std::int64_t agency_id, std::int64_t day);
// True the first time for this reader and batch: the one alert it gets.
bool first_alert(Database& db, std::int64_t batch_id, std::int64_t user_id);
std::optional<std::int64_t> find_by_uid(Database& db, BlobView uid);
}  // namespace flood_batch_store

}  // namespace krasip::storage
