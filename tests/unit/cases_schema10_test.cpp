// Schema 10 (issue 11): a data folder of the previous release (schema 9)
// becomes agency 1 of a deployment of many, with nothing lost: its cases keep
// their numbers, attachments their rows, the audit chain verifies with the
// same head, and the next case continues that agency's numbering.
#include <doctest/doctest.h>

#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/crypto/key_pair.hpp"
#include "krasip/crypto/keyed_hash.hpp"
#include "krasip/crypto/secure_bytes.hpp"
#include "krasip/storage/audit_store.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/migrations.hpp"
#include "temp_dir.hpp"

using namespace krasip;
using krasip::test::TempDir;

namespace {

// 2025-11-28 10:20:00 Bangkok: fiscal year 2569, month 11.
constexpr std::int64_t kAt = 1764300000;

std::int64_t scalar(storage::Database& db, const std::string& sql) {
  auto st = db.prepare(sql);
  REQUIRE(st.step());
  return st.get_int(0);
}

std::string text(storage::Database& db, const std::string& sql) {
  auto st = db.prepare(sql);
  REQUIRE(st.step());
  return st.get_text(0);
}

// What the previous release wrote for a case: its row, complaint envelope,
// received event and counts (as case_store did at schema 9).
void old_case(storage::Database& db, int id, int fiscal_year, int seq, std::int64_t reporter_key) {
  const std::string n = std::to_string(id);
  char number[32];
  std::snprintf(number, sizeof number, "NH-%d-%05d", fiscal_year, seq);
  db.exec("INSERT INTO cases (id, uid, case_number, fiscal_year, seq, code_hash, reporter_salt,"
          " reporter_key_id, category, status, has_identity, received_at, updated_at, channel_id)"
          " VALUES (" + n + ", X'" + std::string(30, '0') + "0" + n + "', '" + number + "', " +
          std::to_string(fiscal_year) + ", " + std::to_string(seq) + ", X'" + std::string(62, '0') +
          "0" + n + "', X'00', " + std::to_string(reporter_key) + ", 'bribery', 'received', 0, " +
          std::to_string(kAt) + ", " + std::to_string(kAt) + ", 1)");
  db.exec("INSERT INTO envelopes (id, case_id, field, nonce, ciphertext, created_at) VALUES (" + n +
          ", " + n + ", 'complaint', X'00', X'0102', " + std::to_string(kAt) + ")");
  db.exec("INSERT INTO envelope_keys VALUES (" + n + ", " + std::to_string(reporter_key) + ", X'00')");
  db.exec("INSERT INTO case_counts VALUES (" + std::to_string(fiscal_year) +
          ", 11, 'bribery', 'received', 1) ON CONFLICT DO UPDATE SET n = n + 1");
  db.exec("INSERT INTO channel_counts VALUES (1, " + std::to_string(fiscal_year) +
          ", 11, 'bribery', 'received', 1) ON CONFLICT DO UPDATE SET n = n + 1");
}

}  // namespace

TEST_CASE("schema 10: a schema-9 data folder becomes agency 1 with nothing lost") {
  TempDir dir("schema10");
  storage::Database db(dir.path() / "krasip.db", storage::OpenMode::read_write_create);
  db.exec("PRAGMA foreign_keys = ON");
  REQUIRE(storage::migrate(db, storage::krasip_migrations().first(9)) == 9);

  // The previous release's init: its singleton agency, recovery key, an
  // administrator who receives the default channel, and audit entries.
  const crypto::SecureBytes pepper = crypto::SecureBytes::random(32);
  const cases::AuditLog audit(pepper);
  db.exec("INSERT INTO agency (id, name_th, name_en, case_prefix, created_at) VALUES"
          " (1, 'องค์การบริหารส่วนตำบลหนองไฮ', 'Nong Hai SAO', 'NH', " + std::to_string(kAt) + ")");
  const auto recovery = crypto::KeyPair::generate();
  const auto recovery_id = storage::key_store::insert_reader_key(db, "recovery", recovery.public_key, kAt);
  storage::NewUser admin{"admin", "Admin", true, true, crypto::KeyPair::generate().public_key,
                         {0}, {0}, {0}, 1, 1, kAt};
  const auto admin_id = storage::key_store::insert_user(db, admin);
  db.exec("INSERT INTO channel_members VALUES (1, " + std::to_string(admin_id) + ", 'recipient')");
  // The previous release's audit entries, in its form: ids counting up from
  // 1, the hash over (prev, id, at, actor, action, case, detail) keyed as
  // today, the chain starting from 32 zero bytes (agency 1's start today).
  const auto chain_key = crypto::derive_subkey(pepper, "krasip/audit-chain/v1");
  storage::Blob prev(32, 0);
  std::int64_t next_id = 1;
  const auto old_audit = [&](const cases::AuditEvent& e) {
    const auto num = [](std::optional<std::int64_t> v) { return v ? std::to_string(*v) : std::string("-"); };
    const std::string id = std::to_string(next_id), at = std::to_string(e.at);
    const std::string actor = num(e.actor_user_id), case_id = num(e.case_id);
    const auto hash = crypto::keyed_hash(
        chain_key, {prev, crypto::as_bytes(id), crypto::as_bytes(at), crypto::as_bytes(actor),
                    crypto::as_bytes(e.action), crypto::as_bytes(case_id), crypto::as_bytes(e.detail)});
    auto dst = db.prepare("INSERT INTO audit_log (id, at, actor_user_id, action, case_id, detail,"
                          " prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)");
    dst.bind(1, next_id).bind(2, e.at).bind(3, e.actor_user_id).bind(4, e.action).bind(5, e.case_id);
    dst.bind(6, e.detail).bind(7, prev).bind(8, hash);
    dst.run();
    prev = hash;
    ++next_id;
  };
  old_audit({kAt, std::nullopt, "agency.init", std::nullopt, ""});
  old_audit({kAt, admin_id, "user.add", std::nullopt, "admin"});

  // Three cases over two fiscal years, one with an attachment, all audited.
  for (int i = 1; i <= 3; ++i) {
    const auto rep = storage::key_store::insert_reader_key(db, "reporter",
                                                           crypto::KeyPair::generate().public_key, kAt);
    old_case(db, i, i == 3 ? 2570 : 2569, i == 3 ? 1 : i, rep);
    old_audit({kAt, std::nullopt, "case.received", i, ""});
  }
  db.exec("INSERT INTO envelopes (id, case_id, field, nonce, ciphertext, created_at) VALUES"
          " (10, 2, 'attachment:" + std::string(32, 'a') + "', X'00', X'03', " + std::to_string(kAt) + ")");
  db.exec("INSERT INTO attachments (case_id, uid, at, author, envelope_id, file_name, size_bytes) VALUES"
          " (2, X'" + std::string(32, 'a') + "', " + std::to_string(kAt) + ", 'reporter', 10, '" +
          std::string(32, 'a') + "', 1234)");
  old_audit({kAt + 60, admin_id, "case.view", 2, ""});
  const auto agency1 = cases::AgencyScope::of(storage::AgencyRow{});  // the one agency, id 1
  const auto before = audit.verify(db, agency1);
  REQUIRE(before.intact);
  REQUIRE(before.entries == 6);

  REQUIRE(storage::migrate(db, storage::krasip_migrations()) == storage::krasip_migrations().back().version);
  CHECK(scalar(db, "PRAGMA foreign_keys") == 1);  // restored after the rebuild

  // The agency is row 1 of agencies, its slug from its case prefix.
  const auto agency = storage::key_store::load_agency(db, 1);
  REQUIRE(agency);
  CHECK(agency->slug == "nh");
  CHECK(agency->case_prefix == "NH");
  CHECK(agency->name_th == "องค์การบริหารส่วนตำบลหนองไฮ");
  CHECK(scalar(db, "SELECT count(*) FROM sqlite_master WHERE name = 'agency'") == 0);

  // Cases: same numbers, agency 1, agency_seq = seq; nothing else moved.
  CHECK(scalar(db, "SELECT count(*) FROM cases") == 3);
  CHECK(text(db, "SELECT group_concat(case_number, ' ') FROM (SELECT case_number FROM cases ORDER BY id)") ==
        "NH-2569-00001 NH-2569-00002 NH-2570-00001");
  CHECK(scalar(db, "SELECT count(*) FROM cases WHERE agency_id = 1 AND agency_seq = seq") == 3);
  CHECK(scalar(db, "SELECT count(*) FROM envelopes") == 4);
  CHECK(scalar(db, "SELECT count(*) FROM envelope_keys") == 3);
  CHECK(scalar(db, "SELECT size_bytes FROM attachments WHERE case_id = 2") == 1234);
  CHECK(text(db, "SELECT file_name FROM attachments") == std::string(32, 'a'));

  // Accounts, channel and membership, recovery key: agency 1's.
  CHECK(scalar(db, "SELECT agency_id FROM users WHERE username = 'admin'") == 1);
  CHECK(scalar(db, "SELECT agency_id FROM channels WHERE slug = 'default'") == 1);
  CHECK(scalar(db, "SELECT count(*) FROM channel_members WHERE channel_id = 1") == 1);
  CHECK(scalar(db, "SELECT agency_id FROM reader_keys WHERE id = " + std::to_string(recovery_id)) == 1);
  CHECK(scalar(db, "SELECT count(*) FROM reader_keys WHERE kind != 'recovery' AND agency_id IS NOT NULL") == 0);

  // Statistics: the same counts, now agency 1's.
  CHECK(scalar(db, "SELECT n FROM case_counts WHERE agency_id = 1 AND fiscal_year = 2569") == 2);
  CHECK(scalar(db, "SELECT n FROM case_counts WHERE agency_id = 1 AND fiscal_year = 2570") == 1);
  CHECK(scalar(db, "SELECT n FROM channel_counts WHERE channel_id = 1 AND fiscal_year = 2569") == 2);

  // The audit chain: every entry agency 1's, intact, with the head published before.
  CHECK(scalar(db, "SELECT count(*) FROM audit_log WHERE agency_id = 1") == 6);
  const auto after = audit.verify(db, agency1);
  CHECK(after.intact);
  CHECK(after.entries == 6);
  CHECK(after.head_hash_hex == before.head_hash_hex);
  CHECK(after.head_id == before.head_id);

  // The next case continues agency 1's numbering of that fiscal year.
  storage::NewCase next;
  next.uid = storage::Blob(16, 0x77);
  next.fiscal_year = 2569;
  next.code_hash = storage::Blob(32, 0x77);
  next.reporter_salt = {0};
  next.reporter_public_key = crypto::KeyPair::generate().public_key;
  next.category = "bribery";
  next.received_at = kAt;
  next.channel_id = 1;
  CHECK(storage::case_store::insert_case(db, next) == "NH-2569-00003");

  // A second agency has its own prefix, numbering and 'default' channel.
  storage::key_store::insert_agency(db, {"อบต.สอง", "Second SAO", "SE", "second", 2}, kAt);
  db.exec("INSERT INTO channels (agency_id, slug, name_th, name_en, created_at, updated_at)"
          " VALUES (2, 'default', 'ช่องทาง', 'Complaints', 0, 0)");
  CHECK_THROWS(db.exec("INSERT INTO channels (agency_id, slug, name_th, name_en, created_at, updated_at)"
                       " VALUES (2, 'default', 'ซ้ำ', 'Again', 0, 0)"));
  next.uid = storage::Blob(16, 0x78);
  next.code_hash = storage::Blob(32, 0x78);
  next.reporter_public_key = crypto::KeyPair::generate().public_key;
  next.channel_id = scalar(db, "SELECT id FROM channels WHERE agency_id = 2");
  CHECK(storage::case_store::insert_case(db, next) == "SE-2569-00001");
  CHECK(scalar(db, "SELECT agency_id FROM cases WHERE case_number = 'SE-2569-00001'") == 2);
  CHECK(scalar(db, "SELECT n FROM case_counts WHERE agency_id = 2 AND fiscal_year = 2569") == 1);
  CHECK(scalar(db, "SELECT n FROM case_counts WHERE agency_id = 1 AND fiscal_year = 2569") == 3);
  // An agency's statistics count its own cases only.
  const auto sum = [](const std::vector<storage::CountRow>& rows) {
    std::int64_t n = 0;
    for (const auto& r : rows) n += r.n;
    return n;
  };
  CHECK(sum(storage::stats_store::counts(db, 1, 2569)) == 3);
  CHECK(sum(storage::stats_store::counts(db, 2, 2569)) == 1);
  CHECK(sum(storage::stats_store::counts(db, 2, 2570)) == 0);

  // Each agency its own audit chain: agency 2's entries (about its case, or
  // an operator's command naming it) leave agency 1's chain and head as they were.
  const auto second = storage::key_store::find_agency_by_slug(db, "second");
  REQUIRE(second);
  cases::AuditEvent op{kAt, std::nullopt, "agency.add", std::nullopt, ""};
  op.agency = cases::AgencyScope::of(*second);
  audit.append(db, op);
  audit.append(db, {kAt, std::nullopt, "case.received",
                    scalar(db, "SELECT id FROM cases WHERE case_number = 'SE-2569-00001'"), ""});
  audit.append(db, {kAt + 61, admin_id, "case.view", 1, ""});
  CHECK(scalar(db, "SELECT count(*) FROM audit_log WHERE agency_id = 2") == 2);
  const auto one = audit.verify(db, agency1);
  CHECK(one.intact);
  CHECK(one.entries == 7);
  const auto two = audit.verify(db, cases::AgencyScope::of(*second));
  CHECK(two.intact);
  CHECK(two.entries == 2);
  CHECK(two.head_hash_hex != one.head_hash_hex);
  // Agency 2's first entry does not start agency 1's chain: a chain moved to
  // another agency does not verify there.
  db.exec("DROP TRIGGER audit_log_no_update");
  storage::key_store::insert_agency(db, {"x", "x", "TH", "third", 3}, kAt);
  db.exec("UPDATE audit_log SET agency_id = 3 WHERE agency_id = 2");
  CHECK_FALSE(audit.verify(db, cases::AgencyScope::of(*storage::key_store::find_agency_by_slug(db, "third"))).intact);

  // Slugs and prefixes are unique in the deployment; a slug is [a-z0-9-]{2,40}.
  CHECK_THROWS(storage::key_store::insert_agency(db, {"x", "x", "SE", "fourth", 4}, kAt));
  CHECK_THROWS(storage::key_store::insert_agency(db, {"x", "x", "FO", "second", 4}, kAt));
  CHECK_THROWS(storage::key_store::insert_agency(db, {"x", "x", "FO", "Fourth", 4}, kAt));
}

TEST_CASE("schema 10: a one-letter case prefix gives the slug agency-1; an uninitialised database a placeholder") {
  TempDir dir("schema10b");
  {
    storage::Database db(dir.path() / "old.db", storage::OpenMode::read_write_create);
    REQUIRE(storage::migrate(db, storage::krasip_migrations().first(9)) == 9);
    db.exec("INSERT INTO agency VALUES (1, 'ก', 'A', 'C', 0)");
    REQUIRE(storage::migrate(db, storage::krasip_migrations()) == storage::krasip_migrations().back().version);
    CHECK(storage::key_store::load_agency(db, 1)->slug == "agency-1");
    CHECK(storage::key_store::load_agency(db, 1)->case_prefix == "C");
  }
  {
    // A database migrated before init: row 1 waits for init to name it, so
    // the default channel of schema 6 belongs to an agency.
    storage::Database db(dir.path() / "new.db", storage::OpenMode::read_write_create);
    REQUIRE(storage::migrate(db, storage::krasip_migrations()) == storage::krasip_migrations().back().version);
    CHECK(storage::key_store::load_agency(db, 1)->slug == "agency-1");
    storage::key_store::insert_agency(db, {"อบต.หนองไฮ", "Nong Hai", "NH"}, kAt);
    const auto a = storage::key_store::load_agency(db, 1);
    CHECK(a->slug == "nh");
    CHECK(a->name_en == "Nong Hai");
    CHECK(scalar(db, "SELECT count(*) FROM agencies") == 1);
  }
}
