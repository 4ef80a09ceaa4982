#include "krasip/storage/change_log_store.hpp"

#include "krasip/storage/database.hpp"

namespace krasip::storage::change_log_store {

namespace {
constexpr const char* kColumns =
    "SELECT id, agency_id, seq, day, channel_id, proposal_id, event, readers_changed, entry, prev_hash, hash"
    " FROM change_log ";

ChangeLogRow read(const Statement& st) {
  return {st.get_int(0),  st.get_int(1),          st.get_int(2),          st.get_int(3),
          st.get_optional_int(4), st.get_optional_int(5), st.get_text(6), st.get_int(7) != 0,
          st.get_text(8), st.get_blob(9),         st.get_blob(10)};
}
}  // namespace

void append(Database& db, const ChangeLogRow& r) {
  auto st = db.cached(
      "INSERT INTO change_log (agency_id, seq, day, channel_id, proposal_id, event, readers_changed, entry,"
      " prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)");
  st->bind(1, r.agency_id).bind(2, r.seq).bind(3, r.day).bind(4, r.channel_id).bind(5, r.proposal_id);
  st->bind(6, r.event).bind(7, r.readers_changed ? 1 : 0).bind(8, r.entry).bind(9, r.prev_hash).bind(10, r.hash);
  st->run();
}

std::optional<ChangeLogRow> last(Database& db, std::int64_t agency_id) {
  static const std::string sql = std::string(kColumns) + "WHERE agency_id = ? ORDER BY seq DESC LIMIT 1";
  auto st = db.cached(sql.c_str());
  st->bind(1, agency_id);
  if (!st->step()) return std::nullopt;
  return read(*st);
}

std::vector<ChangeLogRow> all(Database& db, std::int64_t agency_id) {
  static const std::string sql = std::string(kColumns) + "WHERE agency_id = ? ORDER BY seq";
  auto st = db.cached(sql.c_str());
  st->bind(1, agency_id);
  std::vector<ChangeLogRow> out;
  while (st->step()) out.push_back(read(*st));
  return out;
}

std::vector<std::int64_t> reader_change_days(Database& db, std::int64_t channel_id, std::int64_t from_day) {
  auto st = db.cached(
      "SELECT DISTINCT day FROM change_log WHERE channel_id = ? AND readers_changed = 1 AND day >= ?"
      " ORDER BY day");
  st->bind(1, channel_id).bind(2, from_day);
  std::vector<std::int64_t> out;
  while (st->step()) out.push_back(st->get_int(0));
  return out;
}

}  // namespace krasip::storage::change_log_store
