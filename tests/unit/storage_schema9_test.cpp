// Schema 9 (issue 10, item 5): a database made by the previous release
// (schema 8) keeps its channels and their identity flag, and gains the
// outcome-confirmation flag (off) and the tables for identity requests and
// pending outcomes, empty.
#include <doctest/doctest.h>

#include "agency_one.hpp"

#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/errors.hpp"
#include "krasip/storage/migrations.hpp"
#include "temp_dir.hpp"

using namespace krasip;
using krasip::test::TempDir;

namespace {
std::int64_t scalar(storage::Database& db, const char* sql) {
  auto st = db.prepare(sql);
  REQUIRE(st.step());
  return st.get_int(0);
}
}  // namespace

TEST_CASE("schema 9: a schema-8 database keeps its channels; nothing awaits a second person") {
  TempDir dir("schema9");
  storage::Database db(dir.path() / "krasip.db", storage::OpenMode::read_write_create);
  db.exec("PRAGMA foreign_keys = ON");
  REQUIRE(storage::migrate(db, storage::krasip_migrations().first(8)) == 8);
  db.exec("UPDATE channels SET identity_two_person = 1 WHERE slug = 'default'");

  REQUIRE(storage::migrate(db, storage::krasip_migrations()) == storage::krasip_migrations().back().version);
  const auto c = storage::channel_store::find_by_slug(db, 1, "default");
  REQUIRE(c);
  CHECK(c->identity_two_person);
  CHECK_FALSE(c->outcome_needs_confirmation);
  CHECK(scalar(db, "SELECT count(*) FROM identity_requests") == 0);
  CHECK(scalar(db, "SELECT count(*) FROM pending_outcomes") == 0);

  // The flag is stored and read back; only 0 or 1.
  auto edited = *c;
  edited.outcome_needs_confirmation = true;
  storage::channel_store::update(db, edited, 1764300000);
  CHECK(storage::channel_store::find_by_id(db, c->id)->outcome_needs_confirmation);
  CHECK_THROWS(db.exec("UPDATE channels SET outcome_needs_confirmation = 2"));
  CHECK_THROWS(db.exec("INSERT INTO identity_requests (case_id, requested_by, reason_envelope_id, at, state)"
                       " VALUES (1, 1, 1, 0, 'maybe')"));
}
