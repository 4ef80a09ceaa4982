// Issue 10, item 4: the reporter moves their case to another channel with
// the tracking code alone. Driven through EscalationService, StatusService
// and TriageService without HTTP: who can open what afterwards, the
// identity only when asked, exclusions kept, the counts per channel, the
// timeline on both sides, and the refusals.
#include <doctest/doctest.h>

#include "agency_one.hpp"

#include <algorithm>
#include <future>
#include <map>

#include "krasip/cases/accounts/account_service.hpp"
#include "krasip/cases/accounts/reader_directory.hpp"
#include "krasip/cases/agencies/agency_setup.hpp"
#include "krasip/cases/agencies/channel_service.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/common/case_crypto.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/intake/complaint_input.hpp"
#include "krasip/cases/intake/intake_service.hpp"
#include "krasip/cases/reporter/escalation_service.hpp"
#include "krasip/cases/reporter/followup_service.hpp"
#include "krasip/cases/reporter/reporter_access.hpp"
#include "krasip/cases/reporter/status_service.hpp"
#include "krasip/cases/triage/triage_service.hpp"
#include "krasip/crypto/key_pair.hpp"
#include "krasip/crypto/password_wrap.hpp"
#include "krasip/crypto/recovery_key.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/triage_store.hpp"
#include "krasip/storage/user_store.hpp"
#include "krasip/storage/write_queue.hpp"
#include "krasip/crypto/envelope.hpp"
#include <boost/json.hpp>
#include "session_for.hpp"
#include "temp_dir.hpp"

using namespace krasip;
using namespace krasip::cases;

namespace {

constexpr std::int64_t kNow = 1764300000;
const std::string kPassword = "escalation-test-password";
const std::string kReason = "เจ้าหน้าที่ที่ดูแลเรื่องของฉันเกี่ยวข้องกับเรื่องนี้";
const std::string kReporterName = "นางสาวผู้แจ้ง หนีภัย";
const std::string kDescription = "หัวหน้าสำนักปลัดเบิกค่าอาหารโครงการเกินจริง ESCALATE-7788";

ComplaintInput complaint(bool with_identity) {
  ComplaintInput c;
  c.category = "bribery";
  c.subject = {"นายสมชาย ตัวอย่าง", "หัวหน้าสำนักปลัด", "สำนักปลัด"};
  c.description = kDescription;
  c.incident_date = "2025-11-20";
  c.channel = "default";
  if (with_identity) {
    Identity id;
    id.name = kReporterName;
    id.phone = "0891234567";
    c.identity = id;
  }
  return c;
}

// "default" (the staff channel): admin, alice, carol (custodian) and eve.
// "oversight": olga, oscar (custodian) and eve. eve reads both, and is
// excluded from the case before it moves.
struct Fixture {
  test::TempDir dir{"escalation"};
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
  EscalationService escalation{secrets, writer, audit, [] { return kNow + 3600; }};
  FollowUpService followups{secrets, pool, writer, dir.path() / "attachments", Limits{}, [] { return kNow; }};
  std::map<std::string, Session> sessions;
  std::string number;
  std::string code;

  explicit Fixture(bool with_identity = true) {
    const AccountService accounts(audit, crypto::PwhashLimits::interactive());
    const ChannelService channels(audit);
    writer.run([&](storage::Database& db) {
      for (const auto& [name, custodian] : std::vector<std::pair<std::string, bool>>{
               {"alice", false}, {"carol", true}, {"eve", false}, {"olga", false}, {"oscar", true}}) {
        accounts.add(db, test::agency_one(), {name, name, custodian, false, kPassword}, kNow);
      }
      ChannelSpec staff;
      staff.recipients = std::vector<std::string>{"admin", "alice", "carol", "eve"};
      staff.custodians = std::vector<std::string>{"admin", "carol"};
      channels.edit(db, test::agency_one(), "default", staff, kNow);
      ChannelSpec oversight;
      oversight.id = "oversight";
      oversight.name_th = "ร้องเรียนผู้รับเรื่อง";
      oversight.name_en = "About those who handle complaints";
      oversight.readers_th = "ที่ทำการปกครองอำเภอ";
      oversight.readers_en = "The district office";
      oversight.identity_readers_th = "ปลัดอำเภอ";
      oversight.identity_readers_en = "The district officer";
      oversight.recipients = std::vector<std::string>{"olga", "oscar", "eve"};
      oversight.custodians = std::vector<std::string>{"oscar"};
      channels.add(db, test::agency_one(), oversight, kNow);
    });
    for (const auto* name : {"admin", "alice", "carol", "eve", "olga", "oscar"}) {
      sessions[name] = login(name, std::string(name) == "admin" ? init.custodian_password : kPassword);
    }
    const auto receipt = intake.submit_and_wait(test::agency_one(), complaint(with_identity));
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

  storage::CaseRow row() {
    auto db = pool.acquire();
    return *storage::case_store::find_by_number(*db, number);
  }

  // How many envelopes of the case this account holds a key to.
  std::size_t keys_held(const std::string& name) {
    auto db = pool.acquire();
    return storage::triage_store::envelopes_for(*db, row().id, as(name).key_id).size();
  }

  void reporter_message(const std::string& body) {
    std::promise<void> done;
    followups.post_reporter_message(code, body, [&](std::exception_ptr e, MessageReceipt) {
      if (e) {
        done.set_exception(e);
      } else {
        done.set_value();
      }
    });
    done.get_future().get();
  }

  EscalationResult escalate(const std::string& channel, bool move_identity, const std::string& reason = kReason) {
    return escalation.escalate({code, channel, reason, move_identity});
  }

  ErrorCode refusal(const EscalationRequest& r, std::string* field = nullptr) {
    try {
      escalation.escalate(r);
    } catch (const CaseError& e) {
      if (field != nullptr) *field = e.field();
      return e.code();
    }
    FAIL("accepted");
    return ErrorCode::busy;
  }

  std::map<std::string, std::int64_t> channel_totals() {
    auto db = pool.acquire();
    auto st = db->prepare(
        "SELECT c.slug, COALESCE(SUM(n.n), 0) FROM channels c LEFT JOIN channel_counts n"
        " ON n.channel_id = c.id GROUP BY c.slug");
    std::map<std::string, std::int64_t> out;
    while (st.step()) out[st.get_text(0)] = st.get_int(1);
    return out;
  }
};

bool mentions(const CaseDetail& d, const std::string& text) {
  return std::any_of(d.history.begin(), d.history.end(), [&](const HistoryEntry& h) {
    return h.kind == "escalated" && h.detail && h.detail->find(text) != std::string::npos;
  });
}

}  // namespace

TEST_CASE("escalation: the old channel loses the case, the new one opens everything the reporter holds") {
  Fixture f;
  f.reporter_message("ข้อความเพิ่มเติมจากผู้ร้อง ESC-MSG-1");
  f.triage.reply(f.as("alice"), f.number, "ได้รับเรื่องแล้ว ESC-REPLY-1");
  f.triage.add_note(f.as("alice"), f.number, "บันทึกภายใน ESC-NOTE-1");
  f.triage.update(f.as("carol"), f.number, {std::nullopt, std::nullopt, std::nullopt,
                                            std::optional<std::optional<std::string>>(std::string("alice")),
                                            std::nullopt, std::nullopt});
  // eve reads both channels; excluded here, she must stay so.
  CHECK(f.triage.exclude(f.as("carol"), f.number, "eve", "เป็นญาติกับผู้ถูกร้องเรียนโดยตรง") ==
        ExclusionOutcome::excluded);
  CHECK(f.channel_totals() == std::map<std::string, std::int64_t>{{"default", 1}, {"oversight", 0}});

  const auto r = f.escalate("oversight", true);
  CHECK(r.from.slug == "default");
  CHECK(r.to.slug == "oversight");
  CHECK(r.identity == IdentityMove::moved);

  // The old channel's readers: the one answer for a case never issued, and
  // not one key left to any envelope of it (identity included).
  for (const auto* name : {"admin", "alice", "carol"}) {
    INFO(name);
    CHECK_FALSE(f.can_view(name));
    CHECK(f.keys_held(name) == 0);
  }
  // Excluded stays excluded, though a recipient of the new channel.
  CHECK_FALSE(f.can_view("eve"));
  CHECK(f.keys_held("eve") == 0);

  // The new readers open the complaint and the messages both ways.
  for (const auto* name : {"olga", "oscar"}) {
    INFO(name);
    const auto d = f.triage.view(f.as(name), f.number);
    CHECK(d.complaint.at("description").as_string() == kDescription);
    REQUIRE(d.messages.size() == 2);
    CHECK(d.messages[0].body.find("ESC-MSG-1") != std::string::npos);
    CHECK(d.messages[1].body.find("ESC-REPLY-1") != std::string::npos);
    // Notes were sealed to investigators only: the reporter could not move them.
    CHECK(d.notes.empty());
    CHECK(mentions(d, kReason));
    CHECK(mentions(d, "identity: moved"));
    CHECK_FALSE(d.summary.assignee.has_value());  // alice no longer reads it
  }
  // The identity went to the new custodian, as asked, and to nobody else.
  CHECK(f.triage.reveal_identity(f.as("oscar"), f.number, "ต้องติดต่อผู้ร้องเพื่อสอบข้อเท็จจริง")
            .at("name")
            .as_string() == kReporterName);
  {
    auto db = f.pool.acquire();
    CHECK_FALSE(storage::case_store::envelope_for(*db, f.row().id, "identity", f.as("olga").key_id));
  }

  // Counts follow the case, the totals stay whole.
  CHECK(f.channel_totals() == std::map<std::string, std::int64_t>{{"default", 0}, {"oversight", 1}});

  // The reporter's side: where the case is now, where it may go, and the move.
  const auto v = f.status.lookup(f.code);
  REQUIRE(v.channel);
  CHECK(v.channel->slug == "oversight");
  REQUIRE(v.can_move_to.size() == 1);
  CHECK(v.can_move_to[0].slug == "default");
  REQUIRE(v.escalations.size() == 1);
  CHECK(v.escalations[0].from.slug == "default");
  CHECK(v.escalations[0].to.name_en == "About those who handle complaints");
  CHECK(v.escalations[0].reason == kReason);
  CHECK(v.escalations[0].identity == "moved");
  CHECK(v.messages.size() == 2);

  // Audited, with the detail sealed to the new readers.
  bool audited = false;
  for (const auto& e : f.triage.audit_entries(f.as("olga"), f.number, 1, 200)) {
    if (e.action == "case.escalate") {
      audited = true;
      CHECK(e.detail.find("from=default to=oversight identity=moved") != std::string::npos);
      CHECK_FALSE(e.actor_user_id.has_value());
    }
  }
  CHECK(audited);

  // Afterwards the reporter writes to the new readers only.
  f.reporter_message("หลังย้ายช่องทาง ESC-MSG-2");
  CHECK(f.triage.view(f.as("olga"), f.number).messages.size() == 3);
  CHECK(f.keys_held("alice") == 0);

  // Moving back is the same rule the other way; eve still gets nothing.
  f.escalate("default", false, "ขอย้ายกลับ");
  CHECK(f.can_view("alice"));
  CHECK_FALSE(f.can_view("olga"));
  CHECK_FALSE(f.can_view("eve"));
  CHECK(f.triage.view(f.as("alice"), f.number).messages.size() == 3);
}

TEST_CASE("escalation: the identity stays with the recovery key unless the reporter moves it") {
  Fixture f;
  const auto r = f.escalate("oversight", false);
  CHECK(r.identity == IdentityMove::not_moved);
  CHECK(f.can_view("oscar"));
  try {
    f.triage.reveal_identity(f.as("oscar"), f.number, "ต้องติดต่อผู้ร้องเพื่อสอบข้อเท็จจริง");
    FAIL("the new custodian read an identity the reporter did not move");
  } catch (const CaseError& e) {
    CHECK(e.code() == ErrorCode::forbidden);
  }
  {
    auto db = f.pool.acquire();
    const auto c = f.row();
    // The old custodians lose it too: they are whom the reporter escapes.
    for (const auto* name : {"admin", "carol"}) {
      CHECK_FALSE(storage::case_store::envelope_for(*db, c.id, "identity", f.as(name).key_id));
    }
    // The recovery key keeps it.
    const auto recovery = crypto::KeyPair::from_secret(*crypto::decode_recovery_key(f.init.recovery_key));
    std::int64_t recovery_id = 0;
    for (const auto& k : storage::key_store::active_readers(*db)) {
      if (k.kind == "recovery") recovery_id = k.id;
    }
    const auto env = storage::case_store::envelope_for(*db, c.id, "identity", recovery_id);
    REQUIRE(env);
    CHECK(boost::json::parse(open_case_record(*env, c.uid, recovery)).at("name").as_string() == kReporterName);
  }
  // No grant hands it out against the reporter's choice, not even the
  // recovery key's for this one case: only the other keys go.
  {
    const auto recovery = crypto::KeyPair::from_secret(*crypto::decode_recovery_key(f.init.recovery_key));
    std::int64_t recovery_id = 0;
    std::optional<storage::UserRow> oscar;
    {
      auto db = f.pool.acquire();
      for (const auto& k : storage::key_store::active_readers(*db)) {
        if (k.kind == "recovery") recovery_id = k.id;
      }
      oscar = storage::user_store::find_by_username(*db, "oscar");
    }
    const auto case_id = f.row().id;
    f.writer.run([&](storage::Database& w) { CHECK(grant_case(w, recovery, recovery_id, case_id, *oscar) > 0); });
    auto db = f.pool.acquire();
    CHECK_FALSE(storage::case_store::envelope_for(*db, case_id, "identity", oscar->key_id));
  }
  // A later escalation may still move it: the reporter's slot stays.
  CHECK(f.escalate("default", true, "ย้ายกลับพร้อมข้อมูลตัวตน").identity == IdentityMove::moved);
  CHECK(f.triage.reveal_identity(f.as("carol"), f.number, "ต้องติดต่อผู้ร้องเพื่อสอบข้อเท็จจริง")
            .at("name")
            .as_string() == kReporterName);
}

TEST_CASE("escalation: the status routes never open the identity; only the escalation's own key does") {
  Fixture f;
  const auto c = f.row();
  auto db = f.pool.acquire();
  const auto slot = storage::case_store::envelope_for(*db, c.id, "identity", c.reporter_key_id);
  REQUIRE(slot);  // filed with a reporter slot, for escalation
  const auto opened = open_reporter_case(f.secrets, *db, f.code);
  // The keys every status and follow-up route holds do not open it...
  CHECK_THROWS_AS(open_case_record(*slot, c.uid, opened.key), crypto::DecryptError);
  CHECK_THROWS_AS(open_case_record(*slot, c.uid, opened.key.key_pair()), crypto::DecryptError);
  // ...only the key derived for escalation does.
  const auto data_key = crypto::unwrap_data_key(slot->sealed_key, opened.key.derive_identity_key());
  const auto plain = crypto::decrypt_record(data_key, slot->nonce, slot->ciphertext,
                                            associated_data(c.uid, "identity"));
  CHECK(std::string(reinterpret_cast<const char*>(plain.data()), plain.size()).find(kReporterName) !=
        std::string::npos);
  // And the reporter's status answer holds nothing of it.
  const auto v = f.status.lookup(f.code);
  CHECK(v.identity_provided);
  CHECK_FALSE(v.submission.contains("identity"));
  CHECK(boost::json::serialize(v.submission).find(kReporterName) == std::string::npos);
}

TEST_CASE("escalation: a case filed before the identity slot says it could not move the identity") {
  Fixture f;
  {
    // As a case filed by the previous release: no reporter slot on the identity.
    auto db = storage::open_writer(f.paths.database);
    const auto c = *storage::case_store::find_by_number(db, f.number);
    db.exec("DELETE FROM envelope_keys WHERE reader_key_id = " + std::to_string(c.reporter_key_id) +
            " AND envelope_id IN (SELECT id FROM envelopes WHERE field = 'identity' AND case_id = " +
            std::to_string(c.id) + ")");
  }
  const auto r = f.escalate("oversight", true);
  CHECK(r.identity == IdentityMove::not_movable);
  CHECK(f.can_view("olga"));
  const auto recovery = crypto::KeyPair::from_secret(*crypto::decode_recovery_key(f.init.recovery_key));
  std::int64_t recovery_id = 0;
  const auto case_id = f.row().id;
  std::optional<storage::UserRow> oscar;
  {
    auto db = f.pool.acquire();
    for (const auto* name : {"admin", "carol", "oscar"}) {
      CHECK_FALSE(storage::case_store::envelope_for(*db, case_id, "identity", f.as(name).key_id));
    }
    for (const auto& k : storage::key_store::active_readers(*db)) {
      if (k.kind == "recovery") recovery_id = k.id;
    }
    oscar = storage::user_store::find_by_username(*db, "oscar");
  }
  // The recovery key holder grants it to the new custodian, case by case
  // (krasipd recovery grant --case).
  f.writer.run([&](storage::Database& w) { CHECK(grant_case(w, recovery, recovery_id, case_id, *oscar) > 0); });
  CHECK(f.triage.reveal_identity(f.as("oscar"), f.number, "ต้องติดต่อผู้ร้องเพื่อสอบข้อเท็จจริง")
            .at("name")
            .as_string() == kReporterName);
}

TEST_CASE("escalation: refusals, and an anonymous case") {
  Fixture f(false);
  std::string field;
  CHECK(f.refusal({f.code, "default", kReason, false}, &field) == ErrorCode::invalid_field);
  CHECK(field == "channel");
  CHECK(f.refusal({f.code, "no-such-channel", kReason, false}, &field) == ErrorCode::invalid_field);
  CHECK(field == "channel");
  CHECK(f.refusal({f.code, "oversight", "   ", false}, &field) == ErrorCode::missing_field);
  CHECK(field == "reason");
  CHECK(f.refusal({f.code, "oversight", std::string(kEscalationReasonMax + 1, 'x'), false}, &field) ==
        ErrorCode::field_too_long);
  CHECK(f.refusal({f.code, "oversight", "bad\x01reason", false}, &field) == ErrorCode::invalid_field);
  std::string wrong = f.code;
  wrong.back() = wrong.back() == '9' ? '0' : static_cast<char>(wrong.back() + 1);
  CHECK(f.refusal({wrong, "oversight", kReason, false}) == ErrorCode::malformed_code);
  // A well-formed code never issued: the status page's one 404.
  const auto other = crypto::TrackingCode::generate().formatted();
  CHECK(f.refusal({other, "oversight", kReason, false}) == ErrorCode::unknown_code);
  // Nothing moved on any refusal.
  CHECK(f.can_view("alice"));
  CHECK_FALSE(f.can_view("olga"));

  CHECK(f.escalate("oversight", true).identity == IdentityMove::none);
  CHECK(f.can_view("olga"));
}

TEST_CASE("escalation: refused when everyone who receives the other channel is excluded from the case") {
  Fixture f;
  for (const auto* name : {"olga", "oscar", "eve"}) {
    CHECK(f.triage.exclude(f.as("carol"), f.number, name, "เป็นญาติกับผู้ถูกร้องเรียนโดยตรง") ==
          ExclusionOutcome::excluded);
  }
  std::string field;
  CHECK(f.refusal({f.code, "oversight", kReason, true}, &field) == ErrorCode::invalid_field);
  CHECK(field == "channel");
  CHECK(f.can_view("alice"));  // nothing moved
  CHECK(f.keys_held("carol") > 0);
}

TEST_CASE("escalation: a rejection the old channel proposed and its identity requests end with the move") {
  Fixture f;
  f.writer.run([&](storage::Database& db) {
    ChannelSpec strict;
    strict.identity_two_person = true;
    strict.outcome_needs_confirmation = true;
    ChannelService(f.audit).edit(db, test::agency_one(), "default", strict, kNow);
  });
  CaseChanges reject;
  reject.status = "rejected";
  reject.outcome_message = "เรื่องนี้ไม่อยู่ในอำนาจของหน่วยงาน จึงไม่รับไว้พิจารณา";
  REQUIRE(f.triage.update(f.as("alice"), f.number, reject) == UpdateOutcome::pending);
  f.triage.request_identity(f.as("eve"), f.number, "ต้องสอบถามข้อเท็จจริงเพิ่มเติมจากผู้ร้อง");
  REQUIRE(f.triage.view(f.as("carol"), f.number).pending_outcome);

  f.escalate("oversight", false);

  // The new channel sees no half-made rejection it cannot read or confirm,
  // and the case can be worked on normally.
  const auto d = f.triage.view(f.as("olga"), f.number);
  CHECK_FALSE(d.pending_outcome);
  CHECK(d.summary.row.status == "received");
  CaseChanges ack;
  ack.status = "acknowledged";
  CHECK(f.triage.update(f.as("olga"), f.number, ack) == UpdateOutcome::done);
  auto db = f.pool.acquire();
  auto st = db->prepare("SELECT count(*) FROM identity_requests WHERE state IN ('pending', 'approved')");
  REQUIRE(st.step());
  CHECK(st.get_int(0) == 0);
  auto drafts = db->prepare("SELECT count(*) FROM pending_outcomes");
  REQUIRE(drafts.step());
  CHECK(drafts.get_int(0) == 0);
}
