#include "krasip/storage/proposal_store.hpp"

#include "krasip/storage/database.hpp"

namespace krasip::storage::proposal_store {

namespace {
constexpr const char* kColumns =
    "SELECT id, uid, agency_id, channel_id, subject_user_id, kind, change, secret_nonce, secret_sealed,"
    " proposed_by, proposed_at, approvers, wait, deadline, state, decided_by, decided_at, outcome"
    " FROM proposals ";

ProposalRow read(const Statement& st) {
  ProposalRow p;
  p.id = st.get_int(0);
  p.uid = st.get_text(1);
  p.agency_id = st.get_int(2);
  p.channel_id = st.get_optional_int(3);
  p.subject_user_id = st.get_optional_int(4);
  p.kind = st.get_text(5);
  p.change = st.get_text(6);
  if (!st.is_null(7)) p.secret_nonce = st.get_blob(7);
  if (!st.is_null(8)) p.secret_sealed = st.get_blob(8);
  p.proposed_by = st.get_optional_int(9);
  p.proposed_at = st.get_int(10);
  p.approvers = st.get_text(11);
  p.wait = st.get_int(12) != 0;
  p.deadline = st.get_int(13);
  p.state = st.get_text(14);
  p.decided_by = st.get_optional_int(15);
  p.decided_at = st.get_optional_int(16);
  p.outcome = st.get_optional_text(17).value_or("");
  return p;
}

std::optional<ProposalRow> one(Statement& st) {
  if (!st.step()) return std::nullopt;
  return read(st);
}
}  // namespace

std::int64_t insert(Database& db, const ProposalRow& p) {
  auto st = db.cached(
      "INSERT INTO proposals (uid, agency_id, channel_id, subject_user_id, kind, change, secret_nonce,"
      " secret_sealed, proposed_by, proposed_at, approvers, wait, deadline, state)"
      " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,'pending')");
  st->bind(1, p.uid).bind(2, p.agency_id).bind(3, p.channel_id).bind(4, p.subject_user_id);
  st->bind(5, p.kind).bind(6, p.change);
  if (p.secret_sealed.empty()) {
    st->bind_null(7).bind_null(8);
  } else {
    st->bind(7, p.secret_nonce).bind(8, p.secret_sealed);
  }
  st->bind(9, p.proposed_by).bind(10, p.proposed_at).bind(11, p.approvers).bind(12, p.wait ? 1 : 0);
  st->bind(13, p.deadline);
  st->run();
  return db.last_insert_rowid();
}

std::optional<ProposalRow> find(Database& db, std::int64_t id) {
  static const std::string sql = std::string(kColumns) + "WHERE id = ?";
  auto st = db.cached(sql.c_str());
  st->bind(1, id);
  return one(*st);
}

std::optional<ProposalRow> find_by_uid(Database& db, const std::string& uid) {
  static const std::string sql = std::string(kColumns) + "WHERE uid = ?";
  auto st = db.cached(sql.c_str());
  st->bind(1, uid);
  return one(*st);
}

std::optional<ProposalRow> pending_for_channel(Database& db, std::int64_t channel_id) {
  static const std::string sql = std::string(kColumns) + "WHERE state = 'pending' AND channel_id = ? LIMIT 1";
  auto st = db.cached(sql.c_str());
  st->bind(1, channel_id);
  return one(*st);
}

std::optional<ProposalRow> pending_for_user(Database& db, std::int64_t user_id) {
  static const std::string sql =
      std::string(kColumns) + "WHERE state = 'pending' AND subject_user_id = ? LIMIT 1";
  auto st = db.cached(sql.c_str());
  st->bind(1, user_id);
  return one(*st);
}

std::optional<ProposalRow> pending_of_kind(Database& db, std::int64_t agency_id, const std::string& kind) {
  static const std::string sql =
      std::string(kColumns) + "WHERE state = 'pending' AND agency_id = ? AND kind = ? LIMIT 1";
  auto st = db.cached(sql.c_str());
  st->bind(1, agency_id).bind(2, kind);
  return one(*st);
}

std::vector<ProposalRow> list(Database& db, const std::vector<std::int64_t>& agency_ids, std::int64_t since) {
  static const std::string sql = std::string(kColumns) +
                                 "WHERE agency_id = ? AND (state = 'pending' OR COALESCE(decided_at, 0) >= ?)"
                                 " ORDER BY proposed_at DESC, id DESC";
  std::vector<ProposalRow> out;
  for (const auto agency : agency_ids) {
    auto st = db.cached(sql.c_str());
    st->bind(1, agency).bind(2, since);
    while (st->step()) out.push_back(read(*st));
  }
  return out;
}

std::vector<ProposalRow> due(Database& db, std::int64_t now) {
  static const std::string sql =
      std::string(kColumns) + "INDEXED BY proposals_pending WHERE state = 'pending' AND deadline <= ? ORDER BY deadline, id";
  auto st = db.cached(sql.c_str());
  st->bind(1, now);
  std::vector<ProposalRow> out;
  while (st->step()) out.push_back(read(*st));
  return out;
}

void decide(Database& db, std::int64_t id, const std::string& state, std::optional<std::int64_t> decided_by,
            std::int64_t at, const std::string& outcome) {
  auto st = db.cached(
      "UPDATE proposals SET state = ?, decided_by = ?, decided_at = ?, outcome = ?,"
      " secret_nonce = NULL, secret_sealed = NULL WHERE id = ? AND state = 'pending'");
  st->bind(1, state).bind(2, decided_by).bind(3, at).bind(4, outcome).bind(5, id);
  st->run();
}

}  // namespace krasip::storage::proposal_store
