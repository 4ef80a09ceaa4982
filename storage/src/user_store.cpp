#include "krasip/storage/user_store.hpp"

#include "krasip/storage/database.hpp"
#include "krasip/storage/errors.hpp"
#include "krasip/storage/key_store.hpp"

namespace krasip::storage::user_store {

namespace {
#define KRASIP_USER_COLUMNS                                                                      \
  "u.id, u.username, u.display_name, u.is_custodian, u.is_admin, u.key_id, k.public_key,"        \
  " u.wrap_salt, u.wrap_nonce, u.wrapped_secret, u.pwhash_ops, u.pwhash_mem, u.totp_sealed,"     \
  " u.totp_last_counter, u.disabled_at, u.agency_id, k.created_at, u.roles_at"                     \
  " FROM users u JOIN reader_keys k ON k.id = u.key_id"

UserRow read_user(const Statement& st) {
  UserRow u;
  u.id = st.get_int(0);
  u.username = st.get_text(1);
  u.display_name = st.get_text(2);
  u.is_custodian = st.get_int(3) != 0;
  u.is_admin = st.get_int(4) != 0;
  u.key_id = st.get_int(5);
  u.public_key = st.get_blob(6);
  u.wrap_salt = st.get_blob(7);
  u.wrap_nonce = st.get_blob(8);
  u.wrapped_secret = st.get_blob(9);
  u.pwhash_ops = st.get_int(10);
  u.pwhash_mem = st.get_int(11);
  u.totp_sealed = st.get_blob(12);
  u.totp_last_counter = st.get_int(13);
  u.disabled_at = st.get_optional_int(14);
  u.agency_id = st.get_int(15);
  u.key_created_at = st.get_int(16);
  u.roles_at = st.get_int(17);
  return u;
}
}  // namespace

std::optional<UserRow> find_by_username(Database& db, const std::string& username) {
  auto st = db.cached("SELECT " KRASIP_USER_COLUMNS " WHERE u.username = ?");
  st->bind(1, username);
  if (!st->step()) return std::nullopt;
  return read_user(*st);
}

std::optional<UserRow> find_by_id(Database& db, std::int64_t id) {
  auto st = db.cached("SELECT " KRASIP_USER_COLUMNS " WHERE u.id = ?");
  st->bind(1, id);
  if (!st->step()) return std::nullopt;
  return read_user(*st);
}

std::vector<UserRow> list(Database& db, std::int64_t agency_id) {
  auto st = db.cached("SELECT " KRASIP_USER_COLUMNS " WHERE u.agency_id = ? ORDER BY u.username");
  st->bind(1, agency_id);
  std::vector<UserRow> out;
  while (st->step()) out.push_back(read_user(*st));
  return out;
}

void set_totp(Database& db, std::int64_t user_id, BlobView sealed_secret) {
  auto st = db.cached("UPDATE users SET totp_sealed = ?, totp_last_counter = 0 WHERE id = ?");
  st->bind(1, sealed_secret).bind(2, user_id);
  st->run();
}

bool advance_totp_counter(Database& db, std::int64_t user_id, std::int64_t counter) {
  auto st = db.cached(
      "UPDATE users SET totp_last_counter = ? WHERE id = ? AND totp_last_counter < ?");
  st->bind(1, counter).bind(2, user_id).bind(3, counter);
  st->run();
  return db.changes() == 1;
}

void set_wrapped_key(Database& db, std::int64_t user_id, const WrappedKeyRow& w) {
  auto st = db.cached(
      "UPDATE users SET wrap_salt = ?, wrap_nonce = ?, wrapped_secret = ?, pwhash_ops = ?,"
      " pwhash_mem = ? WHERE id = ?");
  st->bind(1, w.salt).bind(2, w.nonce).bind(3, w.ciphertext).bind(4, w.ops).bind(5, w.mem);
  st->bind(6, user_id);
  st->run();
  if (db.changes() != 1) throw StorageError(0, "no such user");
}

void replace_key(Database& db, std::int64_t user_id, BlobView public_key,
                 const WrappedKeyRow& wrapped, std::int64_t now) {
  {
    auto st = db.cached(
        "UPDATE reader_keys SET retired_at = ? WHERE id = (SELECT key_id FROM users WHERE id = ?)");
    st->bind(1, now).bind(2, user_id);
    st->run();
  }
  const std::int64_t key_id = key_store::insert_reader_key(db, "investigator", public_key, now);
  {
    auto st = db.cached("UPDATE users SET key_id = ?, totp_sealed = NULL WHERE id = ?");
    st->bind(1, key_id).bind(2, user_id);
    st->run();
  }
  set_wrapped_key(db, user_id, wrapped);
}

void set_disabled(Database& db, std::int64_t user_id, std::optional<std::int64_t> at) {
  auto st = db.cached("UPDATE users SET disabled_at = ? WHERE id = ?");
  st->bind(1, at).bind(2, user_id);
  st->run();
}

void set_roles(Database& db, std::int64_t user_id, bool custodian, bool admin, std::int64_t at) {
  // roles_at moves only when a role is given, not when one is taken away.
  auto st = db.cached(
      "UPDATE users SET roles_at = CASE WHEN (?1 = 1 AND is_custodian = 0) OR (?2 = 1 AND is_admin = 0)"
      " THEN ?4 ELSE roles_at END, is_custodian = ?1, is_admin = ?2 WHERE id = ?3");
  st->bind(1, custodian ? 1 : 0).bind(2, admin ? 1 : 0).bind(3, user_id).bind(4, at);
  st->run();
}

}  // namespace krasip::storage::user_store
