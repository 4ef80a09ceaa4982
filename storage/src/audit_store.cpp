#include "krasip/storage/audit_store.hpp"

#include "krasip/storage/database.hpp"

namespace krasip::storage {

namespace {
AuditRow read_row(const Statement& st) {
  AuditRow r;
  r.id = st.get_int(0);
  r.at = st.get_int(1);
  r.actor_user_id = st.get_optional_int(2);
  r.action = st.get_text(3);
  r.case_id = st.get_optional_int(4);
  r.detail = st.get_text(5);
  r.prev_hash = st.get_blob(6);
  r.hash = st.get_blob(7);
  r.detail_envelope_id = st.get_optional_int(8);
  if (r.detail_envelope_id) {
    r.detail_nonce = st.get_blob(9);
    r.detail_ciphertext = st.get_blob(10);
  }
  r.seq = st.get_int(11);
  r.form = static_cast<int>(st.get_int(12));
  return r;
}
// The stored fields the chain covers, the sealed detail's bytes included.
constexpr const char* kColumns =
    "a.id, a.at, a.actor_user_id, a.action, a.case_id, a.detail, a.prev_hash, a.hash,"
    " a.detail_envelope_id, e.nonce, e.ciphertext, a.seq, a.form";
constexpr const char* kFrom = " FROM audit_log a LEFT JOIN envelopes e ON e.id = a.detail_envelope_id";
}  // namespace

namespace audit_store {

std::int64_t append(Database& db, const AuditRow& r, std::int64_t agency_id) {
  auto st = db.cached(
      "INSERT INTO audit_log (id, at, actor_user_id, action, case_id, detail, prev_hash, hash,"
      " detail_envelope_id, agency_id, seq, form) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  st->bind(1, r.id).bind(2, r.at).bind(3, r.actor_user_id).bind(4, r.action).bind(5, r.case_id);
  st->bind(6, r.detail).bind(7, r.prev_hash).bind(8, r.hash).bind(9, r.detail_envelope_id);
  st->bind(10, agency_id).bind(11, r.seq).bind(12, r.form);
  st->run();
  return db.last_insert_rowid();
}

std::optional<AuditRow> last(Database& db, std::int64_t agency_id) {
  static const std::string sql =
      std::string("SELECT ") + kColumns + kFrom + " WHERE a.agency_id = ? ORDER BY a.seq DESC LIMIT 1";
  auto st = db.cached(sql.c_str());
  st->bind(1, agency_id);
  if (!st->step()) return std::nullopt;
  return read_row(*st);
}

std::int64_t fresh_id(Database& db) {
  auto st = db.cached("SELECT random() & 0x3FFFFFFFFFFFFFFF");
  st->step();
  return st->get_int(0);
}

std::int64_t agency_of(Database& db, std::optional<std::int64_t> case_id,
                       std::optional<std::int64_t> actor_user_id, std::int64_t fallback) {
  if (case_id) {
    auto st = db.cached("SELECT agency_id FROM cases WHERE id = ?");
    st->bind(1, *case_id);
    if (st->step()) return st->get_int(0);
  }
  if (actor_user_id) {
    auto st = db.cached("SELECT agency_id FROM users WHERE id = ?");
    st->bind(1, *actor_user_id);
    if (st->step()) return st->get_int(0);
  }
  return fallback;
}

void for_each(Database& db, std::int64_t agency_id, const std::function<bool(const AuditRow&)>& visit) {
  // `audit verify` opens the database read-only, so it may see one not yet
  // migrated to schema 5 (its entries have no sealed details) or to schema
  // 10 (every entry is the one agency's).
  const auto has_column = [&](const char* name) {
    auto info = db.prepare("SELECT 1 FROM pragma_table_info('audit_log') WHERE name = ?");
    info.bind(1, name);
    return info.step();
  };
  const bool sealed_details = has_column("detail_envelope_id");
  const bool per_agency = has_column("agency_id");
  const bool numbered = has_column("seq");
  if (!per_agency && agency_id != 1) return;
  const std::string where = per_agency ? " WHERE a.agency_id = ?" : "";
  // Before schema 21 the chain's order is the ids' and the number shown is the id.
  auto st = db.prepare(
      numbered ? std::string("SELECT ") + kColumns + kFrom + where + " ORDER BY a.seq"
      : sealed_details
          ? std::string("SELECT a.id, a.at, a.actor_user_id, a.action, a.case_id, a.detail,"
                        " a.prev_hash, a.hash, a.detail_envelope_id, e.nonce, e.ciphertext, a.id, 1") +
                kFrom + where + " ORDER BY a.id"
          : "SELECT a.id, a.at, a.actor_user_id, a.action, a.case_id, a.detail,"
            " a.prev_hash, a.hash, NULL, NULL, NULL, a.id, 1 FROM audit_log a" + where + " ORDER BY a.id");
  if (per_agency) st.bind(1, agency_id);
  while (st.step()) {
    if (!visit(read_row(st))) return;
  }
}

std::vector<AuditRow> list(Database& db, const AuditViewer& viewer,
                           std::optional<std::int64_t> case_id, std::int64_t limit,
                           std::int64_t offset) {
  static const std::string sql =
      std::string("SELECT ") + kColumns +
      ", u.username, c.case_number, e.field, k.sealed_key, e.case_id" + kFrom +
      " LEFT JOIN envelope_keys k ON k.envelope_id = e.id AND k.reader_key_id = ?4"
      " LEFT JOIN users u ON u.id = a.actor_user_id LEFT JOIN cases c ON c.id = a.case_id"
      " WHERE (?1 IS NULL OR a.case_id = ?1) AND (?1 IS NOT NULL OR a.agency_id = ?6)"
      " AND (a.case_id IS NULL OR (EXISTS (SELECT 1 FROM envelopes ce"
      "   JOIN envelope_keys ck ON ck.envelope_id = ce.id"
      "   WHERE ce.case_id = a.case_id AND ce.field = 'complaint' AND ck.reader_key_id = ?4)"
      "  AND NOT EXISTS (SELECT 1 FROM case_exclusions x"
      "   WHERE x.case_id = a.case_id AND x.user_id = ?5)))"
      " ORDER BY a.seq DESC LIMIT ?2 OFFSET ?3";
  auto st = db.cached(sql.c_str());
  st->bind(1, case_id).bind(2, limit).bind(3, offset).bind(4, viewer.key_id).bind(5, viewer.user_id);
  st->bind(6, viewer.agency_id);
  std::vector<AuditRow> out;
  while (st->step()) {
    auto row = read_row(*st);
    row.actor_username = st->get_optional_text(13);
    row.case_number = st->get_optional_text(14);
    if (row.detail_envelope_id && !st->get_blob(16).empty()) {
      row.sealed_detail = ReadableEnvelope{*row.detail_envelope_id, st->get_text(15),
                                           row.detail_nonce, row.detail_ciphertext, st->get_blob(16)};
      row.detail_case_id = st->get_optional_int(17);
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace audit_store

namespace stats_store {
std::vector<CountRow> counts(Database& db, std::int64_t agency_id, int fiscal_year) {
  auto st = db.cached(
      "SELECT month, category, status, n FROM case_counts"
      " WHERE agency_id = ? AND fiscal_year = ? AND n > 0");
  st->bind(1, agency_id).bind(2, fiscal_year);
  std::vector<CountRow> out;
  while (st->step()) {
    out.push_back({static_cast<int>(st->get_int(0)), st->get_text(1), st->get_text(2), st->get_int(3)});
  }
  return out;
}

std::vector<CountRow> counts_for_user(Database& db, int fiscal_year, std::int64_t user_id) {
  std::int64_t key_id = 0;
  {
    auto st = db.cached("SELECT key_id FROM users WHERE id = ?");
    st->bind(1, user_id);
    if (!st->step()) return {};
    key_id = st->get_int(0);
  }
  auto st = db.cached(sql::kCountsForUser);
  st->bind(1, fiscal_year).bind(2, user_id).bind(3, key_id);
  std::vector<CountRow> out;
  while (st->step()) {
    out.push_back({static_cast<int>(st->get_int(0)), st->get_text(1), st->get_text(2), st->get_int(4),
                   st->get_text(3)});
  }
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> source_counts(Database& db, std::int64_t agency_id,
                                                                int fiscal_year) {
  auto st = db.cached(
      "SELECT source, COUNT(*) FROM cases INDEXED BY cases_agency_year"
      " WHERE agency_id = ?1 AND fiscal_year = ?2 GROUP BY source");
  st->bind(1, agency_id).bind(2, fiscal_year);
  std::vector<std::pair<std::string, std::int64_t>> out;
  while (st->step()) out.emplace_back(st->get_text(0), st->get_int(1));
  return out;
}

}  // namespace stats_store

}  // namespace krasip::storage
