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
  return r;
}
constexpr const char* kColumns = "id, at, actor_user_id, action, case_id, detail, prev_hash, hash";
}  // namespace

namespace audit_store {

std::int64_t append(Database& db, const AuditRow& r) {
  auto st = db.cached(
      "INSERT INTO audit_log (id, at, actor_user_id, action, case_id, detail, prev_hash, hash)"
      " VALUES (?,?,?,?,?,?,?,?)");
  st->bind(1, r.id).bind(2, r.at).bind(3, r.actor_user_id).bind(4, r.action).bind(5, r.case_id);
  st->bind(6, r.detail).bind(7, r.prev_hash).bind(8, r.hash);
  st->run();
  return db.last_insert_rowid();
}

std::optional<AuditRow> last(Database& db) {
  static const std::string sql = std::string("SELECT ") + kColumns + " FROM audit_log ORDER BY id DESC LIMIT 1";
  auto st = db.cached(sql.c_str());
  if (!st->step()) return std::nullopt;
  return read_row(*st);
}

void for_each(Database& db, const std::function<bool(const AuditRow&)>& visit) {
  auto st = db.prepare(std::string("SELECT ") + kColumns + " FROM audit_log ORDER BY id");
  while (st.step()) {
    if (!visit(read_row(st))) return;
  }
}

std::vector<AuditRow> list(Database& db, std::optional<std::int64_t> case_id, std::int64_t limit,
                           std::int64_t offset) {
  auto st = db.cached(
      "SELECT a.id, a.at, a.actor_user_id, a.action, a.case_id, a.detail, a.prev_hash, a.hash,"
      " u.username, c.case_number FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id"
      " LEFT JOIN cases c ON c.id = a.case_id WHERE (?1 IS NULL OR a.case_id = ?1)"
      " ORDER BY a.id DESC LIMIT ?2 OFFSET ?3");
  st->bind(1, case_id).bind(2, limit).bind(3, offset);
  std::vector<AuditRow> out;
  while (st->step()) {
    auto row = read_row(*st);
    row.actor_username = st->get_optional_text(8);
    row.case_number = st->get_optional_text(9);
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace audit_store

namespace stats_store {
std::vector<CountRow> counts(Database& db, int fiscal_year) {
  auto st = db.cached(
      "SELECT month, category, status, n FROM case_counts WHERE fiscal_year = ? AND n > 0");
  st->bind(1, fiscal_year);
  std::vector<CountRow> out;
  while (st->step()) {
    out.push_back({static_cast<int>(st->get_int(0)), st->get_text(1), st->get_text(2), st->get_int(3)});
  }
  return out;
}
}  // namespace stats_store

}  // namespace krasip::storage
