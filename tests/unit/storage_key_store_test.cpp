// The investigators' key directory: read on every complaint, so it must not
// cost more as cases (each with its own reporter key row) accumulate.
#include <doctest/doctest.h>

#include <string>

#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/migrations.hpp"
#include "krasip/storage/user_store.hpp"
#include "krasip/storage/write_queue.hpp"
#include "temp_dir.hpp"

using namespace krasip::storage;
using krasip::test::TempDir;

namespace {

Blob key(int n) {
  Blob b(32, 0);
  b[0] = static_cast<std::uint8_t>(n & 0xff);
  b[1] = static_cast<std::uint8_t>((n >> 8) & 0xff);
  b[2] = static_cast<std::uint8_t>((n >> 16) & 0xff);
  b[31] = 1;
  return b;
}

NewUser user(const std::string& name, int n) {
  NewUser u;
  u.username = name;
  u.display_name = name;
  u.public_key = key(n);
  u.wrap_salt = Blob(16, 1);
  u.wrap_nonce = Blob(24, 2);
  u.wrapped_secret = Blob(48, 3);
  u.pwhash_ops = 1;
  u.pwhash_mem = 8192;
  return u;
}

std::string query_plan(Database& db, const std::string& sql) {
  auto st = db.prepare("EXPLAIN QUERY PLAN " + sql);
  std::string plan;
  while (st.step()) plan += st.get_text(3) + "\n";
  return plan;
}

}  // namespace

TEST_CASE("key directory: new cases leave its version alone; account changes move it") {
  TempDir dir("key-store");
  auto db = open_writer(dir.path() / "krasip.db");
  key_store::insert_reader_key(db, "recovery", key(1), 0);
  const auto alice = key_store::insert_user(db, user("alice", 2));
  const auto v0 = key_store::readers_version(db);

  for (int i = 0; i < 100; ++i) key_store::insert_reader_key(db, "reporter", key(1000 + i), 0);
  CHECK(key_store::readers_version(db) == v0);

  const auto bob = key_store::insert_user(db, user("bob", 3));
  const auto v1 = key_store::readers_version(db);
  CHECK(v1 != v0);
  CHECK(key_store::active_readers(db).size() == 3);

  user_store::set_disabled(db, bob, 5);
  const auto v2 = key_store::readers_version(db);
  CHECK(v2 != v1);
  CHECK(key_store::active_readers(db).size() == 2);

  user_store::set_roles(db, alice, true, false, 1);
  const auto v3 = key_store::readers_version(db);
  CHECK(v3 != v2);
  CHECK(key_store::active_readers(db).at(1).is_custodian);
}

TEST_CASE("key directory: finding the active readers does not scan every reporter key") {
  TempDir dir("key-store-plan");
  auto db = open_writer(dir.path() / "krasip.db");
  const auto plan = query_plan(db, key_store::sql::kActiveReaders);
  INFO(plan);
  CHECK(plan.find("reader_keys_by_kind") != std::string::npos);
  CHECK(plan.find("SCAN k") == std::string::npos);
}
