#include "krasip/storage/enrolment_store.hpp"

#include "krasip/storage/database.hpp"

namespace krasip::storage::enrolment_store {

namespace {
constexpr const char* kColumns =
    "SELECT id, agency_id, user_id, username, display_name, custodian, admin, created_by, created_at, expires_at,"
    " used_at FROM enrolments ";

EnrolmentRow read(const Statement& st) {
  return {st.get_int(0),          st.get_int(1),  st.get_optional_int(2), st.get_text(3),
          st.get_text(4),         st.get_int(5) != 0, st.get_int(6) != 0, st.get_optional_int(7),
          st.get_int(8),          st.get_int(9),  st.get_optional_int(10)};
}

std::optional<EnrolmentRow> one(Statement& st) {
  if (!st.step()) return std::nullopt;
  return read(st);
}
}  // namespace

std::int64_t insert(Database& db, const EnrolmentRow& e, BlobView token_hash) {
  auto st = db.cached(
      "INSERT INTO enrolments (agency_id, user_id, username, display_name, custodian, admin, token_hash,"
      " created_by, created_at, expires_at) VALUES (?,?,?,?,?,?,?,?,?,?)");
  st->bind(1, e.agency_id).bind(2, e.user_id).bind(3, e.username).bind(4, e.display_name);
  st->bind(5, e.custodian ? 1 : 0).bind(6, e.admin ? 1 : 0).bind(7, token_hash).bind(8, e.created_by);
  st->bind(9, e.created_at).bind(10, e.expires_at);
  st->run();
  return db.last_insert_rowid();
}

std::optional<EnrolmentRow> find(Database& db, std::int64_t id) {
  static const std::string sql = std::string(kColumns) + "WHERE id = ?";
  auto st = db.cached(sql.c_str());
  st->bind(1, id);
  return one(*st);
}

std::optional<EnrolmentRow> find_by_token(Database& db, BlobView token_hash) {
  static const std::string sql = std::string(kColumns) + "WHERE token_hash = ?";
  auto st = db.cached(sql.c_str());
  st->bind(1, token_hash);
  return one(*st);
}

std::optional<EnrolmentRow> open_for_username(Database& db, const std::string& username, std::int64_t now) {
  static const std::string sql =
      std::string(kColumns) + "WHERE username = ? AND used_at IS NULL AND expires_at > ? LIMIT 1";
  auto st = db.cached(sql.c_str());
  st->bind(1, username).bind(2, now);
  return one(*st);
}

std::optional<EnrolmentRow> open_for_user(Database& db, std::int64_t user_id, std::int64_t now) {
  static const std::string sql =
      std::string(kColumns) + "WHERE user_id = ? AND used_at IS NULL AND expires_at > ? LIMIT 1";
  auto st = db.cached(sql.c_str());
  st->bind(1, user_id).bind(2, now);
  return one(*st);
}

std::vector<EnrolmentRow> open_in(Database& db, std::int64_t agency_id, std::int64_t now) {
  static const std::string sql =
      std::string(kColumns) + "WHERE agency_id = ? AND used_at IS NULL AND expires_at > ? ORDER BY username";
  auto st = db.cached(sql.c_str());
  st->bind(1, agency_id).bind(2, now);
  std::vector<EnrolmentRow> out;
  while (st->step()) out.push_back(read(*st));
  return out;
}

void replace_token(Database& db, std::int64_t id, BlobView token_hash, std::int64_t expires_at) {
  auto st = db.cached("UPDATE enrolments SET token_hash = ?, expires_at = ? WHERE id = ? AND used_at IS NULL");
  st->bind(1, token_hash).bind(2, expires_at).bind(3, id);
  st->run();
}

void mark_used(Database& db, std::int64_t id, std::int64_t at) {
  auto st = db.cached("UPDATE enrolments SET used_at = ? WHERE id = ? AND used_at IS NULL");
  st->bind(1, at).bind(2, id);
  st->run();
}

}  // namespace krasip::storage::enrolment_store
