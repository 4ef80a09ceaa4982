#include "krasip/storage/flood_batch_store.hpp"

#include "krasip/storage/database.hpp"

namespace krasip::storage::flood_batch_store {

std::int64_t add_case(Database& db, std::int64_t case_id, std::int64_t agency_id, std::int64_t day) {
  {
    // The name only links the console to the batch; not a secret.
    auto st = db.cached(
        "INSERT INTO flood_batches (uid, agency_id, day) VALUES (randomblob(16), ?1, ?2)"
        " ON CONFLICT (agency_id, day) DO NOTHING");
    st->bind(1, agency_id).bind(2, day);
    st->run();
  }
  std::int64_t batch = 0;
  {
    auto st = db.cached("SELECT id FROM flood_batches WHERE agency_id = ?1 AND day = ?2");
    st->bind(1, agency_id).bind(2, day);
    st->step();
    batch = st->get_int(0);
  }
  auto st = db.cached("UPDATE cases SET flood_batch_id = ?1 WHERE id = ?2");
  st->bind(1, batch).bind(2, case_id);
  st->run();
  return batch;
}

bool first_alert(Database& db, std::int64_t batch_id, std::int64_t user_id) {
  auto st = db.cached("INSERT OR IGNORE INTO flood_batch_alerts (batch_id, user_id) VALUES (?1, ?2)");
  st->bind(1, batch_id).bind(2, user_id);
  st->run();
  return db.changes() == 1;
}

std::optional<std::int64_t> find_by_uid(Database& db, BlobView uid) {
  auto st = db.cached("SELECT id FROM flood_batches WHERE uid = ?1");
  st->bind(1, uid);
  if (!st->step()) return std::nullopt;
  return st->get_int(0);
}

}  // namespace krasip::storage::flood_batch_store
