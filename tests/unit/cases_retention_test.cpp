// Issue 21, item 5: a purge leaves nothing that dates or names. A purged
// case's code answers "purged" through the grace and then as a code never
// issued; its case.purge entry says nothing in clear, and only the case's
// readers (and the recovery key) open it; every purge is journaled, and an
// older copy of the database purges again what the journal names.
#include <doctest/doctest.h>

#include "agency_one.hpp"

#include <algorithm>
#include <fstream>

#include "krasip/cases/accounts/account_service.hpp"
#include "krasip/cases/accounts/reader_directory.hpp"
#include "krasip/cases/agencies/agency_setup.hpp"
#include "krasip/cases/agencies/channel_service.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/cases/intake/complaint_input.hpp"
#include "krasip/cases/intake/intake_service.hpp"
#include "krasip/cases/reporter/status_service.hpp"
#include "krasip/cases/retention/purge_journal.hpp"
#include "krasip/cases/retention/purge_service.hpp"
#include "krasip/cases/triage/triage_service.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/storage/backup.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/purge_store.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/write_queue.hpp"
#include "session_for.hpp"
#include "temp_dir.hpp"

using namespace krasip;
using namespace krasip::cases;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kNow = 1764300000;  // 2025-11-28 10:20 Bangkok
constexpr std::int64_t kDay = 86400;
// Announced at kNow, purged 40 days on (14 days' notice, 30 days' quiet).
constexpr std::int64_t kPurgedAt = kNow + 40 * kDay;
const std::string kPassword = "retention-test-password";

struct Fixture {
  test::TempDir dir{"retention"};
  DataPaths paths = DataPaths::in(dir.path() / "data");
  InitResult init = initialise_agency(paths, demo_agency(), FirstCustodian{"admin", "Admin"},
                                      crypto::PwhashLimits::interactive());
  ServerSecrets secrets = ServerSecrets::load(paths.pepper_file);
  storage::WriteQueue writer{paths.database};
  storage::ReaderPool pool{paths.database};
  AuditLog audit{secrets.pepper};
  ReaderDirectory readers{pool};
  IntakeService intake{secrets, readers, writer, [] { return kNow; }};
  StatusService status{secrets, pool, [] { return kNow; }};
  TriageService triage{pool, writer, audit, [] { return kNow; }, Deadlines{}};
  PurgeJournal journal{secrets.pepper, paths.purge_journal};
  PurgeService purge{audit, journal, paths.data_dir / "attachments"};
  std::string number;
  std::string code;
  std::string kept_code;  // a case that stays open

  Fixture() {
    const AccountService accounts(audit, crypto::PwhashLimits::interactive());
    const ChannelService channels(audit);
    writer.run([&](storage::Database& db) {
      // alice administers and reads the channel; dana administers only.
      accounts.add(db, test::agency_one(), {"alice", "alice", false, true, kPassword}, kNow);
      accounts.add(db, test::agency_one(), {"dana", "dana", false, true, kPassword}, kNow);
      ChannelSpec staff;
      staff.recipients = std::vector<std::string>{"admin", "alice"};
      staff.custodians = std::vector<std::string>{"admin"};
      channels.edit(db, test::agency_one(), "default", staff, kNow);
    });
    number = file(&code);
    (void)file(&kept_code);
    writer.run([&](storage::Database& db) {
      db.exec("UPDATE deployment_settings SET retention_floor_days = 0");
      db.exec("UPDATE channels SET retention_days = 0");
      auto st = db.prepare("UPDATE cases SET status = 'closed' WHERE case_number = ?");
      st.bind(1, number);
      st.run();
    });
    auto db = storage::open_writer(paths.database);
    REQUIRE(purge.announce(db, kNow) == 1);
  }

  std::string file(std::string* tracking_code) {
    ComplaintInput c;
    c.category = "bribery";
    c.subject = {"นายสมชาย ตัวอย่าง", "หัวหน้าสำนักปลัด", "สำนักปลัด"};
    c.description = "เบิกค่าอาหารเกินจริง RETENTION-5521";
    c.channel = "default";
    const auto receipt = intake.submit_and_wait(test::agency_one(), c);
    *tracking_code = receipt.tracking_code;
    return receipt.case_number;
  }

  // The daily run at `at`, as `krasipd purge` does it.
  std::size_t run_purge(std::int64_t at, std::int64_t* dropped = nullptr) {
    auto db = storage::open_writer(paths.database);
    std::size_t n = 0;
    for (const auto& c : purge.expired(db, at)) n += purge.purge(db, c, at) ? 1 : 0;
    const auto d = PurgeService::drop_codes(db, at);
    if (dropped != nullptr) *dropped = d;
    return n;
  }

  // What the reporter is told: "purged" (with the date), or the refusal.
  std::string answer(const std::string& with_code) {
    try {
      const auto v = status.lookup(with_code);
      return v.purged_at ? "purged on " + iso_date_bangkok(*v.purged_at) : "the case (" + v.status + ")";
    } catch (const CaseError& e) {
      return to_string(e.code());
    }
  }

  std::vector<storage::AuditRow> purge_entries(const std::string& who) {
    const auto s = test::session_for(pool, who, kPassword);
    auto rows = triage.audit_entries(s, std::nullopt, 1, 200);
    rows.erase(std::remove_if(rows.begin(), rows.end(), [](const auto& r) { return r.action != "case.purge"; }),
               rows.end());
    return rows;
  }
};

}  // namespace

TEST_CASE("retention: a purged case's code answers \"purged\" through the grace, then as a code never issued") {
  Fixture f;
  CHECK(f.answer(f.code) == "the case (closed)");
  CHECK(f.run_purge(kPurgedAt) == 1);
  const std::string told = "purged on " + iso_date_bangkok(kPurgedAt);
  CHECK(f.answer(f.code) == told);

  auto db = storage::open_writer(f.paths.database);
  CHECK(storage::purge_store::purged_code_grace(db) == 365);
  // The last day of the grace: still "purged", nothing dropped.
  std::int64_t dropped = -1;
  CHECK(f.run_purge(kPurgedAt + 364 * kDay, &dropped) == 0);
  CHECK(dropped == 0);
  CHECK(f.answer(f.code) == told);
  // A year on: the code's hash is gone, and the code answers exactly as one
  // never issued; the open case's code is untouched.
  CHECK(f.run_purge(kPurgedAt + 365 * kDay, &dropped) == 0);
  CHECK(dropped == 1);
  CHECK(f.answer(f.code) == "unknown_code");
  CHECK(f.answer(f.kept_code) == "the case (received)");
  // Once: the next run finds nothing more to drop.
  CHECK(f.run_purge(kPurgedAt + 366 * kDay, &dropped) == 0);
  CHECK(dropped == 0);
  // The tombstone stays (numbers are not given out again).
  auto st = db.prepare("SELECT count(*) FROM cases WHERE case_number = ? AND purged_at IS NOT NULL");
  st.bind(1, f.number);
  REQUIRE(st.step());
  CHECK(st.get_int(0) == 1);

  SUBCASE("the grace is the deployment's setting, within its bounds") {
    CHECK_THROWS(db.exec("UPDATE deployment_settings SET purged_code_grace_days = 29"));
    CHECK_THROWS(db.exec("UPDATE deployment_settings SET purged_code_grace_days = 3651"));
  }
}

TEST_CASE("retention: a shorter grace drops the code sooner") {
  Fixture f;
  {
    auto db = storage::open_writer(f.paths.database);
    storage::purge_store::set_purged_code_grace(db, 30);
  }
  CHECK(f.run_purge(kPurgedAt) == 1);
  std::int64_t dropped = -1;
  f.run_purge(kPurgedAt + 29 * kDay, &dropped);
  CHECK(dropped == 0);
  CHECK(f.answer(f.code).rfind("purged on ", 0) == 0);
  f.run_purge(kPurgedAt + 30 * kDay, &dropped);
  CHECK(dropped == 1);
  CHECK(f.answer(f.code) == "unknown_code");
}

TEST_CASE("retention: the case.purge entry says nothing in clear; its readers open it; the chain verifies") {
  Fixture f;
  CHECK(f.run_purge(kPurgedAt) == 1);

  // dana administers the agency but never read the case: she sees that a
  // purge happened, and nothing that names or dates the case.
  const auto hers = f.purge_entries("dana");
  REQUIRE(hers.size() == 1);
  CHECK(hers[0].detail.empty());
  CHECK_FALSE(hers[0].case_number.has_value());
  CHECK_FALSE(hers[0].case_id.has_value());
  CHECK(hers[0].detail.find(f.number) == std::string::npos);
  // alice read it: the sealed detail opens for her.
  const auto alices = f.purge_entries("alice");
  REQUIRE(alices.size() == 1);
  CHECK(alices[0].detail.find("case_number=" + f.number) != std::string::npos);
  CHECK(alices[0].detail.find("outcome=closed") != std::string::npos);

  auto db = storage::open_writer(f.paths.database);
  // In the database, the clear part is the action alone.
  auto st = db.prepare("SELECT detail, case_id IS NULL FROM audit_log WHERE action = 'case.purge'");
  REQUIRE(st.step());
  CHECK(st.get_text(0).empty());
  CHECK(st.get_int(1) == 1);
  // Sealed to the case's readers as they were (admin, alice) and the
  // recovery key; not to dana.
  auto keys = db.prepare(
      "SELECT k.kind, COALESCE(u.username, '') FROM audit_log a JOIN envelope_keys e ON e.envelope_id = a.detail_envelope_id"
      " JOIN reader_keys k ON k.id = e.reader_key_id LEFT JOIN users u ON u.key_id = k.id"
      " WHERE a.action = 'case.purge' ORDER BY 1, 2");
  std::vector<std::string> holders;
  while (keys.step()) holders.push_back(keys.get_text(0) + ":" + keys.get_text(1));
  CHECK(holders == std::vector<std::string>{"investigator:admin", "investigator:alice", "recovery:"});

  const auto v = f.audit.verify(db, test::agency_one());
  CHECK(v.intact);
  CHECK(v.entries > 3);
}

TEST_CASE("retention: every purge is journaled; an older copy purges again what the journal names, once") {
  Fixture f;
  // The copy made before the purge (the nightly backup).
  const fs::path backups = f.dir.path() / "backups";
  const auto copy = storage::backup::create(f.paths.database, f.paths.data_dir / "attachments", backups);
  CHECK(f.run_purge(kPurgedAt) == 1);

  // One line: a keyed name (not the uid, not the case number) and the day.
  const std::string text = test::read_all(f.paths.purge_journal);
  CHECK(text.rfind(std::string(PurgeJournal::kHeader) + "\n", 0) == 0);
  const auto entries = PurgeJournal::read(f.paths.purge_journal);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].day == bangkok_day_start(kPurgedAt));
  CHECK(text.find(f.number) == std::string::npos);
  {
    auto db = storage::open_writer(f.paths.database);
    const auto uid = storage::case_store::find_by_number(db, f.number)->uid;
    CHECK(text.find(crypto::to_hex(uid)) == std::string::npos);
    CHECK(entries[0].name == f.journal.name_of(uid));
  }

  // The copy restored elsewhere still holds the case whole; the journal's
  // replay purges it as of the day it was purged, and only it.
  const DataPaths restored = DataPaths::in(f.dir.path() / "restored");
  fs::create_directories(restored.data_dir);
  storage::backup::restore(copy.folder, restored.database, restored.data_dir / "attachments");
  const PurgeService replay(f.audit, f.journal, restored.data_dir / "attachments");
  {
    auto db = storage::open_writer(restored.database);
    CHECK_FALSE(storage::purge_store::purged_at(db, storage::case_store::find_by_number(db, f.number)->id));
    CHECK(replay.purge_again(db, entries, kPurgedAt + 3 * kDay) == 1);
    const auto row = storage::case_store::find_by_number(db, f.number);
    CHECK(storage::purge_store::purged_at(db, row->id) == bangkok_day_start(kPurgedAt));
    CHECK(storage::purge_store::expired(db, kPurgedAt + 3 * kDay).empty());
    // Again: nothing more.
    CHECK(replay.purge_again(db, entries, kPurgedAt + 3 * kDay) == 0);
    CHECK(f.audit.verify(db, test::agency_one()).intact);
  }
  storage::ReaderPool restored_pool{restored.database};
  StatusService restored_status{f.secrets, restored_pool, [] { return kPurgedAt; }};
  const auto v = restored_status.lookup(f.code);
  REQUIRE(v.purged_at);
  CHECK(iso_date_bangkok(*v.purged_at) == iso_date_bangkok(kPurgedAt));
  CHECK(restored_status.lookup(f.kept_code).status == "received");

  SUBCASE("a copy restored after the grace: the code is dropped at once") {
    const DataPaths later = DataPaths::in(f.dir.path() / "later");
    fs::create_directories(later.data_dir);
    storage::backup::restore(copy.folder, later.database, later.data_dir / "attachments");
    const PurgeService late(f.audit, f.journal, later.data_dir / "attachments");
    auto db = storage::open_writer(later.database);
    CHECK(late.purge_again(db, entries, kPurgedAt + 400 * kDay) == 1);
    storage::ReaderPool later_pool{later.database};
    StatusService later_status{f.secrets, later_pool, [] { return kPurgedAt; }};
    try {
      (void)later_status.lookup(f.code);
      FAIL("the code still answers");
    } catch (const CaseError& e) {
      CHECK(e.code() == ErrorCode::unknown_code);
    }
  }
}

TEST_CASE("retention: the purge journal survives a torn line and refuses a damaged one, naming it") {
  test::TempDir dir("purge-journal");
  const auto pepper = crypto::SecureBytes::random(32);
  const fs::path file = dir.path() / "purge-journal";
  const PurgeJournal journal(pepper, file);
  CHECK_THROWS_WITH_AS(PurgeJournal::read(file), ("there is no purge journal at " + file.string()).c_str(),
                       PurgeJournalError);
  CHECK(journal.create_if_missing());
  CHECK_FALSE(journal.create_if_missing());
  CHECK(PurgeJournal::read(file).empty());
  CHECK((fs::status(file).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);

  const storage::Blob one(16, 1);
  const storage::Blob two(16, 2);
  journal.append(one, kNow);
  // A crash inside the next write: half a line, no newline. It is no purge
  // (the purge commits only after the line is on disk), and is cut off.
  {
    std::ofstream out(file, std::ios::app);
    out << "3f2a";
  }
  auto entries = PurgeJournal::read(file);
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].name == journal.name_of(one));
  journal.append(two, kNow + kDay);
  entries = PurgeJournal::read(file);
  REQUIRE(entries.size() == 2);
  CHECK(entries[1].name == journal.name_of(two));
  CHECK(entries[1].day == bangkok_day_start(kNow + kDay));
  // Another pepper names the same case otherwise.
  CHECK(PurgeJournal(crypto::SecureBytes::random(32), file).name_of(one) != journal.name_of(one));

  {
    std::ofstream out(file, std::ios::app);
    out << "not-a-name 2026-13-40\n";
  }
  CHECK_THROWS_WITH_AS(PurgeJournal::read(file),
                       ("the purge journal " + file.string() + " line 4 is damaged: 'not-a-name 2026-13-40'").c_str(),
                       PurgeJournalError);
  std::ofstream(dir.path() / "other") << "krasip-backup 1\n";
  CHECK_THROWS_WITH_AS(PurgeJournal::read(dir.path() / "other"),
                       ((dir.path() / "other").string() + " is not a Krasip purge journal").c_str(), PurgeJournalError);
}
