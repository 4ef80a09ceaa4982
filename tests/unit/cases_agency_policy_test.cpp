// Issue 11: an agency's own deadlines, categories and logo (agency_policy,
// agency_logo), and the case logic that follows them: the intake and
// re-categorisation refusing another agency's category, the case list's "overdue" by each case's
// agency, the status page's next step.
#include <doctest/doctest.h>

#include "agency_one.hpp"

#include <algorithm>
#include <atomic>

#include "krasip/cases/accounts/reader_directory.hpp"
#include "krasip/cases/agencies/agency_logo.hpp"
#include "krasip/cases/agencies/agency_policy.hpp"
#include "krasip/cases/agencies/agency_registry.hpp"
#include "krasip/cases/agencies/agency_setup.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/intake/intake_service.hpp"
#include "krasip/cases/triage/triage_service.hpp"
#include "krasip/crypto/password_wrap.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/write_queue.hpp"
#include "session_for.hpp"
#include "temp_dir.hpp"

using namespace krasip;
using namespace krasip::cases;

namespace {

storage::Blob bytes(std::initializer_list<int> b) {
  storage::Blob out;
  for (const int x : b) out.push_back(static_cast<std::uint8_t>(x));
  return out;
}
void append(storage::Blob& to, const std::string& s) { to.insert(to.end(), s.begin(), s.end()); }

// A PNG chunk (CRCs are not checked by the cleaner; zero here).
void chunk(storage::Blob& to, const std::string& type, const std::string& data) {
  const auto n = static_cast<std::uint32_t>(data.size());
  to.insert(to.end(), {static_cast<std::uint8_t>(n >> 24), static_cast<std::uint8_t>(n >> 16),
                       static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n)});
  append(to, type + data);
  to.insert(to.end(), {0, 0, 0, 0});
}

// A JPEG segment: marker and length-prefixed data.
void segment(storage::Blob& to, int marker, const std::string& data) {
  const auto n = data.size() + 2;
  to.insert(to.end(), {0xFF, static_cast<std::uint8_t>(marker), static_cast<std::uint8_t>(n >> 8),
                       static_cast<std::uint8_t>(n)});
  append(to, data);
}

bool contains(const storage::Blob& b, const std::string& s) {
  return std::search(b.begin(), b.end(), s.begin(), s.end()) != b.end();
}

CaseError refusal(const storage::Blob& logo) {
  try {
    (void)checked_logo(logo);
  } catch (const CaseError& e) {
    return e;
  }
  FAIL("accepted");
  return CaseError(ErrorCode::not_found, "");
}

}  // namespace

TEST_CASE("agency logo: PNG and JPEG keep the picture and lose their metadata; the rest is refused") {
  auto png = bytes({0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
  chunk(png, "IHDR", std::string(13, '\1'));
  chunk(png, "tEXt", std::string("Author\0Somchai", 14));
  chunk(png, "eXIf", "GPS 17.41N 102.78E");
  chunk(png, "IDAT", "pixels");
  chunk(png, "tIME", "2026");
  chunk(png, "IEND", "");
  const auto p = checked_logo(png);
  CHECK(p.type == "image/png");
  CHECK(contains(p.bytes, "IHDR"));
  CHECK(contains(p.bytes, "pixels"));
  CHECK(contains(p.bytes, "IEND"));
  CHECK_FALSE(contains(p.bytes, "Somchai"));
  CHECK_FALSE(contains(p.bytes, "GPS"));
  CHECK_FALSE(contains(p.bytes, "tIME"));
  CHECK(p.bytes.size() == png.size() - (12 + 14) - (12 + 18) - (12 + 4));

  auto jpeg = bytes({0xFF, 0xD8});
  segment(jpeg, 0xE0, std::string("JFIF\0\1\1", 7));
  segment(jpeg, 0xE1, std::string("Exif\0\0 Canon EOS GPS", 20));
  segment(jpeg, 0xFE, "made by Somchai");
  segment(jpeg, 0xDB, std::string(65, '\2'));
  segment(jpeg, 0xDA, std::string(10, '\3'));
  append(jpeg, "scan-data");
  jpeg.insert(jpeg.end(), {0xFF, 0xD9});
  const auto j = checked_logo(jpeg);
  CHECK(j.type == "image/jpeg");
  CHECK(contains(j.bytes, "JFIF"));
  CHECK(contains(j.bytes, "scan-data"));
  CHECK_FALSE(contains(j.bytes, "Canon"));
  CHECK_FALSE(contains(j.bytes, "Somchai"));

  storage::Blob svg;
  append(svg, "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>");
  CHECK(refusal(svg).field() == "logo");
  storage::Blob gif;
  append(gif, "GIF89a....");
  CHECK(std::string(refusal(gif).what()).find("PNG or JPEG") != std::string::npos);
  CHECK(std::string(refusal(storage::Blob(png.begin(), png.begin() + 30)).what()).find("cut short") !=
        std::string::npos);
  CHECK(std::string(refusal(storage::Blob(jpeg.begin(), jpeg.end() - 2)).what()).find("does not end") !=
        std::string::npos);
  auto big = png;
  big.resize(kMaxLogoBytes + 1);
  CHECK(std::string(refusal(big).what()).find("64 KiB") != std::string::npos);
}

TEST_CASE("agency policy: categories are codes of the catalog, deadlines in range and in order") {
  CHECK(categories_of(std::nullopt).size() == categories().size());
  const auto two = categories_of(std::string("service,bribery"));
  REQUIRE(two.size() == 2);
  CHECK(two[0].id == "service");
  CHECK(two[1].en == "Bribery or kickbacks");
  CHECK(offers_category(std::string("service,bribery"), "bribery"));
  CHECK_FALSE(offers_category(std::string("service,bribery"), "corruption"));
  CHECK_FALSE(offers_category(std::string("service,bribery"), "bri"));
  CHECK(offers_category(std::nullopt, "other"));
  CHECK_FALSE(offers_category(std::nullopt, "gossip"));

  CHECK(checked_categories({"other", "service"}) == "other,service");
  CHECK_THROWS_AS(checked_categories({}), CaseError);
  CHECK_THROWS_AS(checked_categories({"service", "gossip"}), CaseError);
  CHECK_THROWS_AS(checked_categories({"service", "service"}), CaseError);

  storage::AgencyRow a;
  a.ack_days = 3;
  a.reply_days = 10;
  CHECK_NOTHROW(check_deadline_days(a));
  const auto d = deadlines_of(a, Deadlines{7, 15, 90});
  CHECK(d.acknowledge_days == 3);
  CHECK(d.reply_days == 10);
  CHECK(d.outcome_days == 90);  // unset: the deployment's
  a.outcome_days = 5;
  CHECK_THROWS_AS(check_deadline_days(a), CaseError);
  a.outcome_days = 366;
  CHECK_THROWS_AS(check_deadline_days(a), CaseError);
  a.outcome_days = std::nullopt;
  a.ack_days = 0;
  CHECK_THROWS_AS(check_deadline_days(a), CaseError);
  a.ack_days = 11;
  CHECK_THROWS_AS(check_deadline_days(a), CaseError);

  const auto next = next_step("received", Deadlines{3, 10, 30});
  CHECK(next.en.find("within 3 days and reply within 10 days") != std::string::npos);
  CHECK(next.th.find("ภายใน 3 วัน") != std::string::npos);
  CHECK(next_step("investigating", Deadlines{3, 10, 30}).en.find("within 30 days") != std::string::npos);
}

TEST_CASE("agency policy: intake takes the agency's categories only; overdue follows each case's agency") {
  constexpr std::int64_t kNow = 1764300000;
  constexpr std::int64_t kDay = 86400;
  test::TempDir dir("agency-policy");
  const auto paths = DataPaths::in(dir.path() / "data");
  const auto init = initialise_agency(paths, demo_agency(), FirstCustodian{"admin", "Admin"},
                                      crypto::PwhashLimits::interactive());
  const auto secrets = ServerSecrets::load(paths.pepper_file);
  storage::WriteQueue writer{paths.database};
  storage::ReaderPool pool{paths.database};
  AuditLog audit{secrets.pepper};
  NewAgencyResult quick;
  storage::AgencyRow quick_row;
  writer.run([&](storage::Database& db) {
    NewAgency spec{"quick", "อบต.เร็ว", "Quick SAO", "QK", std::nullopt, {}, std::nullopt, std::nullopt};
    spec.ack_days = 3;
    spec.categories = std::vector<std::string>{"bribery"};
    quick = add_agency(db, audit, spec, kNow, crypto::PwhashLimits::interactive());
    quick_row = *storage::key_store::load_agency(db, quick.agency_id);
  });
  ReaderDirectory readers{pool};
  IntakeService intake{secrets, readers, writer, [] { return kNow; }};
  ComplaintInput c;
  c.category = "service";
  c.subject = {"นายสมชาย ตัวอย่าง", "ปลัด อบต.", "สำนักปลัด"};
  c.description = "ให้บริการล่าช้า POLICY-2231";
  try {
    intake.submit_and_wait(AgencyScope::of(quick_row), c);
    FAIL("another agency's category was taken");
  } catch (const CaseError& e) {
    CHECK(e.code() == ErrorCode::unknown_category);
    CHECK(e.field() == "category");
  }
  (void)intake.submit_and_wait(test::agency_one(), c);  // every category: the default
  c.category = "bribery";
  (void)intake.submit_and_wait(AgencyScope::of(quick_row), c);

  std::atomic<std::int64_t> now{kNow + 5 * kDay};
  TriageService triage{pool, writer, audit, [&now] { return now.load(); }, Deadlines{}};
  const auto admin = test::session_for(pool, "admin", init.custodian_password);
  const auto qadmin = test::session_for(pool, "quick-admin", quick.admin_password);
  CaseListQuery overdue;
  overdue.overdue = true;
  // Five days on: past Quick's three, within the deployment's seven.
  const auto q = triage.list(qadmin, overdue);
  REQUIRE(q.items.size() == 1);
  CHECK(q.items[0].deadlines.acknowledge_overdue);
  CHECK(q.items[0].deadlines.acknowledge_due == q.items[0].row.received_at + 3 * kDay);
  CHECK(triage.list(admin, overdue).items.empty());
  const auto all = triage.list(admin, {});
  REQUIRE(all.items.size() == 1);
  CHECK_FALSE(all.items[0].deadlines.acknowledge_overdue);
  CHECK(all.items[0].deadlines.acknowledge_due == all.items[0].row.received_at + 7 * kDay);
  now = kNow + 9 * kDay;
  CHECK(triage.list(admin, overdue).items.size() == 1);

  // Re-categorising follows the case's agency too: Quick's case offers
  // Quick's one category, and another is refused with nothing changed.
  const auto quick_number = q.items[0].row.case_number;
  const auto quick_case = triage.view(qadmin, quick_number);
  REQUIRE(quick_case.categories.size() == 1);
  CHECK(quick_case.categories[0].id == "bribery");
  CaseChanges to_service;
  to_service.category = "service";
  try {
    (void)triage.update(qadmin, quick_number, to_service);
    FAIL("a category Quick does not take was set");
  } catch (const CaseError& e) {
    CHECK(e.code() == ErrorCode::unknown_category);
    CHECK(e.field() == "category");
  }
  CHECK(triage.view(qadmin, quick_number).summary.row.category == "bribery");
  // Agency one takes every category, so its case may become any of them.
  const auto own_number = all.items[0].row.case_number;
  CHECK(triage.view(admin, own_number).categories.size() == categories_of(std::nullopt).size());
  CaseChanges to_procurement;
  to_procurement.category = "procurement";
  (void)triage.update(admin, own_number, to_procurement);
  CHECK(triage.view(admin, own_number).summary.row.category == "procurement");
}
