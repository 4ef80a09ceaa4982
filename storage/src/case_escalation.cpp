#include "krasip/storage/case_escalation.hpp"

#include "krasip/storage/case_store.hpp"
#include "krasip/storage/database.hpp"

namespace krasip::storage::case_store {

std::vector<std::int64_t> investigator_key_holders(Database& db, std::int64_t case_id, bool identity) {
  auto st = db.cached(
      "SELECT DISTINCT k.reader_key_id FROM envelopes e"
      " JOIN envelope_keys k ON k.envelope_id = e.id"
      " JOIN reader_keys r ON r.id = k.reader_key_id AND r.kind = 'investigator'"
      " WHERE e.case_id = ?1 AND (e.field = 'identity') = (?2 = 1) ORDER BY 1");
  st->bind(1, case_id).bind(2, identity ? 1 : 0);
  std::vector<std::int64_t> out;
  while (st->step()) out.push_back(st->get_int(0));
  return out;
}

void drop_reader_keys(Database& db, std::int64_t case_id, std::int64_t reader_key_id, bool identity) {
  auto st = db.cached(
      "DELETE FROM envelope_keys WHERE reader_key_id = ?1 AND envelope_id IN"
      " (SELECT id FROM envelopes WHERE case_id = ?2 AND (field = 'identity') = (?3 = 1))");
  st->bind(1, reader_key_id).bind(2, case_id).bind(3, identity ? 1 : 0);
  st->run();
}

void set_channel(Database& db, std::int64_t case_id, std::int64_t channel_id, std::int64_t at,
                 bool clear_assignee) {
  // -1 then +1: case_counts end where they were, channel_counts move.
  adjust_count(db, case_id, -1);
  auto st = db.cached(
      "UPDATE cases SET channel_id = ?1, updated_at = MAX(updated_at, ?2),"
      " assignee_id = CASE WHEN ?4 = 1 THEN NULL ELSE assignee_id END WHERE id = ?3");
  st->bind(1, channel_id).bind(2, at).bind(3, case_id).bind(4, clear_assignee ? 1 : 0);
  st->run();
  adjust_count(db, case_id, +1);
}

void set_identity_withheld(Database& db, std::int64_t case_id, bool withheld) {
  auto st = db.cached("UPDATE cases SET identity_withheld = ? WHERE id = ?");
  st->bind(1, withheld ? 1 : 0).bind(2, case_id);
  st->run();
}

bool identity_withheld(Database& db, std::int64_t case_id) {
  auto st = db.cached("SELECT identity_withheld FROM cases WHERE id = ?");
  st->bind(1, case_id);
  return st->step() && st->get_int(0) != 0;
}

}  // namespace krasip::storage::case_store
