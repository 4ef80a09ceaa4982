#include "krasip/storage/key_store.hpp"

#include "krasip/storage/database.hpp"

namespace krasip::storage::key_store {

void insert_agency(Database& db, const AgencyRow& agency, std::int64_t now) {
  auto st = db.cached(
      "INSERT INTO agency (id, name_th, name_en, case_prefix, created_at) VALUES (1,?,?,?,?)");
  st->bind(1, agency.name_th).bind(2, agency.name_en).bind(3, agency.case_prefix).bind(4, now);
  st->run();
}

std::optional<AgencyRow> load_agency(Database& db) {
  auto st = db.cached("SELECT name_th, name_en, case_prefix FROM agency WHERE id = 1");
  if (!st->step()) return std::nullopt;
  return AgencyRow{st->get_text(0), st->get_text(1), st->get_text(2)};
}

std::int64_t insert_reader_key(Database& db, const std::string& kind, BlobView public_key,
                               std::int64_t now) {
  auto st = db.cached("INSERT INTO reader_keys (kind, public_key, created_at) VALUES (?,?,?)");
  st->bind(1, kind).bind(2, public_key).bind(3, now);
  st->run();
  return db.last_insert_rowid();
}

std::vector<ReaderKeyRow> active_readers(Database& db) {
  auto st = db.cached(sql::kActiveReaders);
  std::vector<ReaderKeyRow> out;
  while (st->step()) {
    out.push_back({st->get_int(0), st->get_text(1), st->get_blob(2), st->get_optional_int(3),
                   st->get_int(4) != 0});
  }
  return out;
}

std::int64_t insert_user(Database& db, const NewUser& u) {
  const std::int64_t key_id = insert_reader_key(db, "investigator", u.public_key, u.created_at);
  auto st = db.cached(
      "INSERT INTO users (username, display_name, is_custodian, is_admin, key_id, wrap_salt,"
      " wrap_nonce, wrapped_secret, pwhash_ops, pwhash_mem, created_at)"
      " VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  st->bind(1, u.username).bind(2, u.display_name).bind(3, u.is_custodian ? 1 : 0);
  st->bind(4, u.is_admin ? 1 : 0).bind(5, key_id).bind(6, u.wrap_salt).bind(7, u.wrap_nonce);
  st->bind(8, u.wrapped_secret).bind(9, u.pwhash_ops).bind(10, u.pwhash_mem);
  st->bind(11, u.created_at);
  st->run();
  return db.last_insert_rowid();
}

std::int64_t readers_version(Database& db) {
  auto st = db.cached("SELECT version FROM reader_directory_version WHERE id = 1");
  st->step();
  return st->get_int(0);
}

}  // namespace krasip::storage::key_store
