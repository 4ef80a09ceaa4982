// Issue 20, item 7: a reporter replaces their tracking code (one a counter
// clerk wrote down). Every slot the reporter holds is wrapped again under
// the new code's keys in one transaction; the old code then answers as a
// number never issued, the new one opens everything, the identity still
// moves on a later escalation, and investigators' later replies reach it.
#include <doctest/doctest.h>

#include "agency_one.hpp"

#include <algorithm>
#include <future>
#include <map>

#include "cleaner_paths.hpp"
#include "krasip/cases/accounts/account_service.hpp"
#include "krasip/cases/accounts/reader_directory.hpp"
#include "krasip/cases/agencies/agency_setup.hpp"
#include "krasip/cases/agencies/channel_service.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/intake/complaint_input.hpp"
#include "krasip/cases/intake/intake_service.hpp"
#include "krasip/cases/reporter/code_replacement.hpp"
#include "krasip/cases/reporter/escalation_service.hpp"
#include "krasip/cases/reporter/followup_service.hpp"
#include "krasip/cases/reporter/reporter_access.hpp"
#include "krasip/cases/reporter/status_service.hpp"
#include "krasip/cases/triage/triage_service.hpp"
#include "krasip/crypto/tracking_code.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/write_queue.hpp"
#include "session_for.hpp"
#include "temp_dir.hpp"

using namespace krasip;
using namespace krasip::cases;

namespace {

constexpr std::int64_t kNow = 1764300000;
const std::string kPassword = "replace-code-test-password";
const std::string kReporterName = "นายผู้ร้อง เปลี่ยนรหัส";

struct Fixture {
  test::TempDir dir{"replace-code"};
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
  TriageService triage{pool, writer, audit, [] { return kNow + 600; }, Deadlines{}};
  EscalationService escalation{secrets, writer, audit, [] { return kNow + 3600; }};
  FollowUpService followups{secrets, pool, writer, dir.path() / "attachments", Limits{}, [] { return kNow; },
                            test::helper_config()};
  CodeReplacement replacement{secrets, writer};
  std::map<std::string, Session> sessions;
  std::string number;
  std::string code;

  Fixture() {
    const AccountService accounts(audit, crypto::PwhashLimits::interactive());
    const ChannelService channels(audit);
    writer.run([&](storage::Database& db) {
      for (const auto& [name, custodian] :
           std::vector<std::pair<std::string, bool>>{{"alice", false}, {"carol", true}, {"oscar", true}}) {
        accounts.add(db, test::agency_one(), {name, name, custodian, false, kPassword}, kNow);
      }
      ChannelSpec staff;
      staff.recipients = std::vector<std::string>{"admin", "alice", "carol"};
      staff.custodians = std::vector<std::string>{"admin", "carol"};
      channels.edit(db, test::agency_one(), "default", staff, kNow);
      ChannelSpec other;
      other.id = "second";
      other.name_th = "ช่องทางที่สอง";
      other.name_en = "Second channel";
      other.readers_th = other.readers_en = other.identity_readers_th = other.identity_readers_en = "oscar";
      other.recipients = std::vector<std::string>{"oscar"};
      other.custodians = std::vector<std::string>{"oscar"};
      channels.add(db, test::agency_one(), other, kNow);
    });
    for (const auto* name : {"alice", "carol", "oscar"}) sessions[name] = test::session_for(pool, name, kPassword);
    ComplaintInput c;
    c.category = "bribery";
    c.subject = {"นายสมชาย ตัวอย่าง", "หัวหน้าสำนักปลัด", "สำนักปลัด"};
    c.description = "เบิกค่าอาหารเกินจริง REPLACE-4411";
    c.channel = "default";
    Identity id;
    id.name = kReporterName;
    id.phone = "0895556677";
    c.identity = id;
    const auto receipt = intake.submit_and_wait(test::agency_one(), c);
    number = receipt.case_number;
    code = receipt.tracking_code;
  }

  const Session& as(const std::string& name) { return sessions.at(name); }

  void message(const std::string& with_code, const std::string& body) {
    std::promise<void> done;
    followups.post_reporter_message(with_code, body, [&](std::exception_ptr e, MessageReceipt) {
      e ? done.set_exception(e) : done.set_value();
    });
    done.get_future().get();
  }

  void upload(const std::string& with_code, const std::string& name, const std::string& data) {
    auto up = followups.begin_reporter_upload(with_code);
    up->begin_file(name);
    up->write({reinterpret_cast<const std::uint8_t*>(data.data()), data.size()});
    std::promise<void> done;
    up->finish([&](std::exception_ptr e, AttachmentEntry) { e ? done.set_exception(e) : done.set_value(); });
    up.reset();
    done.get_future().get();
  }

  ErrorCode lookup_refusal(const std::string& with_code) {
    try {
      (void)status.lookup(with_code);
    } catch (const CasePurged&) {
      FAIL("answered as purged");
    } catch (const CaseError& e) {
      return e.code();
    }
    FAIL("the code still opens the case");
    return ErrorCode::busy;
  }

  storage::CaseRow row() {
    auto db = pool.acquire();
    return *storage::case_store::find_by_number(*db, number);
  }

  std::int64_t audit_entries() {
    auto db = pool.acquire();
    auto st = db->prepare("SELECT count(*) FROM audit_log");
    REQUIRE(st.step());
    return st.get_int(0);
  }
};

bool says(const StatusView& v, const std::string& text) {
  return std::any_of(v.messages.begin(), v.messages.end(),
                     [&](const MessageView& m) { return m.body.find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE("replace code: the old code finds nothing, the new one opens every slot") {
  Fixture f;
  f.message(f.code, "ข้อมูลเพิ่มเติมจากผู้ร้อง BEFORE-REPLACE-1");
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
  pdf.resize(1000, 'P');  // as the follow-up tests' sample
  f.upload(f.code, "receipt.pdf", pdf);
  f.triage.reply(f.as("alice"), f.number, "ได้รับเรื่องแล้ว INVESTIGATOR-REPLY-1");
  const auto before = f.row();
  const auto audited = f.audit_entries();

  const auto replaced = f.replacement.replace(f.code);
  CHECK(replaced.case_number == f.number);
  REQUIRE(crypto::parse_tracking_code(replaced.tracking_code).code);
  CHECK(replaced.tracking_code != f.code);

  // The old code: a number never issued, not a deleted case.
  CHECK(f.lookup_refusal(f.code) == ErrorCode::unknown_code);
  {
    auto db = f.pool.acquire();
    CHECK_THROWS_AS(open_reporter_case(f.secrets, *db, f.code), CaseError);
  }
  CHECK_THROWS_AS(f.message(f.code, "ใช้รหัสเดิม"), CaseError);
  CHECK_THROWS_AS(f.replacement.replace(f.code), CaseError);

  // The new code: the complaint, both sides' messages, the file.
  const auto v = f.status.lookup(replaced.tracking_code);
  CHECK(v.case_number == f.number);
  CHECK(v.submission.at("description").as_string() == "เบิกค่าอาหารเกินจริง REPLACE-4411");
  CHECK(says(v, "BEFORE-REPLACE-1"));
  CHECK(says(v, "INVESTIGATOR-REPLY-1"));
  REQUIRE(v.attachments.size() == 1);
  CHECK(v.attachments[0].filename == "receipt.pdf");

  // Salt, hash and public key replaced; nothing audited, no time written.
  const auto after = f.row();
  CHECK(after.reporter_salt != before.reporter_salt);
  CHECK(after.reporter_key_id == before.reporter_key_id);
  CHECK(after.updated_at == before.updated_at);
  CHECK(f.audit_entries() == audited);
  {
    auto db = f.pool.acquire();
    auto st = db->prepare("SELECT public_key FROM reader_keys WHERE id = ?");
    st.bind(1, after.reporter_key_id);
    REQUIRE(st.step());
    const auto old_keys = ReporterKeys(f.secrets, before.reporter_salt, *crypto::parse_tracking_code(f.code).code);
    CHECK(st.get_blob(0) != old_keys.key_pair().public_key);
  }

  // What investigators send afterwards reaches the new code, and the new
  // code writes as the old one did.
  f.triage.reply(f.as("carol"), f.number, "ขอเอกสารเพิ่มเติม INVESTIGATOR-REPLY-2");
  f.message(replaced.tracking_code, "ส่งเอกสารแล้ว AFTER-REPLACE-2");
  const auto later = f.status.lookup(replaced.tracking_code);
  CHECK(says(later, "INVESTIGATOR-REPLY-2"));
  CHECK(says(later, "AFTER-REPLACE-2"));
  const auto d = f.triage.view(f.as("alice"), f.number);
  CHECK(std::any_of(d.messages.begin(), d.messages.end(),
                    [](const MessageView& m) { return m.body.find("AFTER-REPLACE-2") != std::string::npos; }));
}

TEST_CASE("replace code: the identity slot moves with it, so a later escalation still moves the identity") {
  Fixture f;
  const auto first = f.replacement.replace(f.code);
  const auto second = f.replacement.replace(first.tracking_code);
  CHECK(f.lookup_refusal(first.tracking_code) == ErrorCode::unknown_code);
  const auto r = f.escalation.escalate({second.tracking_code, "second", "ผู้รับเรื่องเกี่ยวข้องกับผู้ถูกร้อง", true});
  CHECK_FALSE(r.pending);
  CHECK(r.identity == IdentityMove::moved);
  CHECK(f.triage.reveal_identity(f.as("oscar"), f.number, "ต้องติดต่อผู้ร้องเพื่อสอบข้อเท็จจริง")
            .at("name")
            .as_string() == kReporterName);
  // The reporter's timeline shows the move, opened with the newest code.
  const auto v = f.status.lookup(second.tracking_code);
  REQUIRE(v.escalations.size() == 1);
  CHECK(v.escalations[0].to.slug == "second");
}

TEST_CASE("replace code: a mistyped or unknown code is refused and changes nothing") {
  Fixture f;
  const auto before = f.row();
  try {
    (void)f.replacement.replace("1234567-8901234-5678900");
    FAIL("accepted");
  } catch (const CaseError& e) {
    CHECK((e.code() == ErrorCode::malformed_code || e.code() == ErrorCode::unknown_code));
  }
  try {
    (void)f.replacement.replace(crypto::TrackingCode::generate().formatted());
    FAIL("accepted");
  } catch (const CaseError& e) {
    CHECK(e.code() == ErrorCode::unknown_code);
  }
  CHECK(f.row().reporter_salt == before.reporter_salt);
  CHECK(f.status.lookup(f.code).case_number == f.number);
}
