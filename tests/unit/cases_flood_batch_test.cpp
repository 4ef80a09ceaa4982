// Issue 22: a flood's complaints are one batch for investigators. Without
// HTTP: the proof of work's meter says when the service is flooded, the
// intake files into the agency's batch of the day, and a reader is mailed
// once for the batch instead of once per complaint.
#include <doctest/doctest.h>

#include <ctime>
#include <string>

#include "agency_one.hpp"
#include "krasip/cases/agencies/agency_setup.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/accounts/reader_directory.hpp"
#include "krasip/cases/alerts/case_alerts.hpp"
#include "krasip/cases/common/proof_of_work.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/cases/intake/intake_service.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/mail_store.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/triage_store.hpp"
#include "krasip/storage/user_store.hpp"
#include "krasip/storage/write_queue.hpp"
#include "temp_dir.hpp"

using namespace krasip;
using namespace krasip::cases;
using P = ProofOfWork::Purpose;

namespace {
constexpr std::int64_t kNow = 1764300000;  // 2025-11-28 10:20 Bangkok

ComplaintInput complaint() {
  ComplaintInput c;
  c.category = "bribery";
  c.subject = {"นายสมปอง ใจร้าย", "ปลัด อบต.", "สำนักปลัด"};
  c.description = "เรียกรับเงินค่าออกใบอนุญาตก่อสร้าง 3,000 บาท";
  c.incident_date = "2025-11-20";
  return c;
}

// The sender, as if a batch time came after each complaint: everything due
// by 13:30 goes out at once, so the outbox's own folding of an unsent
// duplicate plays no part here.
constexpr std::int64_t kBatch = kNow + 4 * 3600;
int send_all(storage::WriteQueue& writer) {
  int sent = 0;
  writer.run([&sent](storage::Database& db) {
    for (const auto& m : storage::outbox_store::due(db, kBatch, 1000)) {
      storage::outbox_store::mark_sent(db, m.id, kNow);
      ++sent;
    }
  });
  return sent;
}
}  // namespace

TEST_CASE("flood: the meter counts a flood and its aftermath, with or without proofs asked") {
  for (const unsigned bits : {0U, 12U}) {
    ProofOfWork pow(ProofOfWork::Config{.base_bits = bits});
    const std::int64_t t = 1'000'000'020;
    for (int i = 0; i < 30; ++i) pow.attempt(P::submit, t);
    CHECK_FALSE(pow.in_flood(P::submit, t));  // the floor itself is calm
    pow.attempt(P::submit, t);
    CHECK(pow.in_flood(P::submit, t));
    CHECK_FALSE(pow.in_flood(P::status, t));
    // A pause under the floor is the same flood; ten calm minutes end it.
    CHECK(pow.in_flood(P::submit, t + 9 * 60));
    CHECK_FALSE(pow.in_flood(P::submit, t + 10 * 60 + 1));
  }
}

TEST_CASE("flood: complaints filed in a flood are one batch of the day, and a reader is mailed once for it") {
  test::TempDir dir("flood-batch");
  const auto paths = DataPaths::in(dir.path() / "data");
  initialise_agency(paths, demo_agency(), FirstCustodian{"admin", "Admin"}, crypto::PwhashLimits::interactive());
  const auto secrets = ServerSecrets::load(paths.pepper_file);
  storage::WriteQueue writer(paths.database);
  storage::ReaderPool pool(paths.database);
  std::int64_t user = 0;
  std::int64_t key = 0;
  {
    auto db = pool.acquire();
    const auto admin = storage::user_store::find_by_username(*db, "admin");
    REQUIRE(admin);
    user = admin->id;
    key = admin->key_id;
  }
  const storage::Blob token_hash(32, 7);
  writer.run([&](storage::Database& db) {
    storage::alert_prefs_store::set_pending_email(db, user, "admin@agency.example.go.th", token_hash, kNow + 3600,
                                                  kNow);
    REQUIRE(storage::alert_prefs_store::verify(db, token_hash, kNow));
  });
  ReaderDirectory readers(pool);
  IntakeService intake(secrets, readers, writer, [] { return kNow; });
  const CaseAlerts alerts(AlertComposer("https://complaints.example.go.th"));
  intake.set_alerts(&alerts);
  ProofOfWork pow(ProofOfWork::Config{.base_bits = 0});
  intake.set_flood_meter(&pow);

  // Calm: one mail a complaint.
  for (int i = 0; i < 2; ++i) {
    intake.submit_and_wait(test::agency_one(), complaint());
    CHECK(send_all(writer) == 1);
  }
  // A flood, in the wall clock the HTTP layer counts in.
  for (int i = 0; i < 31; ++i) pow.attempt(P::submit, std::time(nullptr));
  int mails = 0;
  std::string subject;
  for (int i = 0; i < 6; ++i) {
    intake.submit_and_wait(test::agency_one(), complaint());
    writer.run([&](storage::Database& db) {
      for (const auto& m : storage::outbox_store::due(db, kBatch, 1000)) subject = m.subject;
    });
    mails += send_all(writer);
  }
  CHECK(mails == 1);
  CHECK(subject.find("A flood of complaints") != std::string::npos);

  auto db = pool.acquire();
  storage::CaseFilter f;
  f.overdue_at = kNow;
  const auto batches = storage::triage_store::batch_summaries(*db, f, {1}, key, user, 30);
  REQUIRE(batches.size() == 1);
  CHECK(batches[0].cases == 6);
  CHECK(batches[0].open == 6);
  CHECK(batches[0].overdue == 0);
  CHECK(batches[0].day == bangkok_day_start(kNow));  // the day, as the cases' own
  f.without_batched = true;
  CHECK(storage::triage_store::list_cases(*db, f, {1}, key, user, 100, 0).size() == 2);
  f.without_batched = false;
  f.flood_batch_id = batches[0].id;
  CHECK(storage::triage_store::list_cases(*db, f, {1}, key, user, 100, 0).size() == 6);
  // The batch row holds the agency, the day and a random name: nothing else.
  auto st = db->prepare("SELECT count(*) FROM pragma_table_info('flood_batches')");
  REQUIRE(st.step());
  CHECK(st.get_int(0) == 4);
}
