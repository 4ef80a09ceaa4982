// The writer connection, schema migrations and transactions.
#include <doctest/doctest.h>

#include <array>
#include <string>

#include "krasip/storage/database.hpp"
#include "krasip/storage/errors.hpp"
#include "krasip/storage/migrations.hpp"
#include "krasip/storage/transaction.hpp"
#include "krasip/storage/write_queue.hpp"
#include "temp_dir.hpp"

using namespace krasip::storage;
using krasip::test::TempDir;

namespace {

std::string pragma_text(Database& db, const char* sql) {
  auto st = db.prepare(sql);
  REQUIRE(st.step());
  return st.get_text(0);
}

std::int64_t scalar(Database& db, const char* sql) {
  auto st = db.prepare(sql);
  REQUIRE(st.step());
  return st.get_int(0);
}

bool table_exists(Database& db, const std::string& name) {
  auto st = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
  st.bind(1, name);
  REQUIRE(st.step());
  return st.get_int(0) == 1;
}

}  // namespace

TEST_CASE("storage: open_writer creates the schema with durable WAL settings") {
  TempDir dir("migrations");
  auto db = open_writer(dir.path() / "krasip.db");
  CHECK(pragma_text(db, "PRAGMA journal_mode") == "wal");
  CHECK(scalar(db, "PRAGMA synchronous") == 2);  // FULL
  CHECK(scalar(db, "PRAGMA foreign_keys") == 1);
  CHECK(scalar(db, "PRAGMA secure_delete") == 1);
  CHECK(schema_version(db) == krasip_migrations().back().version);
  for (const char* t : {"agencies", "reader_keys", "users", "cases", "envelopes", "envelope_keys",
                        "case_events", "messages", "schema_migrations"}) {
    INFO(t);
    CHECK(table_exists(db, t));
  }
  // A second connection (as after a restart) sees the same schema.
  Database ro(dir.path() / "krasip.db", OpenMode::read_only);
  CHECK(scalar(ro, "PRAGMA foreign_keys") == 1);
  CHECK(schema_version(ro) == krasip_migrations().back().version);
}

TEST_CASE("storage: migrate is idempotent") {
  TempDir dir("migrations");
  auto db = open_writer(dir.path() / "krasip.db");
  const int v = schema_version(db);
  CHECK(migrate(db, krasip_migrations()) == v);
  CHECK(migrate(db, krasip_migrations()) == v);
  CHECK(scalar(db, "SELECT count(*) FROM schema_migrations") ==
        static_cast<std::int64_t>(krasip_migrations().size()));
  // Reopening the writer does not re-run anything either.
  Database again = open_writer(dir.path() / "krasip.db");
  CHECK(schema_version(again) == v);
}

TEST_CASE("storage: a failing migration rolls back to the version before it") {
  TempDir dir("migrations");
  Database db(dir.path() / "test.db", OpenMode::read_write_create);
  const std::array good{Migration{1, "one", "CREATE TABLE one (id INTEGER PRIMARY KEY);"}};
  REQUIRE(migrate(db, good) == 1);

  const std::array with_bad{
      Migration{1, "one", "CREATE TABLE one (id INTEGER PRIMARY KEY);"},
      Migration{2, "two",
                "CREATE TABLE two (id INTEGER PRIMARY KEY);\n"
                "CREATE TABLE broken (id INTEGER PRIMARY KEY, oops NOT A VALID TYPE ));"},
  };
  CHECK_THROWS_AS(migrate(db, with_bad), StorageError);
  CHECK(schema_version(db) == 1);
  CHECK(table_exists(db, "one"));
  CHECK_FALSE(table_exists(db, "two"));  // first statement of the failed migration undone
  CHECK_FALSE(table_exists(db, "broken"));
  // The connection is usable afterwards: no transaction left open.
  db.exec("INSERT INTO one (id) VALUES (1)");
  CHECK(scalar(db, "SELECT count(*) FROM one") == 1);
}

TEST_CASE("storage: a transaction that is not committed leaves nothing behind") {
  TempDir dir("migrations");
  auto db = open_writer(dir.path() / "krasip.db");
  {
    Transaction tx(db);
    db.exec("INSERT INTO service_health (id, checked_at) VALUES (1, 42)");
    CHECK(scalar(db, "SELECT count(*) FROM service_health") == 1);
  }
  CHECK(scalar(db, "SELECT count(*) FROM service_health") == 0);
  {
    Transaction tx(db);
    db.exec("INSERT INTO service_health (id, checked_at) VALUES (1, 43)");
    tx.commit();
  }
  CHECK(scalar(db, "SELECT checked_at FROM service_health") == 43);
}

TEST_CASE("storage: a foreign key violation is refused") {
  TempDir dir("migrations");
  auto db = open_writer(dir.path() / "krasip.db");
  // envelope for a case that does not exist
  auto st = db.prepare(
      "INSERT INTO envelopes (case_id, field, nonce, ciphertext, created_at)"
      " VALUES (999, 'complaint', x'00', x'00', 0)");
  CHECK_THROWS_AS(st.run(), ConstraintViolation);
  CHECK(scalar(db, "SELECT count(*) FROM envelopes") == 0);
  // CHECK constraints are refused the same way.
  CHECK_THROWS_AS(db.exec("INSERT INTO reader_keys (kind, public_key, created_at)"
                          " VALUES ('reporter', x'0011', 0)"),
                  ConstraintViolation);
}

TEST_CASE("storage: a read snapshot sees one moment, and ends with its scope") {
  TempDir dir("snapshot");
  auto writer = open_writer(dir.path() / "k.db");
  writer.exec("CREATE TABLE t (v INTEGER)");
  writer.exec("INSERT INTO t VALUES (1)");
  Database reader(dir.path() / "k.db", OpenMode::read_only);
  {
    const ReadSnapshot snapshot(reader);
    CHECK(scalar(reader, "SELECT count(*) FROM t") == 1);
    writer.exec("INSERT INTO t VALUES (2)");  // committed while the snapshot is open
    CHECK(scalar(reader, "SELECT count(*) FROM t") == 1);
  }
  CHECK(scalar(reader, "SELECT count(*) FROM t") == 2);
  // Nothing pins the WAL any more: a full checkpoint is not blocked (busy = 0).
  CHECK(scalar(writer, "PRAGMA wal_checkpoint(TRUNCATE)") == 0);
}
