// Schema 12 (issue 13, item 6): retention. A database of schema 10 (11 is
// another branch's and needs nothing here) keeps its channels and cases;
// every channel keeps closed cases five years unless set, and no case is
// marked purged.
#include <doctest/doctest.h>

#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/migrations.hpp"
#include "krasip/storage/purge_store.hpp"
#include "temp_dir.hpp"

using namespace krasip;
using krasip::test::TempDir;

namespace {
std::int64_t scalar(storage::Database& db, const char* sql) {
  auto st = db.prepare(sql);
  REQUIRE(st.step());
  return st.get_int(0);
}
std::span<const storage::Migration> up_to(int version) {
  const auto all = storage::krasip_migrations();
  std::size_t n = 0;
  while (n < all.size() && all[n].version <= version) ++n;
  return all.first(n);
}
}  // namespace

TEST_CASE("schema 12: channels keep closed cases five years unless set; nothing is purged by the migration") {
  TempDir dir("schema12");
  storage::Database db(dir.path() / "krasip.db", storage::OpenMode::read_write_create);
  db.exec("PRAGMA foreign_keys = ON");
  REQUIRE(storage::migrate(db, up_to(10)) == 10);
  db.exec("INSERT INTO reader_keys (id, kind, public_key, created_at) VALUES (7, 'reporter', zeroblob(32), 0)");
  db.exec("INSERT INTO cases (uid, case_number, fiscal_year, seq, code_hash, reporter_salt, reporter_key_id,"
          " category, status, has_identity, received_at, updated_at, channel_id, agency_id, agency_seq)"
          " VALUES (randomblob(16), 'C-2569-00001', 2569, 1, randomblob(32), x'01', 7, 'bribery', 'closed', 0,"
          " 1760000000, 1760000000, 1, 1, 1)");

  REQUIRE(storage::migrate(db, storage::krasip_migrations()) == storage::krasip_migrations().back().version);
  const auto c = storage::channel_store::find_by_slug(db, 1, "default");
  REQUIRE(c);
  CHECK(c->retention_days == 1826);
  CHECK(scalar(db, "SELECT count(*) FROM cases WHERE purged_at IS NULL AND closed_at IS NULL") == 1);

  // Closed (no status event: its updated_at counts) in 2025: expired only
  // once five years have passed, or at once with a retention of 0.
  CHECK(storage::purge_store::expired(db, 1760000000 + 1825 * 86400).empty());
  CHECK(storage::purge_store::expired(db, 1760000000 + 1826 * 86400).size() == 1);
  auto edited = *c;
  edited.retention_days = 0;
  storage::channel_store::update(db, edited, 1764300000);
  CHECK(storage::channel_store::find_by_id(db, c->id)->retention_days == 0);
  // Issue 20, item 4: the case ended before the channel's retention was
  // lowered keeps the retention it ended under (schema 18 took it), and the
  // deployment's floor holds whatever the channel says.
  CHECK(storage::purge_store::expired(db, 1760000000 + 1825 * 86400).empty());
  db.exec("UPDATE cases SET retention_days = NULL");
  CHECK(storage::purge_store::retention_floor(db) == 1825);
  CHECK(storage::purge_store::expired(db, 1760000000 + 1824 * 86400).empty());
  CHECK(storage::purge_store::expired(db, 1760000000 + 1825 * 86400).size() == 1);
  storage::purge_store::set_retention_floor(db, 0);
  const auto now = storage::purge_store::expired(db, 1760000000);
  REQUIRE(now.size() == 1);
  CHECK(now[0].case_number == "C-2569-00001");
  CHECK(now[0].channel_slug == "default");
  CHECK_THROWS(db.exec("UPDATE channels SET retention_days = -1"));
}
