// Issue 20, item 7: the counter's copy of the code is harmless. A move out
// of an oversight channel (one a supervising agency's account receives)
// only asks: the plan is sealed while the code is there, and a recipient of
// that channel confirms it (not the clerk who recorded the complaint and
// may have kept the code) or declines it; undecided, it lapses after 30
// days. Driven through the case logic without HTTP: who reads what before
// and after, the reporter's view, the refusals.
#include <doctest/doctest.h>

#include "agency_one.hpp"

#include <algorithm>
#include <atomic>
#include <future>
#include <map>

#include "krasip/cases/accounts/account_service.hpp"
#include "krasip/cases/accounts/reader_directory.hpp"
#include "krasip/cases/agencies/agency_registry.hpp"
#include "krasip/cases/agencies/agency_setup.hpp"
#include "krasip/cases/agencies/channel_service.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/cases/intake/complaint_input.hpp"
#include "krasip/cases/intake/intake_service.hpp"
#include "krasip/cases/reporter/escalation_decisions.hpp"
#include "krasip/cases/reporter/escalation_service.hpp"
#include "krasip/cases/reporter/followup_service.hpp"
#include "krasip/cases/reporter/status_service.hpp"
#include "krasip/cases/triage/triage_service.hpp"
#include "krasip/storage/audit_store.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/triage_store.hpp"
#include "krasip/storage/write_queue.hpp"
#include "session_for.hpp"
#include "temp_dir.hpp"

using namespace krasip;
using namespace krasip::cases;

namespace {

constexpr std::int64_t kNow = 1764300000;  // 2025-11-28, Bangkok
constexpr std::int64_t kDay = 86400;
const std::string kPassword = "oversight-test-password";
const std::string kReason = "ผู้อ่านช่องทางนี้ไม่ตอบ ขอย้ายไปให้เจ้าหน้าที่ดูแล";
const std::string kReporterName = "นางสาวผู้แจ้ง ที่เคาน์เตอร์";

// Agency 1 (the subdistrict, "nh") under a district agency. "default": the
// staff (admin, alice, carol custodian). "executives": the internal auditor
// (auditor, a custodian of the subdistrict) and the district officer
// (district, of the district agency; a custodian): an oversight channel.
struct Fixture {
  test::TempDir dir{"oversight"};
  DataPaths paths = DataPaths::in(dir.path() / "data");
  InitResult init = initialise_agency(paths, demo_agency(), FirstCustodian{"admin", "Admin"},
                                      crypto::PwhashLimits::interactive());
  ServerSecrets secrets = ServerSecrets::load(paths.pepper_file);
  storage::WriteQueue writer{paths.database};
  storage::ReaderPool pool{paths.database};
  AuditLog audit{secrets.pepper};
  ReaderDirectory readers{pool};
  std::atomic<std::int64_t> now{kNow};
  Clock clock = [this] { return now.load(); };
  IntakeService intake{secrets, readers, writer, clock};
  StatusService status{secrets, pool, clock};
  TriageService triage{pool, writer, audit, clock, Deadlines{}};
  EscalationService escalation{secrets, writer, audit, clock};
  EscalationDecisions decisions{audit};
  FollowUpService followups{secrets, pool, writer, dir.path() / "attachments", Limits{}, clock};
  std::map<std::string, Session> sessions;
  std::string number;
  std::string code;

  Fixture() {
    const AccountService accounts(audit, crypto::PwhashLimits::interactive());
    const ChannelService channels(audit);
    writer.run([&](storage::Database& db) {
      NewAgency district{"district", "ที่ว่าการอำเภอ", "District Office", "DO", std::nullopt, {}, std::nullopt,
                         std::nullopt};
      const auto d = add_agency(db, audit, district, kNow, crypto::PwhashLimits::interactive());
      AgencyChanges up;
      up.parent_slug = std::optional<std::string>("district");
      edit_agency(db, audit, "nh", up, kNow);
      const auto district_scope = AgencyScope::of(*storage::key_store::load_agency(db, d.agency_id));
      accounts.add(db, district_scope, {"district", "ปลัดอำเภอ", true, false, kPassword}, kNow);
      for (const auto& [name, custodian] : std::vector<std::pair<std::string, bool>>{
               {"alice", false}, {"carol", true}, {"auditor", true}, {"bob", false}}) {
        accounts.add(db, test::agency_one(), {name, name, custodian, false, kPassword}, kNow);
      }
      ChannelSpec staff;
      staff.recipients = std::vector<std::string>{"admin", "alice", "carol", "bob"};
      staff.custodians = std::vector<std::string>{"admin", "carol"};
      channels.edit(db, test::agency_one(), "default", staff, kNow);
      ChannelSpec executives;
      executives.id = "executives";
      executives.name_th = "ร้องเรียนผู้บริหาร";
      executives.name_en = "About the executives";
      executives.readers_th = "ปลัดอำเภอและผู้ตรวจสอบภายใน";
      executives.readers_en = "The district officer and the internal auditor";
      executives.identity_readers_th = "ปลัดอำเภอและผู้ตรวจสอบภายใน";
      executives.identity_readers_en = "The district officer and the internal auditor";
      executives.recipients = std::vector<std::string>{"auditor", "district"};
      executives.custodians = std::vector<std::string>{"auditor", "district"};
      channels.add(db, test::agency_one(), executives, kNow);
    });
    for (const auto* name : {"admin", "alice", "carol", "bob", "auditor", "district"}) {
      sessions[name] = test::session_for(pool, name, std::string(name) == "admin" ? init.custodian_password : kPassword);
    }
    // The internal auditor records a walk-in complaint about the executives
    // and hands the citizen the slip: the auditor has seen the code.
    ComplaintInput c;
    c.category = "bribery";
    c.subject = {"นายกฯ ตัวอย่าง", "นายก อบต.", "สำนักงาน"};
    c.description = "ผู้บริหารเรียกรับเงิน COUNTER-5521";
    c.channel = "executives";
    c.source = "counter";
    Identity id;
    id.name = kReporterName;
    id.phone = "0812223344";
    c.identity = id;
    std::promise<Receipt> filed;
    intake.record(as("auditor"), c, audit, [&](std::exception_ptr e, Receipt r) {
      e ? filed.set_exception(e) : filed.set_value(std::move(r));
    });
    const auto receipt = filed.get_future().get();
    number = receipt.case_number;
    code = receipt.tracking_code;
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

  storage::CaseRow row() {
    auto db = pool.acquire();
    return *storage::case_store::find_by_number(*db, number);
  }

  std::string channel() {
    auto db = pool.acquire();
    return storage::channel_store::find_by_id(*db, *row().channel_id)->slug;
  }

  std::size_t keys_held(const std::string& name) {
    auto db = pool.acquire();
    return storage::triage_store::envelopes_for(*db, row().id, as(name).key_id).size();
  }

  EscalationResult ask(const std::string& to = "default", bool move_identity = true) {
    return escalation.escalate({code, to, kReason, move_identity});
  }

  void confirm(const std::string& name) {
    writer.run([&](storage::Database& db) { decisions.confirm(db, as(name), number, now.load()); });
  }
  void decline(const std::string& name) {
    writer.run([&](storage::Database& db) { decisions.decline(db, as(name), number, now.load()); });
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

  void reporter_message(const std::string& body) {
    std::promise<void> done;
    followups.post_reporter_message(code, body, [&](std::exception_ptr e, MessageReceipt) {
      e ? done.set_exception(e) : done.set_value();
    });
    done.get_future().get();
  }

  std::vector<std::string> audit_actions() {
    auto db = pool.acquire();
    auto st = db->prepare("SELECT action FROM audit_log WHERE case_id = ? ORDER BY id");
    st.bind(1, row().id);
    std::vector<std::string> out;
    while (st.step()) out.push_back(st.get_text(0));
    return out;
  }
};

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool history_has(const CaseDetail& d, const std::string& kind) {
  return std::any_of(d.history.begin(), d.history.end(), [&](const HistoryEntry& h) { return h.kind == kind; });
}

}  // namespace

TEST_CASE("oversight: the one predicate says which channels a supervising agency reads") {
  Fixture f;
  auto db = f.pool.acquire();
  CHECK(storage::channel_store::is_oversight_channel(*db, storage::channel_store::find_by_slug(*db, 1, "executives")->id));
  CHECK_FALSE(storage::channel_store::is_oversight_channel(*db, storage::channel_store::find_by_slug(*db, 1, "default")->id));
  // The district agency's own channel has no agency above it.
  const auto district = storage::key_store::find_agency_by_slug(*db, "district");
  CHECK_FALSE(storage::channel_store::is_oversight_channel(
      *db, storage::channel_store::find_by_slug(*db, district->id, "default")->id));
}

TEST_CASE("oversight: the code holder only asks; nothing moves and the oversight keeps every key") {
  Fixture f;
  const auto district_keys = f.keys_held("district");
  const auto auditor_keys = f.keys_held("auditor");
  REQUIRE(district_keys >= 2);  // the complaint and the identity at least

  const auto r = f.ask();
  CHECK(r.pending);
  CHECK(r.from.slug == "executives");
  CHECK(r.to.slug == "default");
  CHECK(r.identity == IdentityMove::moved);
  CHECK(r.expires_at == bangkok_day_start(kNow) + 30 * kDay);

  // Nothing moved: the same channel, the oversight opens it and the
  // identity, the staff channel still holds no key to it.
  CHECK(f.channel() == "executives");
  CHECK(f.can_view("district"));
  CHECK(f.can_view("auditor"));
  CHECK_FALSE(f.can_view("alice"));
  CHECK_FALSE(f.can_view("carol"));
  CHECK(f.keys_held("alice") == 0);
  CHECK(f.keys_held("carol") == 0);
  // Both still hold every key they had, and two more: the request's entry
  // and its audit detail, both sealed to the case's readers.
  CHECK(f.keys_held("district") == district_keys + 2);
  CHECK(f.keys_held("auditor") == auditor_keys + 2);
  CHECK(f.triage.reveal_identity(f.as("district"), f.number, "ต้องติดต่อผู้ร้องเพื่อสอบข้อเท็จจริง")
            .at("name")
            .as_string() == kReporterName);

  // The reporter sees it waiting; both sides see the request.
  const auto v = f.status.lookup(f.code);
  REQUIRE(v.escalation_requests.size() == 1);
  CHECK(v.escalation_requests[0].state == "pending");
  CHECK(v.escalation_requests[0].reason == kReason);
  CHECK(v.escalation_requests[0].to.slug == "default");
  CHECK(v.escalations.empty());
  CHECK(v.channel->slug == "executives");
  const auto d = f.triage.view(f.as("district"), f.number);
  REQUIRE(d.escalation_requests.size() == 1);
  CHECK(d.escalation_requests[0].state == "pending");
  CHECK(d.escalation_requests[0].reason == kReason);
  CHECK(history_has(d, "escalation_requested"));
  CHECK(d.can_confirm_escalation);
  CHECK(d.can_decline_escalation);
  CHECK(has(f.audit_actions(), "case.escalate_request"));
  CHECK_FALSE(has(f.audit_actions(), "case.escalate"));

  // One at a time: another request is refused with its own code (409).
  CHECK(f.refusal([&] { f.ask("default", false); }) == ErrorCode::escalation_pending);
}

TEST_CASE("oversight: the clerk who recorded it cannot confirm; a reader who cannot open it gets the one 404") {
  Fixture f;
  (void)f.ask();
  const auto d = f.triage.view(f.as("auditor"), f.number);
  CHECK_FALSE(d.can_confirm_escalation);
  CHECK(d.can_decline_escalation);
  CHECK(f.refusal([&] { f.confirm("auditor"); }) == ErrorCode::forbidden);
  CHECK(f.refusal([&] { f.confirm("alice"); }) == ErrorCode::not_found);
  CHECK(f.refusal([&] { f.decline("alice"); }) == ErrorCode::not_found);
  CHECK(f.channel() == "executives");
  CHECK(f.keys_held("alice") == 0);
}

TEST_CASE("oversight: a confirmation applies the plan, what was written since, and the move") {
  Fixture f;
  (void)f.ask();
  // Written after the request: the plan cannot hold it.
  f.reporter_message("ข้อความหลังขอย้าย AFTER-REQUEST-88");
  f.triage.reply(f.as("district"), f.number, "รับทราบคำขอ กำลังพิจารณา REPLY-AFTER-77");
  // bob leaves the staff channel's readers before anyone decides: the plan's
  // keys sealed to him are not applied.
  const ChannelService channels(f.audit);
  f.writer.run([&](storage::Database& db) {
    ChannelSpec staff;
    staff.recipients = std::vector<std::string>{"admin", "alice", "carol"};
    channels.edit(db, test::agency_one(), "default", staff, kNow);
  });
  f.now = kNow + 5 * kDay;
  f.confirm("district");

  CHECK(f.channel() == "default");
  CHECK_FALSE(f.can_view("district"));
  CHECK_FALSE(f.can_view("auditor"));
  CHECK_FALSE(f.can_view("bob"));
  CHECK(f.keys_held("bob") == 0);
  CHECK(f.keys_held("district") == 0);
  CHECK(f.keys_held("auditor") == 0);
  const auto d = f.triage.view(f.as("alice"), f.number);
  const auto said = [&](const std::string& text) {
    return std::any_of(d.messages.begin(), d.messages.end(),
                       [&](const MessageView& m) { return m.body.find(text) != std::string::npos; });
  };
  CHECK(said("AFTER-REQUEST-88"));
  CHECK(said("REPLY-AFTER-77"));
  CHECK(d.complaint.at("description").as_string() == "ผู้บริหารเรียกรับเงิน COUNTER-5521");
  CHECK(history_has(d, "escalated"));
  REQUIRE(d.escalation_requests.size() == 1);
  CHECK(d.escalation_requests[0].state == "confirmed");
  CHECK(d.escalation_requests[0].decided_by == "district");
  // The identity went to the staff channel's custodians, as the reporter asked.
  CHECK(f.triage.reveal_identity(f.as("carol"), f.number, "ต้องติดต่อผู้ร้องเพื่อสอบข้อเท็จจริง")
            .at("name")
            .as_string() == kReporterName);

  // The reporter sees the move, with the reason, and still opens everything.
  const auto v = f.status.lookup(f.code);
  CHECK(v.channel->slug == "default");
  REQUIRE(v.escalations.size() == 1);
  CHECK(v.escalations[0].reason == kReason);
  CHECK(v.escalations[0].from.slug == "executives");
  CHECK(v.escalation_requests.back().state == "confirmed");
  CHECK(std::any_of(v.messages.begin(), v.messages.end(),
                    [](const MessageView& m) { return m.body.find("REPLY-AFTER-77") != std::string::npos; }));
  const auto actions = f.audit_actions();
  CHECK(has(actions, "case.escalate_confirm"));
  // Counts moved with it.
  auto db = f.pool.acquire();
  CHECK(storage::stats_store::counts_for_user(*db, 2569, f.as("alice").user_id).size() == 1);
  CHECK(storage::stats_store::counts_for_user(*db, 2569, f.as("district").user_id).empty());
}

TEST_CASE("oversight: declined, the case stays and the reporter is told; the plan is gone") {
  Fixture f;
  (void)f.ask();
  f.now = kNow + 2 * kDay;
  f.decline("district");
  CHECK(f.channel() == "executives");
  CHECK(f.can_view("district"));
  CHECK(f.keys_held("alice") == 0);
  {
    auto db = f.pool.acquire();
    auto st = db->prepare("SELECT count(*) FROM escalation_plan_keys");
    REQUIRE(st.step());
    CHECK(st.get_int(0) == 0);
  }
  const auto v = f.status.lookup(f.code);
  REQUIRE(v.escalation_requests.size() == 1);
  CHECK(v.escalation_requests[0].state == "declined");
  CHECK(v.escalation_requests[0].decided_at == kNow + 2 * kDay);
  const auto d = f.triage.view(f.as("auditor"), f.number);
  CHECK(history_has(d, "escalation_declined"));
  CHECK_FALSE(d.can_decline_escalation);
  CHECK(has(f.audit_actions(), "case.escalate_decline"));
  // Decided: no second decision, and the reporter may ask again.
  CHECK(f.refusal([&] { f.confirm("district"); }) == ErrorCode::invalid_transition);
  CHECK(f.ask().pending);
}

TEST_CASE("oversight: undecided for 30 days, the request lapses on both sides and may be asked again") {
  Fixture f;
  const auto r = f.ask();
  f.now = r.expires_at;
  CHECK(f.refusal([&] { f.confirm("district"); }) == ErrorCode::invalid_transition);
  CHECK(f.refusal([&] { f.decline("district"); }) == ErrorCode::invalid_transition);
  CHECK(f.channel() == "executives");
  CHECK(f.keys_held("alice") == 0);
  const auto v = f.status.lookup(f.code);
  CHECK(v.escalation_requests.back().state == "lapsed");
  CHECK(v.escalation_requests.back().decided_at == r.expires_at);
  const auto d = f.triage.view(f.as("district"), f.number);
  CHECK(d.escalation_requests.back().state == "lapsed");
  CHECK_FALSE(d.can_confirm_escalation);
  // A new request marks the old one lapsed (its plan deleted) and waits.
  const auto again = f.ask("default", false);
  CHECK(again.pending);
  CHECK(again.identity == IdentityMove::not_moved);
  const auto after = f.status.lookup(f.code);
  REQUIRE(after.escalation_requests.size() == 2);
  CHECK(after.escalation_requests[0].state == "lapsed");
  CHECK(after.escalation_requests[1].state == "pending");
  f.confirm("district");
  CHECK(f.channel() == "default");
  // Kept back this time: the staff custodians do not get the identity.
  CHECK(f.refusal([&] {
          (void)f.triage.reveal_identity(f.as("carol"), f.number, "ต้องติดต่อผู้ร้องเพื่อสอบข้อเท็จจริง");
        }) == ErrorCode::forbidden);
}

TEST_CASE("oversight: out of an ordinary channel the move is made at once, as before") {
  Fixture f;
  // Into the staff channel first (confirmed), then back out of it: the
  // staff channel has no outside reader, so the reporter alone decides.
  (void)f.ask();
  f.confirm("district");
  REQUIRE(f.channel() == "default");
  const auto r = f.ask("executives");
  CHECK_FALSE(r.pending);
  CHECK(f.channel() == "executives");
  CHECK(f.can_view("district"));
  CHECK_FALSE(f.can_view("alice"));
  CHECK(has(f.audit_actions(), "case.escalate"));
}
