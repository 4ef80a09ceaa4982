#include "krasip/storage/departure_store.hpp"

#include "krasip/storage/database.hpp"

namespace krasip::storage::departure_store {

namespace {
constexpr const char* kColumns =
    "SELECT d.id, d.channel_id, c.agency_id, a.slug, c.slug, d.user_id, u.username, d.role, d.left_at,"
    " d.proposal_id, d.state, (SELECT COUNT(*) FROM suspended_keys s WHERE s.departure_id = d.id)"
    " FROM channel_departures d JOIN channels c ON c.id = d.channel_id JOIN agencies a ON a.id = c.agency_id"
    " JOIN users u ON u.id = d.user_id ";

DepartureRow read(const Statement& st) {
  return {st.get_int(0),  st.get_int(1),  st.get_int(2),  st.get_text(3),          st.get_text(4),
          st.get_int(5),  st.get_text(6), st.get_text(7), st.get_int(8),           st.get_optional_int(9),
          st.get_text(10), st.get_int(11)};
}
}  // namespace

std::int64_t suspend(Database& db, std::int64_t channel_id, std::int64_t user_id, std::int64_t key_id,
                     const std::string& role, std::int64_t at, std::optional<std::int64_t> proposal_id) {
  {
    auto st = db.cached(
        "INSERT INTO channel_departures (channel_id, user_id, role, left_at, proposal_id) VALUES (?,?,?,?,?)");
    st->bind(1, channel_id).bind(2, user_id).bind(3, role).bind(4, at).bind(5, proposal_id);
    st->run();
  }
  const std::int64_t id = db.last_insert_rowid();
  static constexpr const char* kWhich =
      " WHERE reader_key_id = ?2 AND envelope_id IN"
      " (SELECT e.id FROM cases c JOIN envelopes e ON e.case_id = c.id"
      "  WHERE c.channel_id = ?3 AND (?4 = 'recipient' OR e.field = 'identity'))";
  {
    static const std::string sql =
        std::string("INSERT INTO suspended_keys (departure_id, envelope_id, reader_key_id, sealed_key)"
                    " SELECT ?1, envelope_id, reader_key_id, sealed_key FROM envelope_keys") + kWhich;
    auto st = db.cached(sql.c_str());
    st->bind(1, id).bind(2, key_id).bind(3, channel_id).bind(4, role);
    st->run();
  }
  {
    static const std::string sql = std::string("DELETE FROM envelope_keys") + kWhich;
    auto st = db.cached(sql.c_str());
    st->bind(2, key_id).bind(3, channel_id).bind(4, role);
    st->run();
  }
  if (role == "recipient") {
    auto granted = db.cached(
        "UPDATE identity_requests SET state = 'revoked', sealed_key = NULL, key_id = NULL"
        " WHERE state = 'approved' AND key_id = ?1"
        " AND case_id IN (SELECT id FROM cases WHERE channel_id = ?2)");
    granted->bind(1, key_id).bind(2, channel_id);
    granted->run();
  }
  return id;
}

std::int64_t restore(Database& db, std::int64_t departure_id, bool with_identity, std::int64_t at) {
  (void)at;
  std::int64_t restored = 0;
  {
    auto st = db.cached(
        "INSERT OR IGNORE INTO envelope_keys (envelope_id, reader_key_id, sealed_key)"
        " SELECT s.envelope_id, s.reader_key_id, s.sealed_key FROM suspended_keys s"
        " JOIN envelopes e ON e.id = s.envelope_id"
        " WHERE s.departure_id = ? AND (? = 1 OR e.field != 'identity')");
    st->bind(1, departure_id).bind(2, with_identity ? 1 : 0);
    st->run();
    restored = db.changes();
  }
  {
    auto st = db.cached("DELETE FROM suspended_keys WHERE departure_id = ?");
    st->bind(1, departure_id);
    st->run();
  }
  auto st = db.cached("UPDATE channel_departures SET state = 'restored' WHERE id = ?");
  st->bind(1, departure_id);
  st->run();
  return restored;
}

std::optional<DepartureRow> find(Database& db, std::int64_t departure_id) {
  static const std::string sql = std::string(kColumns) + "WHERE d.id = ?";
  auto st = db.cached(sql.c_str());
  st->bind(1, departure_id);
  if (!st->step()) return std::nullopt;
  return read(*st);
}

std::vector<DepartureRow> suspended(Database& db, std::int64_t agency_id) {
  static const std::string sql =
      std::string(kColumns) + "WHERE d.state = 'suspended' AND c.agency_id = ? ORDER BY d.left_at DESC, d.id DESC";
  auto st = db.cached(sql.c_str());
  st->bind(1, agency_id);
  std::vector<DepartureRow> out;
  while (st->step()) out.push_back(read(*st));
  return out;
}

std::int64_t expire(Database& db, std::int64_t before) {
  {
    auto st = db.cached(
        "DELETE FROM suspended_keys WHERE departure_id IN"
        " (SELECT id FROM channel_departures WHERE state = 'suspended' AND left_at < ?)");
    st->bind(1, before);
    st->run();
  }
  auto st = db.cached("UPDATE channel_departures SET state = 'expired' WHERE state = 'suspended' AND left_at < ?");
  st->bind(1, before);
  st->run();
  return db.changes();
}

void drop_case(Database& db, std::int64_t case_id) {
  auto st = db.cached(
      "DELETE FROM suspended_keys WHERE envelope_id IN (SELECT id FROM envelopes WHERE case_id = ?)");
  st->bind(1, case_id);
  st->run();
}

}  // namespace krasip::storage::departure_store
