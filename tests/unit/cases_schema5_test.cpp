// Upgrading a database written before schema 5 (issue 9): reporter-side
// times truncated to the Bangkok day, plaintext reasons and details sealed
// once to the case's readers with nothing but their public keys.
#include <doctest/doctest.h>

#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/common/case_records.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/crypto/key_pair.hpp"
#include "krasip/crypto/secure_bytes.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/migrations.hpp"
#include "krasip/storage/triage_store.hpp"
#include "temp_dir.hpp"

using namespace krasip;
using krasip::test::TempDir;

namespace {

// 2025-11-28 10:20:00 Bangkok; that day's 00:00 is 37,200 s earlier.
constexpr std::int64_t kAt = 1764300000;
constexpr std::int64_t kDayStart = kAt - 37200;

std::int64_t scalar(storage::Database& db, const std::string& sql) {
  auto st = db.prepare(sql);
  REQUIRE(st.step());
  return st.get_int(0);
}

void add_user(storage::Database& db, std::int64_t id, const std::string& name, std::int64_t key_id) {
  db.exec("INSERT INTO users (id, username, display_name, key_id, wrap_salt, wrap_nonce, wrapped_secret,"
          " pwhash_ops, pwhash_mem, created_at) VALUES (" +
          std::to_string(id) + ", '" + name + "', '" + name + "', " + std::to_string(key_id) +
          ", X'00', X'00', X'00', 1, 1, 0)");
}

}  // namespace

TEST_CASE("schema 5: an old database keeps the day of reporter times and gets its plaintext sealed") {
  TempDir dir("schema5");
  storage::Database db(dir.path() / "krasip.db", storage::OpenMode::read_write_create);
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA secure_delete = ON");
  REQUIRE(storage::migrate(db, storage::krasip_migrations().first(4)) == 4);
  // audit verify reads a database not yet migrated (read-only): it must cope.
  const crypto::SecureBytes pepper(32);
  CHECK(cases::AuditLog(pepper).verify(db, cases::AgencyScope::of(storage::AgencyRow{})).intact);

  const auto recovery = crypto::KeyPair::generate();
  const auto investigator = crypto::KeyPair::generate();
  const auto named = crypto::KeyPair::generate();
  const auto reporter = crypto::KeyPair::generate();
  const auto rec_id = storage::key_store::insert_reader_key(db, "recovery", recovery.public_key, 0);
  const auto inv_id = storage::key_store::insert_reader_key(db, "investigator", investigator.public_key, 0);
  const auto named_id = storage::key_store::insert_reader_key(db, "investigator", named.public_key, 0);
  const auto rep_id = storage::key_store::insert_reader_key(db, "reporter", reporter.public_key, kAt);
  add_user(db, 1, "nok_investigator", inv_id);
  add_user(db, 2, "wichai_named", named_id);
  const std::string t = std::to_string(kAt);
  const std::string later = std::to_string(kAt + 3 * 86400 + 123);  // an investigator's change
  db.exec("INSERT INTO cases (id, uid, case_number, fiscal_year, seq, code_hash, reporter_salt,"
          " reporter_key_id, category, status, has_identity, received_at, updated_at) VALUES"
          " (1, X'00112233445566778899aabbccddeeff', 'NH-2569-00001', 2569, 1, zeroblob(32), X'00', " +
          std::to_string(rep_id) + ", 'bribery', 'received', 0, " + t + ", " + t + "),"
          " (2, X'ffeeddccbbaa99887766554433221100', 'NH-2569-00002', 2569, 2, X'" + std::string(64, '1') +
          "', X'00', " + std::to_string(rep_id) + ", 'bribery', 'acknowledged', 0, " + t + ", " + later + ")");
  db.exec("INSERT INTO case_counts VALUES (2569, 11, 'bribery', 'received', 1), (2569, 11, 'bribery', 'acknowledged', 1)");
  db.exec("INSERT INTO envelopes (id, case_id, field, nonce, ciphertext, created_at) VALUES"
          " (1, 1, 'complaint', X'00', X'00', " + t + "), (2, 1, 'message:aa', X'00', X'00', " + t + "),"
          " (3, 1, 'note:bb', X'00', X'00', " + later + ")");
  for (const auto k : {rec_id, inv_id, rep_id}) {
    db.exec("INSERT INTO envelope_keys VALUES (1, " + std::to_string(k) + ", X'00')");
  }
  db.exec("INSERT INTO messages (case_id, at, author, envelope_id) VALUES (1, " + t + ", 'reporter', 2)");
  db.exec("INSERT INTO notes (case_id, at, author_user_id, envelope_id) VALUES (1, " + later + ", 1, 3)");
  db.exec("INSERT INTO case_events (case_id, at, kind, status, visible_to_reporter) VALUES"
          " (1, " + t + ", 'status', 'received', 1)");
  db.exec("INSERT INTO case_events (case_id, at, kind, visible_to_reporter, actor_user_id, detail) VALUES"
          " (1, " + later + ", 'exclusion', 0, 1, 'wichai_named')");
  db.exec("INSERT INTO case_exclusions (case_id, user_id, reason, excluded_by, at) VALUES"
          " (1, 2, 'LEGACY-REASON-7781 ญาติ', 1, " + later + ")");

  REQUIRE(storage::migrate(db, storage::krasip_migrations()) == storage::krasip_migrations().back().version);

  // Reporter-side times: the day. Investigator-side ones: untouched.
  CHECK(scalar(db, "SELECT received_at FROM cases WHERE id = 1") == kDayStart);
  CHECK(scalar(db, "SELECT updated_at FROM cases WHERE id = 1") == kDayStart);  // never changed
  CHECK(scalar(db, "SELECT received_at FROM cases WHERE id = 2") == kDayStart);
  CHECK(scalar(db, "SELECT updated_at FROM cases WHERE id = 2") == kAt + 3 * 86400 + 123);
  CHECK(scalar(db, "SELECT at FROM messages") == kDayStart);
  CHECK(scalar(db, "SELECT created_at FROM envelopes WHERE field = 'complaint'") == kDayStart);
  CHECK(scalar(db, "SELECT created_at FROM envelopes WHERE field = 'message:aa'") == kDayStart);
  CHECK(scalar(db, "SELECT created_at FROM envelopes WHERE field = 'note:bb'") == kAt + 3 * 86400 + 123);
  CHECK(scalar(db, "SELECT created_at FROM reader_keys WHERE kind = 'reporter'") == kDayStart);
  CHECK(scalar(db, "SELECT at FROM case_events WHERE status = 'received'") == kDayStart);
  CHECK(scalar(db, "SELECT at FROM notes") == kAt + 3 * 86400 + 123);
  // The statistics, by fiscal year and Bangkok month, are the same.
  CHECK(scalar(db, "SELECT count(*) FROM case_counts WHERE fiscal_year = 2569 AND month = 11 AND n = 1") == 2);
  CHECK(cases::fiscal_year_be(kDayStart) == 2569);

  // The one-time step at start-up seals the plaintext with public keys only.
  CHECK(cases::seal_plaintext_details(db) == 2);
  CHECK(scalar(db, "SELECT count(*) FROM case_exclusions WHERE reason <> ''") == 0);
  CHECK(scalar(db, "SELECT count(*) FROM case_events WHERE detail IS NOT NULL") == 0);
  CHECK(cases::seal_plaintext_details(db) == 0);  // done once

  const auto c = storage::case_store::find_by_id(db, 1);
  REQUIRE(c);
  for (const auto& [key, key_id] : {std::pair{&investigator, inv_id}, std::pair{&recovery, rec_id}}) {
    const auto events = storage::triage_store::events(db, 1, key_id);
    REQUIRE(events.size() == 2);
    CHECK(cases::open_detail(events[1].sealed_detail, *c, *key) == "wichai_named");
    const auto x = storage::triage_store::exclusions(db, 1, key_id);
    REQUIRE(x.size() == 1);
    CHECK(x[0].reason.empty());
    CHECK(cases::open_detail(x[0].sealed_reason, *c, *key) == "LEGACY-REASON-7781 ญาติ");
  }
  // Not to the reporter, nor to the account named (it has no key to the case).
  CHECK_FALSE(storage::triage_store::events(db, 1, rep_id)[1].sealed_detail);
  CHECK_FALSE(storage::triage_store::exclusions(db, 1, named_id)[0].sealed_reason);
}
