#include "krasip/storage/two_person_store.hpp"

#include <string>

#include "krasip/storage/database.hpp"

namespace krasip::storage::two_person_store {

namespace {
// Columns `first`.. of a LEFT JOIN on an envelope and one reader's key to it.
std::optional<ReadableEnvelope> sealed_at(const Statement& st, int first) {
  if (!st.get_optional_int(first + 4)) return std::nullopt;  // no key for this reader
  return ReadableEnvelope{st.get_int(first), st.get_text(first + 1), st.get_blob(first + 2),
                          st.get_blob(first + 3), st.get_blob(first + 5)};
}

constexpr const char* kRequestColumns =
    "SELECT r.id, r.case_id, r.requested_by, COALESCE(a.username, ''), r.at, r.state, r.decided_by,"
    " COALESCE(d.username, ''), r.decided_at, r.viewed_at, r.key_id, r.sealed_key,"
    " e.id, e.field, e.nonce, e.ciphertext, k.reader_key_id, k.sealed_key,"
    " f.id, f.field, f.nonce, f.ciphertext, g.reader_key_id, g.sealed_key, r.purpose"
    " FROM identity_requests r"
    " LEFT JOIN users a ON a.id = r.requested_by LEFT JOIN users d ON d.id = r.decided_by"
    " LEFT JOIN envelopes e ON e.id = r.reason_envelope_id"
    " LEFT JOIN envelope_keys k ON k.envelope_id = e.id AND k.reader_key_id = ?2"
    " LEFT JOIN envelopes f ON f.id = r.refusal_envelope_id"
    " LEFT JOIN envelope_keys g ON g.envelope_id = f.id AND g.reader_key_id = ?2"
    " WHERE r.case_id = ?1";

IdentityRequestRow read_request(const Statement& st) {
  IdentityRequestRow r;
  r.id = st.get_int(0);
  r.case_id = st.get_int(1);
  r.requested_by = st.get_int(2);
  r.requested_by_username = st.get_text(3);
  r.at = st.get_int(4);
  r.state = st.get_text(5);
  r.decided_by = st.get_optional_int(6);
  r.decided_by_username = st.get_text(7);
  r.decided_at = st.get_optional_int(8);
  r.viewed_at = st.get_optional_int(9);
  r.key_id = st.get_optional_int(10);
  if (!st.is_null(11)) r.sealed_key = st.get_blob(11);
  r.sealed_reason = sealed_at(st, 12);
  r.sealed_refusal = sealed_at(st, 18);
  r.purpose = st.get_text(24);
  return r;
}
}  // namespace

std::int64_t add_identity_request(Database& db, std::int64_t case_id, std::int64_t requested_by,
                                  std::int64_t reason_envelope_id, std::int64_t at, const std::string& purpose) {
  auto st = db.cached(
      "INSERT INTO identity_requests (case_id, requested_by, reason_envelope_id, at, purpose)"
      " VALUES (?,?,?,?,?)");
  st->bind(1, case_id).bind(2, requested_by).bind(3, reason_envelope_id).bind(4, at).bind(5, purpose);
  st->run();
  return db.last_insert_rowid();
}

std::optional<IdentityRequestRow> find_identity_request(Database& db, std::int64_t case_id, std::int64_t id,
                                                        std::int64_t reader_key_id) {
  static const std::string kSql = std::string(kRequestColumns) + " AND r.id = ?3";
  auto st = db.cached(kSql.c_str());
  st->bind(1, case_id).bind(2, reader_key_id).bind(3, id);
  if (!st->step()) return std::nullopt;
  return read_request(*st);
}

std::vector<IdentityRequestRow> identity_requests(Database& db, std::int64_t case_id,
                                                  std::int64_t reader_key_id) {
  static const std::string kSql = std::string(kRequestColumns) + " ORDER BY r.id";
  auto st = db.cached(kSql.c_str());
  st->bind(1, case_id).bind(2, reader_key_id);
  std::vector<IdentityRequestRow> out;
  while (st->step()) out.push_back(read_request(*st));
  return out;
}

std::optional<IdentityRequestRow> open_request_of(Database& db, std::int64_t case_id, std::int64_t user_id) {
  static const std::string kSql = std::string(kRequestColumns) +
                                  " AND r.requested_by = ?3 AND r.state IN ('pending', 'approved')"
                                  " ORDER BY r.id DESC LIMIT 1";
  auto st = db.cached(kSql.c_str());
  st->bind(1, case_id).bind(2, std::int64_t{-1}).bind(3, user_id);
  if (!st->step()) return std::nullopt;
  return read_request(*st);
}

void approve_identity_request(Database& db, std::int64_t id, std::int64_t by, std::int64_t at,
                              std::int64_t key_id, const Blob& sealed_key) {
  auto st = db.cached(
      "UPDATE identity_requests SET state = 'approved', decided_by = ?, decided_at = ?, key_id = ?,"
      " sealed_key = ? WHERE id = ? AND state = 'pending'");
  st->bind(1, by).bind(2, at).bind(3, key_id).bind(4, sealed_key).bind(5, id);
  st->run();
}

void refuse_identity_request(Database& db, std::int64_t id, std::int64_t by, std::int64_t at,
                             std::int64_t refusal_envelope_id) {
  auto st = db.cached(
      "UPDATE identity_requests SET state = 'refused', decided_by = ?, decided_at = ?,"
      " refusal_envelope_id = ? WHERE id = ? AND state = 'pending'");
  st->bind(1, by).bind(2, at).bind(3, refusal_envelope_id).bind(4, id);
  st->run();
}

std::optional<ReadableEnvelope> identity_envelope(Database& db, std::int64_t case_id) {
  auto st = db.cached("SELECT id, field, nonce, ciphertext FROM envelopes WHERE case_id = ? AND field = 'identity'");
  st->bind(1, case_id);
  if (!st->step()) return std::nullopt;
  return ReadableEnvelope{st->get_int(0), st->get_text(1), st->get_blob(2), st->get_blob(3), {}};
}

void mark_viewed(Database& db, std::int64_t id, std::int64_t at) {
  auto st = db.cached(
      "UPDATE identity_requests SET state = 'viewed', viewed_at = ?, sealed_key = NULL, key_id = NULL"
      " WHERE id = ? AND state = 'approved'");
  st->bind(1, at).bind(2, id);
  st->run();
}

void revoke_open_requests(Database& db, std::int64_t case_id, std::optional<std::int64_t> requested_by) {
  auto st = db.cached(
      "UPDATE identity_requests SET state = 'revoked', sealed_key = NULL, key_id = NULL"
      " WHERE case_id = ?1 AND (?2 IS NULL OR requested_by = ?2) AND state IN ('pending', 'approved')");
  st->bind(1, case_id).bind(2, requested_by);
  st->run();
}

void set_pending_outcome(Database& db, const PendingOutcomeRow& p) {
  auto st = db.cached(
      "INSERT INTO pending_outcomes (case_id, status, proposed_by, message_envelope_id, at) VALUES (?,?,?,?,?)");
  st->bind(1, p.case_id).bind(2, p.status).bind(3, p.proposed_by).bind(4, p.message_envelope_id).bind(5, p.at);
  st->run();
}

std::optional<PendingOutcomeRow> pending_outcome(Database& db, std::int64_t case_id, std::int64_t reader_key_id) {
  auto st = db.cached(
      "SELECT p.case_id, p.status, p.proposed_by, COALESCE(u.username, ''), p.message_envelope_id, p.at,"
      " e.id, e.field, e.nonce, e.ciphertext, k.reader_key_id, k.sealed_key"
      " FROM pending_outcomes p LEFT JOIN users u ON u.id = p.proposed_by"
      " LEFT JOIN envelopes e ON e.id = p.message_envelope_id"
      " LEFT JOIN envelope_keys k ON k.envelope_id = e.id AND k.reader_key_id = ?2"
      " WHERE p.case_id = ?1");
  st->bind(1, case_id).bind(2, reader_key_id);
  if (!st->step()) return std::nullopt;
  PendingOutcomeRow p{st->get_int(0), st->get_text(1), st->get_int(2), st->get_text(3), st->get_int(4),
                      st->get_int(5), sealed_at(*st, 6)};
  return p;
}

void drop_pending_outcome(Database& db, std::int64_t case_id) {
  std::optional<std::int64_t> envelope_id;
  {
    auto st = db.cached("SELECT message_envelope_id FROM pending_outcomes WHERE case_id = ?");
    st->bind(1, case_id);
    if (st->step()) envelope_id = st->get_int(0);
  }
  {
    auto st = db.cached("DELETE FROM pending_outcomes WHERE case_id = ?");
    st->bind(1, case_id);
    st->run();
  }
  if (!envelope_id) return;
  // Sent to the reporter as a message, or declined: the draft goes.
  for (const char* sql : {"DELETE FROM envelope_keys WHERE envelope_id = ?", "DELETE FROM envelopes WHERE id = ?"}) {
    auto st = db.cached(sql);
    st->bind(1, *envelope_id);
    st->run();
  }
}

}  // namespace krasip::storage::two_person_store
