// Issue 10, item 5: no one buries a case alone. Each governance rule driven
// through TriageService without HTTP: recusal, who may exclude whom, the
// second custodian's approval, the last custodian, lifting with re-sealed
// keys, and the outcome message a reporter is owed.
#include <doctest/doctest.h>

#include "agency_one.hpp"

#include <algorithm>
#include <map>

#include "krasip/cases/accounts/account_service.hpp"
#include "krasip/cases/agencies/agency_setup.hpp"
#include "krasip/cases/agencies/channel_service.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/intake/complaint_input.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/intake/intake_service.hpp"
#include "krasip/cases/accounts/reader_directory.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/reporter/status_service.hpp"
#include "krasip/cases/triage/triage_service.hpp"
#include "krasip/crypto/key_pair.hpp"
#include "krasip/crypto/password_wrap.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/triage_store.hpp"
#include "krasip/storage/user_store.hpp"
#include "krasip/storage/write_queue.hpp"
#include "session_for.hpp"
#include "temp_dir.hpp"

using namespace krasip;
using namespace krasip::cases;

namespace {

constexpr std::int64_t kNow = 1764300000;
const std::string kPassword = "governance-test-password";
const std::string kReason = "เป็นญาติกับผู้ถูกร้องเรียนโดยตรง";
const std::string kLiftReason = "ตรวจสอบแล้วไม่ได้เกี่ยวข้องกับเรื่องนี้";

ComplaintInput complaint() {
  ComplaintInput c;
  c.category = "bribery";
  c.subject = {"นายสมชาย ตัวอย่าง", "ปลัด อบต.", "สำนักปลัด"};
  c.description = "ปลัดเรียกรับเงินใต้โต๊ะจากผู้รับเหมาโครงการถนน หมู่ 4 GOVERNANCE-4411";
  c.incident_date = "2025-11-20";
  Identity id;
  id.name = "นางสาวผู้แจ้ง ทดสอบ";
  id.phone = "0891234567";
  c.identity = id;
  return c;
}

// The agency's first account "admin" is custodian and administrator.
// alice and erin are investigators, carol and cathy custodians, dave an
// administrator who is not a custodian. All exist before the complaint,
// so it is sealed to all of them.
struct Fixture {
  test::TempDir dir{"governance"};
  DataPaths paths = DataPaths::in(dir.path() / "data");
  InitResult init = initialise_agency(paths, demo_agency(), FirstCustodian{"admin", "Admin"},
                                      crypto::PwhashLimits::interactive());
  ServerSecrets secrets = ServerSecrets::load(paths.pepper_file);
  storage::WriteQueue writer{paths.database};
  storage::ReaderPool pool{paths.database};
  AuditLog audit{secrets.pepper};
  ReaderDirectory readers{pool};
  IntakeService intake{secrets, readers, writer, [] { return kNow; }};
  StatusService status{secrets, pool};
  TriageService triage{pool, writer, audit, [] { return kNow; }, Deadlines{}};
  std::map<std::string, Session> sessions;
  std::string number;
  std::string code;

  Fixture() {
    const AccountService accounts(audit, crypto::PwhashLimits::interactive());
    writer.run([&](storage::Database& db) {
      for (const auto& [name, custodian, admin] :
           std::vector<std::tuple<std::string, bool, bool>>{{"alice", false, false},
                                                            {"erin", false, false},
                                                            {"carol", true, false},
                                                            {"cathy", true, false},
                                                            {"dave", false, true}}) {
        accounts.add(db, test::agency_one(), {name, name, custodian, admin, kPassword}, kNow);
      }
    });
    for (const auto* name : {"admin", "alice", "erin", "carol", "cathy", "dave"}) {
      sessions[name] = login(name, std::string(name) == "admin" ? init.custodian_password : kPassword);
    }
    const auto receipt = intake.submit_and_wait(test::agency_one(), complaint());
    number = receipt.case_number;
    code = receipt.tracking_code;
  }

  Session login(const std::string& name, const std::string& password) {
    return test::session_for(pool, name, password);
  }

  const Session& as(const std::string& name) { return sessions.at(name); }

  bool can_view(const std::string& name) {
    try {
      (void)triage.view(as(name), number);
      return true;
    } catch (const CaseError& e) {
      REQUIRE(e.code() == ErrorCode::not_found);
      return false;
    }
  }

  template <typename F>
  ErrorCode refusal(F&& f) {
    try {
      f();
    } catch (const CaseError& e) {
      return e.code();
    }
    FAIL("accepted");
    return ErrorCode::busy;
  }

  // Marks the agency's one channel (where the complaint was filed).
  void set_channel(std::optional<bool> identity_two_person, std::optional<bool> outcome_needs_confirmation) {
    ChannelSpec spec;
    spec.identity_two_person = identity_two_person;
    spec.outcome_needs_confirmation = outcome_needs_confirmation;
    const ChannelService channels(audit);
    writer.run([&](storage::Database& db) { channels.edit(db, test::agency_one(), "default", spec, kNow); });
  }

  std::vector<std::string> audit_actions(const std::string& reader) {
    std::vector<std::string> out;
    for (const auto& e : triage.audit_entries(as(reader), number, 1, 200)) out.push_back(e.action + " " + e.detail);
    return out;
  }
};

bool any_starts_with(const std::vector<std::string>& v, const std::string& prefix) {
  return std::any_of(v.begin(), v.end(), [&](const std::string& s) { return s.rfind(prefix, 0) == 0; });
}

}  // namespace

TEST_CASE("anyone may recuse themselves, with or without a reason") {
  Fixture f;
  CHECK(f.triage.exclude(f.as("alice"), f.number, "alice", "") == ExclusionOutcome::excluded);
  CHECK_FALSE(f.can_view("alice"));
  CHECK(f.triage.exclude(f.as("erin"), f.number, "erin", "ขอถอนตัว") == ExclusionOutcome::excluded);
  CHECK_FALSE(f.can_view("erin"));

  const auto d = f.triage.view(f.as("carol"), f.number);
  REQUIRE(d.exclusions.size() == 2);
  CHECK(d.exclusions[0].username == "alice");
  CHECK(d.exclusions[0].excluded_by == d.exclusions[0].user_id);
  CHECK(d.exclusions[1].reason == "ขอถอนตัว");
  const auto audit = f.audit_actions("carol");
  CHECK(std::count_if(audit.begin(), audit.end(),
                      [](const std::string& a) { return a.rfind("case.recuse", 0) == 0; }) == 2);
  CHECK(any_starts_with(audit, "case.recuse user_id="));
}

TEST_CASE("excluding someone else needs a custodian or an administrator, and a reason") {
  Fixture f;
  // An investigator cannot exclude a colleague, not even another investigator.
  CHECK(f.refusal([&] { f.triage.exclude(f.as("alice"), f.number, "erin", kReason); }) == ErrorCode::forbidden);
  // Nor through PATCH's subject_user.
  CaseChanges named;
  named.subject_username = "erin";
  CHECK(f.refusal([&] { f.triage.update(f.as("alice"), f.number, named); }) == ErrorCode::forbidden);
  CHECK(f.can_view("erin"));
  // A custodian must give a reason of at least ten characters.
  CHECK(f.refusal([&] { f.triage.exclude(f.as("carol"), f.number, "erin", "ญาติ"); }) ==
        ErrorCode::invalid_field);
  CHECK(f.refusal([&] { f.triage.exclude(f.as("carol"), f.number, "erin", ""); }) == ErrorCode::missing_field);
  CHECK(f.can_view("erin"));
  // With one, an investigator's exclusion takes effect at once.
  CHECK(f.triage.exclude(f.as("carol"), f.number, "erin", kReason) == ExclusionOutcome::excluded);
  CHECK_FALSE(f.can_view("erin"));
  // An administrator who is not a custodian may too.
  CHECK(f.triage.exclude(f.as("dave"), f.number, "alice", kReason) == ExclusionOutcome::excluded);
  CHECK_FALSE(f.can_view("alice"));
  const auto d = f.triage.view(f.as("cathy"), f.number);
  REQUIRE(d.exclusions.size() == 2);  // same time: by account, alice first
  CHECK(d.exclusions[0].excluded_by_username == "dave");
  CHECK(d.exclusions[1].username == "erin");
  CHECK(d.exclusions[1].reason == kReason);
  CHECK(d.exclusions[1].excluded_by_username == "carol");
  CHECK(any_starts_with(f.audit_actions("cathy"), "case.exclude user_id="));
}

TEST_CASE("excluding a custodian or an administrator waits for a second custodian") {
  Fixture f;
  CHECK(f.triage.exclude(f.as("carol"), f.number, "cathy", kReason) == ExclusionOutcome::pending);
  // Until approved, nothing changes for cathy.
  CHECK(f.can_view("cathy"));
  auto d = f.triage.view(f.as("admin"), f.number);
  REQUIRE(d.exclusion_requests.size() == 1);
  CHECK(d.exclusion_requests[0].username == "cathy");
  CHECK(d.exclusion_requests[0].requested_by_username == "carol");
  CHECK(d.exclusion_requests[0].reason == kReason);
  CHECK(d.exclusions.empty());
  // Asking again changes nothing.
  CHECK(f.triage.exclude(f.as("carol"), f.number, "cathy", kReason) == ExclusionOutcome::pending);
  // Not the one who asked, not the one to be excluded, not a non-custodian.
  CHECK(f.refusal([&] { f.triage.approve_exclusion(f.as("carol"), f.number, "cathy"); }) == ErrorCode::forbidden);
  CHECK(f.refusal([&] { f.triage.approve_exclusion(f.as("cathy"), f.number, "cathy"); }) == ErrorCode::forbidden);
  CHECK(f.refusal([&] { f.triage.approve_exclusion(f.as("dave"), f.number, "cathy"); }) == ErrorCode::forbidden);
  CHECK(f.refusal([&] { f.triage.approve_exclusion(f.as("alice"), f.number, "cathy"); }) == ErrorCode::forbidden);
  CHECK(f.refusal([&] { f.triage.approve_exclusion(f.as("admin"), f.number, "erin"); }) ==
        ErrorCode::invalid_transition);
  CHECK(f.can_view("cathy"));
  // A second custodian approves: now cathy is out.
  f.triage.approve_exclusion(f.as("admin"), f.number, "cathy");
  CHECK_FALSE(f.can_view("cathy"));
  d = f.triage.view(f.as("carol"), f.number);
  CHECK(d.exclusion_requests.empty());
  REQUIRE(d.exclusions.size() == 1);
  CHECK(d.exclusions[0].excluded_by_username == "carol");
  CHECK(d.exclusions[0].approved_by_username == "admin");
  CHECK(d.exclusions[0].reason == kReason);
  const auto audit = f.audit_actions("carol");
  CHECK(any_starts_with(audit, "case.exclude_request user_id="));
  CHECK(any_starts_with(audit, "case.exclude_approve user_id="));

  // An administrator (not a custodian) is protected the same way, and an
  // administrator's request needs a custodian's approval.
  CHECK(f.triage.exclude(f.as("carol"), f.number, "dave", kReason) == ExclusionOutcome::pending);
  CHECK(f.triage.exclude(f.as("dave"), f.number, "carol", kReason) == ExclusionOutcome::pending);
  CHECK(f.can_view("dave"));
  CHECK(f.can_view("carol"));
  f.triage.approve_exclusion(f.as("admin"), f.number, "dave");
  CHECK_FALSE(f.can_view("dave"));
  CHECK(f.can_view("carol"));
}

TEST_CASE("no exclusion leaves a case without a custodian who can open it") {
  Fixture f;
  CHECK(f.triage.exclude(f.as("cathy"), f.number, "cathy", "") == ExclusionOutcome::excluded);
  CHECK(f.triage.exclude(f.as("admin"), f.number, "admin", "") == ExclusionOutcome::excluded);
  // carol is the last custodian: she cannot recuse, nobody can exclude her.
  CHECK(f.refusal([&] { f.triage.exclude(f.as("carol"), f.number, "carol", ""); }) == ErrorCode::forbidden);
  CHECK(f.refusal([&] { f.triage.exclude(f.as("dave"), f.number, "carol", kReason); }) == ErrorCode::forbidden);
  CHECK(f.can_view("carol"));
  // Excluding an investigator is still possible.
  CHECK(f.triage.exclude(f.as("carol"), f.number, "erin", kReason) == ExclusionOutcome::excluded);
}

TEST_CASE("a request approved after the others left is still refused if it would leave no custodian") {
  Fixture f;
  // carol asks to exclude cathy while admin is there to approve...
  CHECK(f.triage.exclude(f.as("carol"), f.number, "cathy", kReason) == ExclusionOutcome::pending);
  // ...then carol recuses: admin and cathy remain.
  CHECK(f.triage.exclude(f.as("carol"), f.number, "carol", "") == ExclusionOutcome::excluded);
  // admin approves: cathy out, admin remains: allowed.
  f.triage.approve_exclusion(f.as("admin"), f.number, "cathy");
  CHECK_FALSE(f.can_view("cathy"));
  // admin is now the last: dave's request is refused outright.
  CHECK(f.refusal([&] { f.triage.exclude(f.as("dave"), f.number, "admin", kReason); }) == ErrorCode::forbidden);
}

TEST_CASE("a custodian lifts an exclusion with a reason; the keys are sealed again") {
  Fixture f;
  CHECK(f.triage.exclude(f.as("carol"), f.number, "erin", kReason) == ExclusionOutcome::excluded);
  CHECK_FALSE(f.can_view("erin"));
  {
    // Excluded: a colleague's grant (and `krasipd recovery grant`) skip erin.
    auto db = f.pool.acquire();
    const auto erin = storage::user_store::find_by_username(*db, "erin");
    CHECK(storage::triage_store::cases_to_grant(*db, f.as("carol").key_id, erin->key_id, erin->id).empty());
  }
  CHECK(f.triage.grantable(f.as("carol"), "erin").empty());
  // Nor by naming the case: it is refused as one the colleague may not read.
  CHECK(f.refusal([&] { f.triage.grant(f.as("carol"), "erin", {f.number}); }) == ErrorCode::forbidden);
  // Not an investigator, not an administrator who is no custodian, not without a reason.
  CHECK(f.refusal([&] { f.triage.lift_exclusion(f.as("alice"), f.number, "erin", kLiftReason); }) ==
        ErrorCode::forbidden);
  CHECK(f.refusal([&] { f.triage.lift_exclusion(f.as("dave"), f.number, "erin", kLiftReason); }) ==
        ErrorCode::forbidden);
  CHECK(f.refusal([&] { f.triage.lift_exclusion(f.as("cathy"), f.number, "erin", "ok"); }) ==
        ErrorCode::invalid_field);
  CHECK(f.refusal([&] { f.triage.lift_exclusion(f.as("cathy"), f.number, "alice", kLiftReason); }) ==
        ErrorCode::invalid_transition);
  CHECK_FALSE(f.can_view("erin"));

  const auto r = f.triage.lift_exclusion(f.as("cathy"), f.number, "erin", kLiftReason);
  CHECK(r.keys > 0);
  // erin reads the complaint again (her keys were re-sealed, not just a row deleted).
  const auto d = f.triage.view(f.as("erin"), f.number);
  CHECK(std::string(d.complaint.at("description").as_string()).find("GOVERNANCE-4411") != std::string::npos);
  CHECK(d.exclusions.empty());
  CHECK_FALSE(d.can_reveal_identity);  // an investigator gets no identity key
  // The lift's reason, sealed after her keys came back, is hers to read too.
  CHECK(any_starts_with(f.audit_actions("erin"), "case.exclusion_lift user_id="));
  {
    auto db = f.pool.acquire();
    const auto erin = storage::user_store::find_by_username(*db, "erin");
    CHECK_FALSE(storage::triage_store::is_excluded(*db, 1, erin->id));
  }
}

TEST_CASE("a lifted custodian gets the identity key back too") {
  Fixture f;
  CHECK(f.triage.exclude(f.as("carol"), f.number, "carol", "") == ExclusionOutcome::excluded);
  f.triage.lift_exclusion(f.as("cathy"), f.number, "carol", kLiftReason);
  CHECK(f.triage.view(f.as("carol"), f.number).can_reveal_identity);
  const auto identity = f.triage.reveal_identity(f.as("carol"), f.number, kLiftReason);
  CHECK(identity.at("phone").as_string() == "0891234567");
}

TEST_CASE("rejecting or finding unsubstantiated needs an outcome message, which the reporter reads") {
  Fixture f;
  CaseChanges reject;
  reject.status = "rejected";
  CHECK(f.refusal([&] { f.triage.update(f.as("alice"), f.number, reject); }) == ErrorCode::missing_field);
  reject.outcome_message = "   ";
  CHECK(f.refusal([&] { f.triage.update(f.as("alice"), f.number, reject); }) == ErrorCode::missing_field);
  CHECK(f.status.lookup(f.code).status == "received");
  CHECK(f.status.lookup(f.code).messages.empty());

  // An outcome message alone, without a change of status, is refused.
  CaseChanges only_message;
  only_message.outcome_message = "ข้อความ";
  CHECK(f.refusal([&] { f.triage.update(f.as("alice"), f.number, only_message); }) == ErrorCode::invalid_field);

  CaseChanges step;
  for (const auto* s : {"acknowledged", "investigating"}) {
    step.status = s;
    f.triage.update(f.as("alice"), f.number, step);
  }
  CaseChanges unsubstantiated;
  unsubstantiated.status = "unsubstantiated";
  CHECK(f.refusal([&] { f.triage.update(f.as("alice"), f.number, unsubstantiated); }) ==
        ErrorCode::missing_field);
  unsubstantiated.outcome_message = "ตรวจสอบเอกสารการจัดซื้อแล้ว ไม่พบการเรียกรับเงินตามที่แจ้ง";
  f.triage.update(f.as("alice"), f.number, unsubstantiated);
  const auto v = f.status.lookup(f.code);
  CHECK(v.status == "unsubstantiated");
  REQUIRE(v.messages.size() == 1);
  CHECK(v.messages[0].from == "investigator");
  CHECK(v.messages[0].body == *unsubstantiated.outcome_message);
  // Closing afterwards is again an end without a finding (issue 20, item
  // 4): it needs a word to the reporter too.
  CaseChanges close;
  close.status = "closed";
  CHECK(f.refusal([&] { f.triage.update(f.as("alice"), f.number, close); }) == ErrorCode::missing_field);
  close.outcome_message = "ปิดเรื่องตามผลการตรวจสอบที่แจ้งไว้แล้ว";
  f.triage.update(f.as("alice"), f.number, close);
  CHECK(f.status.lookup(f.code).messages.size() == 2);
  CHECK(f.status.lookup(f.code).status == "closed");
  CHECK(any_starts_with(f.audit_actions("carol"), "case.update"));
}

// Two-person identity access (a channel flag): no one reads who reported
// alone; one asks with a reason, a second custodian approves or refuses.
const std::string kAsk = "ต้องติดต่อผู้ร้องเพื่อขอเอกสารเพิ่มเติม";
const std::string kNo = "ยังไม่จำเป็น ให้ส่งข้อความถามผู้ร้องก่อน";

TEST_CASE("two-person identity: a recipient asks, a second custodian approves, the asker sees it once") {
  Fixture f;
  f.set_channel(true, std::nullopt);
  // No direct reveal in such a channel, custodians included.
  CHECK(f.refusal([&] { f.triage.reveal_identity(f.as("carol"), f.number, kAsk); }) == ErrorCode::forbidden);
  auto d = f.triage.view(f.as("alice"), f.number);
  CHECK(d.identity_two_person);
  CHECK(d.can_request_identity);
  CHECK_FALSE(d.can_reveal_identity);
  CHECK_FALSE(f.triage.view(f.as("carol"), f.number).can_reveal_identity);

  CHECK(f.refusal([&] { f.triage.request_identity(f.as("alice"), f.number, "ขอดู"); }) == ErrorCode::invalid_field);
  const auto id = f.triage.request_identity(f.as("alice"), f.number, kAsk);
  CHECK(f.refusal([&] { f.triage.request_identity(f.as("alice"), f.number, kAsk); }) ==
        ErrorCode::invalid_transition);
  CHECK_FALSE(f.triage.view(f.as("alice"), f.number).can_request_identity);
  // Asking is not seeing.
  CHECK(f.refusal([&] { f.triage.reveal_identity(f.as("alice"), f.number, kAsk); }) == ErrorCode::forbidden);
  // Only a custodian of the channel decides; an investigator or an
  // administrator who is not one cannot.
  for (const auto* who : {"erin", "dave"}) {
    CAPTURE(who);
    CHECK(f.refusal([&] { f.triage.approve_identity_request(f.as(who), f.number, id); }) == ErrorCode::forbidden);
  }
  d = f.triage.view(f.as("carol"), f.number);
  CHECK(d.can_decide_identity_requests);
  REQUIRE(d.identity_requests.size() == 1);
  CHECK(d.identity_requests[0].state == "pending");
  CHECK(d.identity_requests[0].requested_by_username == "alice");
  CHECK(d.identity_requests[0].reason == kAsk);
  CHECK(f.triage.identity_requests(f.as("erin"), f.number).at(0).reason == kAsk);

  f.triage.approve_identity_request(f.as("carol"), f.number, id);
  CHECK(f.refusal([&] { f.triage.approve_identity_request(f.as("cathy"), f.number, id); }) ==
        ErrorCode::invalid_transition);
  // Others still cannot: the approval is alice's alone.
  CHECK(f.refusal([&] { f.triage.reveal_identity(f.as("erin"), f.number, kAsk); }) == ErrorCode::forbidden);
  CHECK(f.triage.view(f.as("alice"), f.number).can_reveal_identity);
  const auto identity = f.triage.reveal_identity(f.as("alice"), f.number, "");
  CHECK(identity.at("phone").as_string() == "0891234567");
  // Once: the approval is used up.
  CHECK(f.refusal([&] { f.triage.reveal_identity(f.as("alice"), f.number, kAsk); }) == ErrorCode::forbidden);
  d = f.triage.view(f.as("alice"), f.number);
  CHECK(d.identity_requests.at(0).state == "viewed");
  CHECK(d.identity_requests.at(0).decided_by_username == "carol");
  CHECK(d.can_request_identity);  // asking again is possible

  const auto audit = f.audit_actions("cathy");
  CHECK(any_starts_with(audit, "identity.request request=" + std::to_string(id) + " user_id="));
  CHECK(any_starts_with(audit, "identity.approve request=" + std::to_string(id)));
  CHECK(any_starts_with(audit, "identity.reveal request=" + std::to_string(id) + " approved_by="));
  // The custodian's attempt to reveal alone is on record too.
  CHECK(any_starts_with(audit, "identity.refused two_person reason=" + kAsk));
}

TEST_CASE("two-person identity: custodians ask too, no one decides their own request, a refusal gives a reason") {
  Fixture f;
  f.set_channel(true, std::nullopt);
  const auto id = f.triage.request_identity(f.as("carol"), f.number, kAsk);
  CHECK(f.refusal([&] { f.triage.approve_identity_request(f.as("carol"), f.number, id); }) == ErrorCode::forbidden);
  CHECK(f.refusal([&] { f.triage.refuse_identity_request(f.as("carol"), f.number, id, kNo); }) == ErrorCode::forbidden);
  CHECK(f.refusal([&] { f.triage.refuse_identity_request(f.as("cathy"), f.number, id, "ไม่"); }) ==
        ErrorCode::invalid_field);
  CHECK(f.refusal([&] { f.triage.approve_identity_request(f.as("cathy"), f.number, 999); }) == ErrorCode::not_found);
  f.triage.refuse_identity_request(f.as("cathy"), f.number, id, kNo);
  CHECK(f.refusal([&] { f.triage.reveal_identity(f.as("carol"), f.number, kAsk); }) == ErrorCode::forbidden);
  CHECK(f.refusal([&] { f.triage.approve_identity_request(f.as("admin"), f.number, id); }) ==
        ErrorCode::invalid_transition);
  const auto r = f.triage.identity_requests(f.as("alice"), f.number).at(0);
  CHECK(r.state == "refused");
  CHECK(r.refusal == kNo);
  CHECK(r.decided_by_username == "cathy");
  CHECK(any_starts_with(f.audit_actions("alice"), "identity.refuse request=" + std::to_string(id)));
}

TEST_CASE("two-person identity: an exclusion revokes an approval not yet used") {
  Fixture f;
  f.set_channel(true, std::nullopt);
  const auto id = f.triage.request_identity(f.as("alice"), f.number, kAsk);
  f.triage.approve_identity_request(f.as("carol"), f.number, id);
  CHECK(f.triage.exclude(f.as("cathy"), f.number, "alice", kReason) == ExclusionOutcome::excluded);
  f.triage.lift_exclusion(f.as("cathy"), f.number, "alice", kLiftReason);
  CHECK(f.can_view("alice"));
  CHECK(f.refusal([&] { f.triage.reveal_identity(f.as("alice"), f.number, kAsk); }) == ErrorCode::forbidden);
  CHECK(f.triage.identity_requests(f.as("alice"), f.number).at(0).state == "revoked");
}

TEST_CASE("without two-person identity access custodians reveal directly and no one asks") {
  Fixture f;
  CHECK(f.refusal([&] { f.triage.request_identity(f.as("alice"), f.number, kAsk); }) ==
        ErrorCode::invalid_transition);
  CHECK(f.triage.view(f.as("carol"), f.number).can_reveal_identity);
  CHECK_FALSE(f.triage.view(f.as("carol"), f.number).can_request_identity);
  CHECK(f.triage.reveal_identity(f.as("carol"), f.number, kAsk).at("phone").as_string() == "0891234567");
  CHECK(f.refusal([&] { f.triage.reveal_identity(f.as("alice"), f.number, kAsk); }) == ErrorCode::forbidden);
}

// A channel marked so: a rejection or "unsubstantiated" waits for a second
// recipient; the reporter hears nothing until it is confirmed.
const std::string kOutcome = "เรื่องนี้อยู่นอกอำนาจหน้าที่ของหน่วยงาน ขอให้ติดต่อสำนักงานที่ดิน";

TEST_CASE("outcome confirmation: a rejection waits for a second recipient, who confirms it") {
  Fixture f;
  f.set_channel(std::nullopt, true);
  CaseChanges reject;
  reject.status = "rejected";
  reject.outcome_message = kOutcome;
  reject.priority = "high";
  CHECK(f.triage.update(f.as("alice"), f.number, reject) == UpdateOutcome::pending);
  // Nothing ended yet; the other changes were made.
  CHECK(f.status.lookup(f.code).status == "received");
  CHECK(f.status.lookup(f.code).messages.empty());
  auto d = f.triage.view(f.as("erin"), f.number);
  CHECK(d.summary.row.status == "received");
  CHECK(d.summary.row.priority == "high");
  REQUIRE(d.pending_outcome);
  CHECK(d.pending_outcome->status == "rejected");
  CHECK(d.pending_outcome->proposed_by_username == "alice");
  CHECK(d.pending_outcome->message == kOutcome);
  // No other status change while it waits, and no second proposal.
  CaseChanges ack;
  ack.status = "acknowledged";
  CHECK(f.refusal([&] { f.triage.update(f.as("erin"), f.number, ack); }) == ErrorCode::invalid_transition);
  CHECK(f.refusal([&] { f.triage.update(f.as("erin"), f.number, reject); }) == ErrorCode::invalid_transition);
  // Not the one who proposed it.
  CHECK(f.refusal([&] { f.triage.confirm_outcome(f.as("alice"), f.number); }) == ErrorCode::forbidden);
  f.triage.confirm_outcome(f.as("erin"), f.number);
  const auto v = f.status.lookup(f.code);
  CHECK(v.status == "rejected");
  REQUIRE(v.messages.size() == 1);
  CHECK(v.messages[0].body == kOutcome);
  CHECK_FALSE(f.triage.view(f.as("alice"), f.number).pending_outcome);
  CHECK(f.refusal([&] { f.triage.confirm_outcome(f.as("carol"), f.number); }) == ErrorCode::invalid_transition);
  const auto audit = f.audit_actions("carol");
  CHECK(any_starts_with(audit, "case.update outcome_proposed=rejected priority=high"));
  CHECK(any_starts_with(audit, "case.outcome_confirm status=rejected proposed_by="));
}

TEST_CASE("outcome confirmation: a second recipient declines with a reason; the proposer may withdraw") {
  Fixture f;
  f.set_channel(std::nullopt, true);
  CaseChanges step;
  for (const auto* st : {"acknowledged", "investigating"}) {
    step.status = st;
    CHECK(f.triage.update(f.as("alice"), f.number, step) == UpdateOutcome::done);
  }
  CaseChanges unsubstantiated;
  unsubstantiated.status = "unsubstantiated";
  unsubstantiated.outcome_message = kOutcome;
  CHECK(f.triage.update(f.as("alice"), f.number, unsubstantiated) == UpdateOutcome::pending);
  CHECK(f.refusal([&] { f.triage.decline_outcome(f.as("erin"), f.number, ""); }) == ErrorCode::missing_field);
  f.triage.decline_outcome(f.as("erin"), f.number, "ยังสอบพยานไม่ครบทุกคน ต้องสอบเพิ่ม");
  CHECK(f.status.lookup(f.code).status == "investigating");
  CHECK(f.status.lookup(f.code).messages.empty());
  CHECK_FALSE(f.triage.view(f.as("alice"), f.number).pending_outcome);
  CHECK(any_starts_with(f.audit_actions("alice"), "case.outcome_decline status=unsubstantiated"));
  // Proposed again, then withdrawn by its proposer without a reason.
  CHECK(f.triage.update(f.as("alice"), f.number, unsubstantiated) == UpdateOutcome::pending);
  f.triage.decline_outcome(f.as("alice"), f.number, "");
  CHECK_FALSE(f.triage.view(f.as("erin"), f.number).pending_outcome);
  CHECK(any_starts_with(f.audit_actions("alice"), "case.outcome_withdraw status=unsubstantiated"));
  // Referred by a plain status change (no referral recorded) ends the case
  // without a finding too: a message, and the second recipient (issue 20).
  CaseChanges referred;
  referred.status = "referred";
  CHECK(f.refusal([&] { f.triage.update(f.as("alice"), f.number, referred); }) == ErrorCode::missing_field);
  referred.outcome_message = "ส่งเรื่องให้หน่วยงานอื่นดำเนินการต่อ";
  CHECK(f.triage.update(f.as("alice"), f.number, referred) == UpdateOutcome::pending);
  f.triage.decline_outcome(f.as("alice"), f.number, "");
  // Through the referral route (body and reference, shown to the reporter)
  // it needs neither; closing from there needs no message either.
  f.triage.refer(f.as("alice"), f.number, "nacc", "", "NACC-2569-0042");
  CHECK(f.status.lookup(f.code).status == "referred");
  CaseChanges close;
  close.status = "closed";
  CHECK(f.triage.update(f.as("alice"), f.number, close) == UpdateOutcome::done);
  CHECK(f.status.lookup(f.code).status == "closed");
}

TEST_CASE("a channel asks a second person only if it has one") {
  Fixture f;
  ChannelSpec spec;
  spec.identity_two_person = true;
  spec.custodians = std::vector<std::string>{"carol"};
  const ChannelService channels(f.audit);
  const auto refused_field = [&](const ChannelSpec& s) {
    try {
      f.writer.run([&](storage::Database& db) { channels.edit(db, test::agency_one(), "default", s, kNow); });
    } catch (const CaseError& e) {
      return e.field();
    }
    return std::string("accepted");
  };
  CHECK(refused_field(spec) == "identity_two_person");
  spec.custodians = std::vector<std::string>{"carol", "cathy"};
  CHECK(refused_field(spec) == "accepted");
  // Dropping to one custodian later is refused while the flag is on.
  ChannelSpec fewer;
  fewer.custodians = std::vector<std::string>{"cathy"};
  CHECK(refused_field(fewer) == "identity_two_person");
  ChannelSpec outcome;
  outcome.outcome_needs_confirmation = true;
  outcome.recipients = std::vector<std::string>{"carol"};
  outcome.custodians = std::vector<std::string>{"carol"};
  outcome.identity_two_person = false;
  CHECK(refused_field(outcome) == "outcome_needs_confirmation");
  outcome.recipients = std::vector<std::string>{"carol", "alice"};
  CHECK(refused_field(outcome) == "accepted");
}
