#include "krasip/storage/reporter_code.hpp"

#include <algorithm>

#include "krasip/storage/database.hpp"

namespace krasip::storage::case_store {

std::vector<ReporterSlot> reporter_slots(Database& db, std::int64_t case_id, std::int64_t reporter_key_id) {
  auto st = db.cached(
      "SELECT e.id, e.field, k.sealed_key FROM envelopes e"
      " JOIN envelope_keys k ON k.envelope_id = e.id AND k.reader_key_id = ?2"
      " WHERE e.case_id = ?1 ORDER BY e.id");
  st->bind(1, case_id).bind(2, reporter_key_id);
  std::vector<ReporterSlot> out;
  while (st->step()) out.push_back({st->get_int(0), st->get_text(1), st->get_blob(2)});
  return out;
}

void replace_reporter_slot(Database& db, std::int64_t envelope_id, std::int64_t reporter_key_id,
                           BlobView sealed_key) {
  auto st = db.cached("UPDATE envelope_keys SET sealed_key = ? WHERE envelope_id = ? AND reader_key_id = ?");
  st->bind(1, sealed_key).bind(2, envelope_id).bind(3, reporter_key_id);
  st->run();
}

void replace_reporter_code(Database& db, std::int64_t case_id, BlobView code_hash, BlobView salt,
                           std::int64_t reporter_key_id, BlobView public_key) {
  {
    auto st = db.cached("UPDATE cases SET code_hash = ?, reporter_salt = ? WHERE id = ?");
    st->bind(1, code_hash).bind(2, salt).bind(3, case_id);
    st->run();
  }
  auto st = db.cached("UPDATE reader_keys SET public_key = ? WHERE id = ? AND kind = 'reporter'");
  st->bind(1, public_key).bind(2, reporter_key_id);
  st->run();
}

bool reporter_salt_is(Database& db, std::int64_t case_id, BlobView salt) {
  auto st = db.cached("SELECT reporter_salt FROM cases WHERE id = ?");
  st->bind(1, case_id);
  if (!st->step()) return false;
  const auto stored = st->get_blob(0);
  return std::equal(stored.begin(), stored.end(), salt.begin(), salt.end());
}

}  // namespace krasip::storage::case_store
