// Issue 20: no one governs their own oversight. The governance room
// (cases/governance) driven without HTTP: a subdistrict (nonghai) whose
// executives' channel the district office (agency 1, above it) reads; its
// administrator (palat) is the one the channel protects against.
#include <doctest/doctest.h>

#include <algorithm>
#include <ctime>
#include <boost/json.hpp>

#include "krasip/cases/accounts/account_service.hpp"
#include "krasip/cases/accounts/enrolment_service.hpp"
#include "krasip/cases/accounts/reader_directory.hpp"
#include "krasip/cases/accounts/totp.hpp"
#include "krasip/cases/alerts/mail_settings.hpp"
#include "krasip/cases/common/thai_time.hpp"
#include "krasip/crypto/encoding.hpp"
#include "krasip/storage/case_store.hpp"
#include "krasip/storage/channel_store.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/departure_store.hpp"
#include "krasip/storage/proposal_store.hpp"
#include "krasip/cases/agencies/agency_registry.hpp"
#include "krasip/cases/agencies/agency_setup.hpp"
#include "krasip/cases/agencies/channel_service.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/common/case_error.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/cases/governance/change_log.hpp"
#include "krasip/cases/governance/governance_service.hpp"
#include "krasip/cases/intake/intake_service.hpp"
#include "krasip/cases/reporter/status_service.hpp"
#include "krasip/cases/triage/triage_service.hpp"
#include "krasip/crypto/password_wrap.hpp"
#include "krasip/storage/change_log_store.hpp"
#include "krasip/storage/key_store.hpp"
#include "krasip/storage/reader_pool.hpp"
#include "krasip/storage/user_store.hpp"
#include "krasip/storage/write_queue.hpp"
#include "session_for.hpp"
#include "temp_dir.hpp"

using namespace krasip;
using namespace krasip::cases;

namespace {

constexpr std::int64_t kDay = 86400;
// Every account is made now (initialise_agency's first one at the real
// time): the fixture's clock starts there.
const std::int64_t kT0 = static_cast<std::int64_t>(std::time(nullptr));
const std::string kPassword = "oversight-test-password";

struct Fixture {
  test::TempDir dir{"oversight"};
  DataPaths paths = DataPaths::in(dir.path() / "data");
  InitResult init = initialise_agency(paths, demo_agency(), FirstCustodian{"admin", "District admin"},
                                      crypto::PwhashLimits::interactive());
  ServerSecrets secrets = ServerSecrets::load(paths.pepper_file);
  storage::WriteQueue writer{paths.database};
  storage::ReaderPool pool{paths.database};
  AuditLog audit{secrets.pepper};
  std::int64_t now = kT0;
  ReaderDirectory readers{pool};
  IntakeService intake{secrets, readers, writer, [this] { return now; }};
  StatusService status{secrets, pool};
  TriageService triage{pool, writer, audit, [this] { return now; }, Deadlines{}};
  AccountService accounts{audit, crypto::PwhashLimits::interactive()};
  ChannelService channels{audit};
  EnrolmentService enrolments{secrets, audit, accounts};
  GovernanceService gov{audit, secrets, channels, accounts, enrolments};
  std::optional<AgencyScope> nonghai;
  std::string district_slug;
  std::string number;
  std::string code;

  // The subdistrict below agency 1; accounts of both; the executives'
  // channel read by the district office's `district` and `district2` and
  // the subdistrict's auditor. Before any case, all of it applies at once.
  explicit Fixture(bool file_complaint = true) {
    writer.run([&](storage::Database& db) {
      district_slug = storage::key_store::load_agency(db, 1)->slug;
      NewAgency spec;
      spec.slug = "nonghai";
      spec.name_th = "อบต.หนองไฮ";
      spec.name_en = "Nong Hai SAO";
      spec.case_prefix = "NHX";
      spec.parent_slug = district_slug;
      spec.admin_username = "nh-admin";
      const auto r = add_agency(db, audit, spec, kT0, crypto::PwhashLimits::interactive());
      nonghai = AgencyScope::of(*storage::key_store::load_agency(db, r.agency_id));
      const auto one = AgencyScope::of(*storage::key_store::load_agency(db, 1));
      accounts.add(db, one, {"district", "District officer", true, false, kPassword}, kT0);
      accounts.add(db, one, {"district2", "Second district officer", true, false, kPassword}, kT0);
      accounts.add(db, *nonghai, {"palat", "ปลัด", false, true, kPassword}, kT0);
      accounts.add(db, *nonghai, {"auditor", "Internal auditor", true, false, kPassword}, kT0);
      accounts.add(db, *nonghai, {"clerk", "Clerk", false, false, kPassword}, kT0);
      ChannelSpec exec;
      exec.id = "executives";
      exec.name_th = "เรื่องร้องเรียนผู้บริหาร";
      exec.name_en = "About the executives";
      exec.readers_th = exec.identity_readers_th = "สำนักงานอำเภอ";
      exec.readers_en = exec.identity_readers_en = "The district office";
      exec.recipients = std::vector<std::string>{"district", "district2", "auditor"};
      exec.custodians = std::vector<std::string>{"district", "auditor"};
      const auto out = gov.add_channel(db, Actor::host_operator(), *nonghai, exec, kT0);
      REQUIRE(out.applied);
    });
    if (!file_complaint) return;
    ComplaintInput c;
    c.category = "bribery";
    c.channel = "executives";
    c.subject = {"นายปลัด ตัวอย่าง", "ปลัด อบต.", "สำนักปลัด"};
    c.description = "ปลัดเรียกรับเงิน OVERSIGHT-7717";
    Identity id;
    id.name = "ผู้แจ้ง ทดสอบ";
    id.phone = "0891234567";
    c.identity = id;
    const auto receipt = intake.submit_and_wait(*nonghai, c);
    number = receipt.case_number;
    code = receipt.tracking_code;
    now = kT0 + 40 * kDay;  // every account is established by now
  }

  Actor actor(const std::string& name) {
    auto db = pool.acquire();
    const auto u = storage::user_store::find_by_username(*db, name);
    REQUIRE(u);
    return {u->id, u->agency_id, u->username};
  }

  Session session(const std::string& name) { return test::session_for(pool, name, kPassword); }

  bool can_view(const std::string& name) {
    try {
      (void)triage.view(session(name), number);
      return true;
    } catch (const CaseError& e) {
      // A disabled account's session has ended (unauthenticated).
      REQUIRE((e.code() == ErrorCode::not_found || e.code() == ErrorCode::unauthenticated));
      return false;
    }
  }

  template <typename F>
  CaseError refusal(F&& f) {
    try {
      writer.run([&](storage::Database& db) { f(db); });
    } catch (const CaseError& e) {
      return e;
    }
    FAIL("accepted");
    return CaseError(ErrorCode::busy, "");
  }

  ChannelOutcome edit(const std::string& who, const ChannelSpec& spec) {
    ChannelOutcome out;
    writer.run([&](storage::Database& db) {
      out = gov.edit_channel(db, who == "operator" ? Actor::host_operator() : actor(who), *nonghai, "executives",
                             spec, now);
    });
    return out;
  }

  std::vector<std::string> members(const std::string& role) {
    auto db = pool.acquire();
    const auto v = ChannelService::find(*db, *nonghai, "executives");
    return role == "recipient" ? v->recipients : v->custodians;
  }

  std::vector<std::string> log_entries() {
    auto db = pool.acquire();
    std::vector<std::string> out;
    for (const auto& r : storage::change_log_store::all(*db, nonghai->id())) out.push_back(r.entry);
    return out;
  }
};

ChannelSpec recipients(std::vector<std::string> r, std::vector<std::string> c) {
  ChannelSpec s;
  s.recipients = std::move(r);
  s.custodians = std::move(c);
  return s;
}

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

}  // namespace

TEST_CASE("before its first case an agency sets up at once; every change is published by role") {
  Fixture f(false);
  const auto out = f.edit("palat", recipients({"district", "district2", "auditor", "clerk"}, {"district", "auditor"}));
  CHECK(out.applied);
  CHECK_FALSE(out.proposal);
  CHECK(has(f.members("recipient"), "clerk"));
  const auto entries = f.log_entries();
  REQUIRE(entries.size() == 2);  // the channel added, then the reader
  for (const auto& e : entries) {
    for (const char* name : {"palat", "clerk", "district", "auditor"}) CHECK(e.find(name) == std::string::npos);
  }
  const auto last = boost::json::parse(entries.back()).as_object();
  CHECK(last.at("event") == "applied");
  CHECK(last.at("how") == "at_once");
  CHECK(last.at("by") == "administrator");
  CHECK(last.at("changes").as_array()[0].at("what") == "recipient_added");
  auto db = f.pool.acquire();
  const auto v = change_log::verify(*db, f.nonghai->id());
  CHECK(v.intact);
  CHECK(v.entries == 2);
  CHECK(v.head_hex == crypto::to_hex(storage::change_log_store::last(*db, f.nonghai->id())->hash));
}

TEST_CASE("the accused administrator cannot remove the district officer, add themself or read alone") {
  Fixture f;
  REQUIRE(f.can_view("district"));
  CHECK_FALSE(f.can_view("palat"));

  // Removing every reader from the district office is refused outright.
  const auto none = f.refusal([&](storage::Database& db) {
    f.gov.edit_channel(db, f.actor("palat"), *f.nonghai, "executives", recipients({"auditor"}, {"auditor"}), f.now);
  });
  CHECK(none.code() == ErrorCode::invalid_field);
  CHECK(none.field() == "recipients");

  // Removing one of two, and adding themself, waits for the district office.
  const auto out = f.edit("palat", recipients({"district2", "auditor", "palat"}, {"auditor"}));
  CHECK_FALSE(out.applied);
  REQUIRE(out.proposal);
  CHECK(out.proposal->approvers == "parent");
  CHECK_FALSE(out.proposal->wait);
  CHECK(has(f.members("recipient"), "district"));
  CHECK_FALSE(has(f.members("recipient"), "palat"));
  CHECK(f.can_view("district"));
  const auto uid = out.proposal->uid;

  // Not the proposer, not the agency's other administrator, not a reader.
  for (const char* who : {"palat", "nh-admin", "auditor", "district"}) {
    const auto e = f.refusal([&](storage::Database& db) { f.gov.approve(db, f.actor(who), uid, f.now); });
    CHECK(e.code() == ErrorCode::forbidden);
  }
  // A second pending change to the same channel is refused until this one is decided.
  const auto second = f.refusal([&](storage::Database& db) {
    f.gov.edit_channel(db, f.actor("palat"), *f.nonghai, "executives", recipients({"district", "district2", "auditor", "clerk"}, {"district", "auditor"}), f.now);
  });
  CHECK(second.code() == ErrorCode::invalid_transition);
  // The district office's administrator refuses it: nothing changed.
  f.writer.run([&](storage::Database& db) { f.gov.refuse(db, f.actor("admin"), uid, f.now); });
  CHECK(has(f.members("recipient"), "district"));
  CHECK(f.can_view("district"));
  const auto entries = f.log_entries();
  const auto refused = boost::json::parse(entries.back()).as_object();
  CHECK(refused.at("event") == "refused");
  CHECK(refused.at("by") == "parent_administrator");
  // Deciding again is refused.
  CHECK(f.refusal([&](storage::Database& db) { f.gov.approve(db, f.actor("admin"), uid, f.now); }).code() ==
        ErrorCode::invalid_transition);
}

TEST_CASE("a removed reader's keys are suspended, restorable within the grace period, then gone") {
  Fixture f;
  const auto out = f.edit("palat", recipients({"district2", "auditor"}, {"auditor"}));
  REQUIRE(out.proposal);
  f.writer.run([&](storage::Database& db) { f.gov.approve(db, f.actor("admin"), out.proposal->uid, f.now); });
  CHECK_FALSE(has(f.members("recipient"), "district"));
  CHECK_FALSE(f.can_view("district"));
  {
    const auto s = f.session("district");
    auto db = f.pool.acquire();
    CHECK_FALSE(storage::case_store::envelope_for(*db, storage::case_store::find_by_number(*db, f.number)->id,
                                                  "complaint", s.key_id));
  }
  // The status page tells the reporter that the readers changed, and when.
  // (Kept to the day: the channel's setting up on the day the case was
  // filed counts too, since a day cannot tell before from after.)
  const auto v = f.status.lookup(f.code);
  REQUIRE(v.readers_changed.size() == 2);
  CHECK(v.readers_changed[0] == bangkok_day_start(kT0));
  CHECK(v.readers_changed[1] == bangkok_day_start(f.now));

  // Restorable, by the district office's administrator only, within 30 days.
  std::vector<storage::DepartureRow> restorable;
  {
    auto db = f.pool.acquire();
    CHECK(f.gov.restorable(*db, f.actor("palat"), f.now).empty());
    restorable = f.gov.restorable(*db, f.actor("admin"), f.now);
  }
  REQUIRE(restorable.size() == 2);  // recipient and custodian
  f.now += 10 * kDay;
  std::int64_t keys = 0;
  f.writer.run([&](storage::Database& db) { keys = f.gov.restore(db, f.actor("admin"), restorable[0].id, f.now); });
  CHECK(keys > 0);
  CHECK(has(f.members("recipient"), "district"));
  CHECK(has(f.members("custodian"), "district"));
  CHECK(f.can_view("district"));
  CHECK(f.triage.view(f.session("district"), f.number).can_reveal_identity);

  // Removed again; the grace period passes; the roll deletes the keys.
  const auto again = f.edit("palat", recipients({"district2", "auditor"}, {"auditor"}));
  REQUIRE(again.proposal);
  f.writer.run([&](storage::Database& db) { f.gov.approve(db, f.actor("admin"), again.proposal->uid, f.now); });
  f.now += 31 * kDay;
  RollResult r;
  f.writer.run([&](storage::Database& db) { r = f.gov.roll(db, f.now); });
  CHECK(r.departures_expired == 2);
  auto db = f.pool.acquire();
  CHECK(f.gov.restorable(*db, f.actor("admin"), f.now).empty());
  CHECK(storage::departure_store::suspended(*db, f.nonghai->id()).empty());
  auto st = db->prepare("SELECT COUNT(*) FROM suspended_keys");
  REQUIRE(st.step());
  CHECK(st.get_int(0) == 0);
  CHECK_FALSE(f.can_view("district"));
}

TEST_CASE("where no one can approve, a change waits in public; a reader vetoes; otherwise it applies") {
  Fixture f;
  // Ten days after everyone's accounts were made, no one is a second
  // person yet (30 days): the subdistrict's own channel takes the wait.
  // Its readers (all made before its first case) are nh-admin, palat,
  // auditor and clerk; palat proposes taking the auditor away.
  f.now = kT0 + 10 * kDay;
  const auto without_auditor = recipients({"nh-admin", "palat", "clerk"}, {"nh-admin"});
  const auto readers_of_default = [&f] {
    auto db = f.pool.acquire();
    return ChannelService::find(*db, *f.nonghai, "default")->recipients;
  };
  REQUIRE(has(readers_of_default(), "auditor"));
  ChannelOutcome out;
  f.writer.run([&](storage::Database& db) {
    out = f.gov.edit_channel(db, f.actor("palat"), *f.nonghai, "default", without_auditor, f.now);
  });
  REQUIRE(out.proposal);
  CHECK(out.proposal->wait);
  CHECK(out.proposal->approvers == "agency");
  CHECK(out.proposal->deadline == f.now + 14 * kDay);
  // Someone who neither reads the channel nor administers an agency above
  // cannot even see it.
  CHECK(f.refusal([&](storage::Database& db) { f.gov.veto(db, f.actor("district2"), out.proposal->uid, f.now); })
            .code() == ErrorCode::not_found);
  // Nothing applies before the end of the wait.
  f.writer.run([&](storage::Database& db) { (void)f.gov.roll(db, f.now + 13 * kDay); });
  CHECK(has(readers_of_default(), "auditor"));
  // A reader of the channel (the auditor themself) vetoes it.
  f.writer.run([&](storage::Database& db) { f.gov.veto(db, f.actor("auditor"), out.proposal->uid, f.now + kDay); });
  f.writer.run([&](storage::Database& db) { (void)f.gov.roll(db, f.now + 15 * kDay); });
  CHECK(has(readers_of_default(), "auditor"));
  {
    auto db = f.pool.acquire();
    CHECK(storage::proposal_store::find_by_uid(*db, out.proposal->uid)->state == "vetoed");
  }
  // Proposed again and not vetoed: it applies at the end of the wait, and
  // a veto after that is too late.
  f.writer.run([&](storage::Database& db) {
    out = f.gov.edit_channel(db, f.actor("palat"), *f.nonghai, "default", without_auditor, f.now);
  });
  REQUIRE(out.proposal);
  CHECK(f.refusal([&](storage::Database& db) { f.gov.veto(db, f.actor("clerk"), out.proposal->uid, f.now + 14 * kDay); })
            .code() == ErrorCode::invalid_transition);
  RollResult r;
  f.writer.run([&](storage::Database& db) { r = f.gov.roll(db, f.now + 14 * kDay); });
  CHECK(r.applied == 1);
  CHECK_FALSE(has(readers_of_default(), "auditor"));
  auto db = f.pool.acquire();
  const auto last = boost::json::parse(storage::change_log_store::last(*db, f.nonghai->id())->entry).as_object();
  CHECK(last.at("event") == "applied");
  CHECK(last.at("how") == "after_wait");
  CHECK(last.at("approved_by") == "nobody");
}

TEST_CASE("what strengthens protection applies at once; weakening the same waits") {
  Fixture f;
  ChannelSpec on;
  on.identity_two_person = true;
  on.outcome_needs_confirmation = true;
  on.retention_days = 3650;
  const auto a = f.edit("palat", on);
  CHECK(a.applied);
  CHECK_FALSE(a.proposal);
  CHECK(a.channel.channel.identity_two_person);
  CHECK(a.channel.channel.retention_days == 3650);
  ChannelSpec off;
  off.identity_two_person = false;
  off.retention_days = 2000;
  const auto b = f.edit("palat", off);
  CHECK_FALSE(b.applied);
  REQUIRE(b.proposal);
  CHECK(b.channel.channel.identity_two_person);
  // The reporter-visible texts are a proposal too.
  // (one proposal per channel at a time: the district office withdraws nothing; palat does)
  f.writer.run([&](storage::Database& db) { f.gov.withdraw(db, f.actor("palat"), b.proposal->uid, f.now); });
  ChannelSpec texts;
  texts.readers_en = "The agency's own staff";
  const auto c = f.edit("palat", texts);
  REQUIRE(c.proposal);
  CHECK(c.channel.channel.readers_en == "The district office");
  // The supervising agency adds its own staff at once; the subdistrict may not.
  f.writer.run([&](storage::Database& db) { f.gov.withdraw(db, f.actor("palat"), c.proposal->uid, f.now); });
  f.writer.run([&](storage::Database& db) {
    f.accounts.add(db, AgencyScope::of(*storage::key_store::load_agency(db, 1)), {"district3", "Third", false, false, kPassword}, kT0);
  });
  const auto d = f.edit("admin", recipients({"district", "district2", "district3", "auditor"}, {"district", "auditor"}));
  CHECK(d.applied);
  CHECK_FALSE(d.proposal);
  CHECK(has(f.members("recipient"), "district3"));
  // The retention floor holds for every channel.
  ChannelSpec short_keep;
  short_keep.retention_days = 30;
  const auto e = f.refusal([&](storage::Database& db) {
    f.gov.edit_channel(db, f.actor("palat"), *f.nonghai, "executives", short_keep, f.now);
  });
  CHECK(e.code() == ErrorCode::invalid_field);
  CHECK(e.field() == "retention_days");
}

TEST_CASE("an account new to its powers is no second person; readers added later get earlier cases case by case") {
  Fixture f;
  // A fresh administrator of the district office cannot approve for 30 days.
  f.writer.run([&](storage::Database& db) {
    f.accounts.add(db, AgencyScope::of(*storage::key_store::load_agency(db, 1)), {"crony", "New admin", false, true, kPassword}, f.now);
  });
  const auto out = f.edit("palat", recipients({"district", "district2", "auditor", "clerk"}, {"district", "auditor"}));
  REQUIRE(out.proposal);
  const auto e = f.refusal([&](storage::Database& db) { f.gov.approve(db, f.actor("crony"), out.proposal->uid, f.now); });
  CHECK(e.code() == ErrorCode::forbidden);
  CHECK(std::string(e.what()).find("30 days") != std::string::npos);
  f.writer.run([&](storage::Database& db) { f.gov.approve(db, f.actor("admin"), out.proposal->uid, f.now); });
  CHECK(has(f.members("recipient"), "clerk"));
  CHECK_FALSE(f.can_view("clerk"));

  // The case came before the clerk's membership: only a custodian of the
  // channel who did not propose it grants it (the auditor).
  // district2 holds keys to it, but grants go between colleagues of one agency.
  CHECK_THROWS_AS(f.triage.grantable(f.session("district2"), "clerk"), CaseError);
  const auto by_auditor = f.triage.grantable(f.session("auditor"), "clerk");
  REQUIRE(by_auditor.size() == 1);
  CHECK(by_auditor[0].case_number == f.number);
  CHECK(by_auditor[0].before_membership);
  CHECK(by_auditor[0].may_grant);
  const auto r = f.triage.grant(f.session("auditor"), "clerk", {f.number});
  CHECK(r.cases == 1);
  CHECK(f.can_view("clerk"));
  CHECK_FALSE(f.triage.view(f.session("clerk"), f.number).can_reveal_identity);
}

TEST_CASE("disabling or re-enrolling a reader of open cases waits; enabling applies at once") {
  Fixture f;
  AccountOutcome out;
  f.writer.run([&](storage::Database& db) { out = f.gov.disable_user(db, f.actor("palat"), *f.nonghai, "auditor", f.now); });
  REQUIRE(out.proposal);
  CHECK(out.proposal->approvers == "parent");  // the auditor reads the overseen channel
  CHECK(f.can_view("auditor"));
  f.writer.run([&](storage::Database& db) { f.gov.approve(db, f.actor("admin"), out.proposal->uid, f.now); });
  CHECK_FALSE(f.can_view("auditor"));
  f.writer.run([&](storage::Database& db) { f.gov.enable_user(db, f.actor("palat"), *f.nonghai, "auditor", f.now + kDay); });
  CHECK(f.can_view("auditor"));  // within the grace period the keys still work
  // The clerk reads no case: disabled at once.
  f.writer.run([&](storage::Database& db) { out = f.gov.disable_user(db, f.actor("palat"), *f.nonghai, "clerk", f.now); });
  CHECK(out.applied);
  CHECK_FALSE(out.proposal);
  // Re-enrolling the auditor waits too.
  f.writer.run([&](storage::Database& db) { out = f.gov.reenrol_user(db, f.actor("palat"), *f.nonghai, "auditor", f.now); });
  REQUIRE(out.proposal);
  CHECK(out.proposal->kind == "user.reset");
  CHECK(f.can_view("auditor"));
}

TEST_CASE("an account's owner sets its password and TOTP from a one-time link") {
  Fixture f;
  EnrolmentLink link;
  f.writer.run([&](storage::Database& db) {
    link = f.enrolments.invite(db, *f.nonghai, {"newbie", "New investigator", false, false, std::nullopt}, f.now, f.actor("palat").user_id);
  });
  CHECK(link.token.size() == 64);
  EnrolmentService::Opened opened;
  {
    auto db = f.pool.acquire();
    opened = f.enrolments.open(*db, link.token, f.now);
  }
  CHECK(opened.user.username == "newbie");
  CHECK(opened.user.totp_sealed.empty());  // nobody can sign in as it yet
  const auto secret = *totp_secret_from_uri(opened.totp_uri);
  const auto wrapped = f.enrolments.wrap_for_owner(opened, link.token, "the owner's own password");
  CHECK(f.refusal([&](storage::Database& db) { f.enrolments.finish(db, link.token, wrapped, "000000", f.now); }).field() ==
        "totp");
  f.writer.run([&](storage::Database& db) { f.enrolments.finish(db, link.token, wrapped, totp_code(secret, f.now), f.now); });
  auto db = f.pool.acquire();
  const auto u = storage::user_store::find_by_username(*db, "newbie");
  REQUIRE(u);
  const auto key = crypto::unwrap_secret_key(AccountService::wrapped_of(*u), "the owner's own password",
                                             AccountService::wrap_context("newbie"));
  CHECK(crypto::KeyPair::from_secret(key).public_key == u->public_key);
  CHECK_FALSE(u->totp_sealed.empty());
  // Used up: the link opens nothing any more.
  CHECK_THROWS_AS(f.enrolments.open(*db, link.token, f.now), CaseError);
  // The account joined no channel: after the agency's first case, readers come by proposal.
  CHECK_FALSE(storage::channel_store::is_member(*db, 2, u->id, "recipient"));
}

TEST_CASE("mail: no relay elsewhere without TLS, no password to another server, a proposal once cases exist") {
  Fixture f;
  MailSettingsChange plain;
  plain.smtp_url = "smtp://mail.example.org";
  plain.from = "krasip@example.org";
  CHECK(f.refusal([&](storage::Database& db) { f.gov.set_mail(db, f.actor("palat"), *f.nonghai, plain, f.now); }).field() ==
        "smtp_url");
  MailSettingsChange local = plain;
  local.smtp_url = "smtp://127.0.0.1:2525";
  local.username = "krasip";
  local.password = crypto::SecureBytes::copy_of(crypto::as_bytes("relay-secret"));
  // The batch times are mail settings too (issue 21, item 2): they wait with the rest.
  local.batch_times = BatchTimes::parse({"12:00", "07:00"});
  GovernanceOutcome out;
  f.writer.run([&](storage::Database& db) { out = f.gov.set_mail(db, f.actor("palat"), *f.nonghai, local, f.now); });
  REQUIRE(out.proposal);
  {
    auto db = f.pool.acquire();
    CHECK_FALSE(load_mail_settings(*db, f.secrets, f.nonghai->id()));
    CHECK(batch_times_of(*db, f.nonghai->id()).stored() == "08:30 13:30");
  }
  f.writer.run([&](storage::Database& db) { f.gov.approve(db, f.actor("admin"), out.proposal->uid, f.now); });
  {
    auto db = f.pool.acquire();
    const auto m = load_mail_settings(*db, f.secrets, f.nonghai->id());
    REQUIRE(m);
    CHECK(std::string(reinterpret_cast<const char*>(m->password.data()), m->password.size()) == "relay-secret");
    CHECK(batch_times_of(*db, f.nonghai->id()).stored() == "07:00 12:00");
  }
  // Moved to another server with the password left blank: the password stays behind.
  MailSettingsChange moved;
  moved.smtp_url = "smtps://mail.attacker.example";
  moved.from = "krasip@example.org";
  moved.username = "krasip";
  f.writer.run([&](storage::Database& db) { out = f.gov.set_mail(db, f.actor("palat"), *f.nonghai, moved, f.now); });
  REQUIRE(out.proposal);
  f.writer.run([&](storage::Database& db) { f.gov.approve(db, f.actor("admin"), out.proposal->uid, f.now); });
  auto db = f.pool.acquire();
  const auto m = load_mail_settings(*db, f.secrets, f.nonghai->id());
  REQUIRE(m);
  CHECK(m->url == "smtps://mail.attacker.example");
  CHECK(m->password.empty());
  CHECK(batch_times_of(*db, f.nonghai->id()).stored() == "07:00 12:00");  // not named: kept
}
