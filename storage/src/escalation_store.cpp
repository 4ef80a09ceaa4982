#include "krasip/storage/escalation_store.hpp"

#include "krasip/storage/database.hpp"

namespace krasip::storage::escalation_store {

namespace {

constexpr const char* kColumns =
    "SELECT r.id, r.case_id, r.from_channel_id, r.to_channel_id, r.move_identity, r.identity,"
    " r.detail_envelope_id, r.requested_at, r.expires_at, r.state, r.decided_by,"
    " COALESCE(u.username, ''), r.decided_at";

EscalationRequestRow read_request(const Statement& st) {
  EscalationRequestRow r;
  r.id = st.get_int(0);
  r.case_id = st.get_int(1);
  r.from_channel_id = st.get_int(2);
  r.to_channel_id = st.get_int(3);
  r.move_identity = st.get_int(4) != 0;
  r.identity = st.get_text(5);
  r.detail_envelope_id = st.get_int(6);
  r.requested_at = st.get_int(7);
  r.expires_at = st.get_int(8);
  r.state = st.get_text(9);
  r.decided_by = st.get_optional_int(10);
  r.decided_by_username = st.get_text(11);
  r.decided_at = st.get_optional_int(12);
  return r;
}

}  // namespace

std::int64_t insert_request(Database& db, const EscalationRequestRow& r) {
  auto st = db.cached(
      "INSERT INTO escalation_requests (case_id, from_channel_id, to_channel_id, move_identity, identity,"
      " detail_envelope_id, requested_at, expires_at, state) VALUES (?,?,?,?,?,?,?,?,'pending')");
  st->bind(1, r.case_id).bind(2, r.from_channel_id).bind(3, r.to_channel_id);
  st->bind(4, r.move_identity ? 1 : 0).bind(5, r.identity).bind(6, r.detail_envelope_id);
  st->bind(7, r.requested_at).bind(8, r.expires_at);
  st->run();
  return db.last_insert_rowid();
}

void add_plan_key(Database& db, std::int64_t request_id, std::int64_t envelope_id, std::int64_t reader_key_id,
                  std::int64_t user_id, BlobView sealed_key) {
  auto st = db.cached(
      "INSERT OR REPLACE INTO escalation_plan_keys (request_id, envelope_id, reader_key_id, user_id, sealed_key)"
      " VALUES (?,?,?,?,?)");
  st->bind(1, request_id).bind(2, envelope_id).bind(3, reader_key_id).bind(4, user_id).bind(5, sealed_key);
  st->run();
}

std::optional<EscalationRequestRow> pending(Database& db, std::int64_t case_id) {
  static const std::string sql = std::string(kColumns) +
                                 " FROM escalation_requests r LEFT JOIN users u ON u.id = r.decided_by"
                                 " WHERE r.case_id = ? AND r.state = 'pending'";
  auto st = db.cached(sql.c_str());
  st->bind(1, case_id);
  if (!st->step()) return std::nullopt;
  return read_request(*st);
}

std::vector<EscalationRequestRow> requests(Database& db, std::int64_t case_id, std::int64_t reader_key_id) {
  static const std::string sql =
      std::string(kColumns) +
      ", e.field, e.nonce, e.ciphertext, k.sealed_key FROM escalation_requests r"
      " LEFT JOIN users u ON u.id = r.decided_by"
      " JOIN envelopes e ON e.id = r.detail_envelope_id"
      " LEFT JOIN envelope_keys k ON k.envelope_id = e.id AND k.reader_key_id = ?2"
      " WHERE r.case_id = ?1 ORDER BY r.id";
  auto st = db.cached(sql.c_str());
  st->bind(1, case_id).bind(2, reader_key_id);
  std::vector<EscalationRequestRow> out;
  while (st->step()) {
    auto r = read_request(*st);
    if (!st->is_null(16)) {
      r.sealed_detail = ReadableEnvelope{r.detail_envelope_id, st->get_text(13), st->get_blob(14),
                                         st->get_blob(15), st->get_blob(16)};
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<PlanKeyRow> plan_keys(Database& db, std::int64_t request_id) {
  auto st = db.cached(
      "SELECT p.envelope_id, e.field, p.reader_key_id, p.user_id, p.sealed_key FROM escalation_plan_keys p"
      " JOIN envelopes e ON e.id = p.envelope_id WHERE p.request_id = ? ORDER BY p.envelope_id, p.reader_key_id");
  st->bind(1, request_id);
  std::vector<PlanKeyRow> out;
  while (st->step()) {
    out.push_back({st->get_int(0), st->get_text(1), st->get_int(2), st->get_int(3), st->get_blob(4)});
  }
  return out;
}

void decide(Database& db, std::int64_t request_id, const std::string& state,
            std::optional<std::int64_t> decided_by, std::int64_t at) {
  {
    auto st = db.cached("DELETE FROM escalation_plan_keys WHERE request_id = ?");
    st->bind(1, request_id);
    st->run();
  }
  auto st = db.cached(
      "UPDATE escalation_requests SET state = ?2, decided_by = ?3, decided_at = ?4"
      " WHERE id = ?1 AND state = 'pending'");
  st->bind(1, request_id).bind(2, state).bind(3, decided_by).bind(4, at);
  st->run();
}

std::optional<std::int64_t> recorded_by(Database& db, std::int64_t case_id) {
  auto st = db.cached(
      "SELECT actor_user_id FROM audit_log WHERE case_id = ? AND action = 'case.record' ORDER BY seq LIMIT 1");
  st->bind(1, case_id);
  if (!st->step()) return std::nullopt;
  return st->get_optional_int(0);
}

}  // namespace krasip::storage::escalation_store
