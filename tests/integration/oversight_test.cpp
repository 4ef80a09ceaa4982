// Issue 20: no one governs their own oversight. The accused administrator
// of a subdistrict (its ปลัด) tries, through the real server with their own
// password and TOTP, the paths that used to work; each is refused, or
// becomes a proposal the district officer sees and the public page lists;
// then the district office's administrator decides.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "db_rows.hpp"
#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "test_clock.hpp"

using namespace krasip::test;
namespace json = boost::json;

namespace {

constexpr std::int64_t kDay = 86400;

std::string dir_of(const ServerProcess& s) { return (s.data_dir() / "data").string(); }

Account user_add(const std::string& dir, const std::string& agency, const std::string& name, bool custodian,
                 bool admin = false) {
  const std::string pw = "pw-for-" + name + "-long-enough";
  auto a = account_in_output(run_krasipd("user add --fast-kdf --data-dir " + dir + " --agency " + agency +
                                             " --username " + name + " --name " + name +
                                             (custodian ? " --custodian" : "") + (admin ? " --admin" : "") +
                                             " --password-stdin",
                                         pw + "\n"),
                             name);
  a.password = pw;
  return a;
}

std::string body_with(Account& a, json::object o) {
  o["step_up"] = step_up_proof(a);
  return json::serialize(o);
}

json::object pending_in(const Investigator& who, const std::string& uid) {
  const auto r = who.get("/api/v1/governance");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  const auto v = json::parse(r.body);  // kept alive: the loop ranges over its member
  for (const auto& p : v.at("proposals").as_array()) {
    if (p.at("id").as_string() == uid) return p.as_object();
  }
  return {};
}

json::array public_changes(unsigned short port) {
  const auto r = request(port, "GET", "/api/v1/public/changes?agency=nh");
  REQUIRE_MESSAGE(r.status == 200, r.body);
  const auto v = json::parse(r.body);
  CHECK(v.at("intact").as_bool());
  return v.at("entries").as_array();
}

bool opens(const Investigator& who, const std::string& number) {
  const auto r = who.get("/api/v1/cases/" + number);
  if (r.status != 200 && r.status != 404) MESSAGE("case " << number << ": " << r.status << " " << r.body);
  return r.status == 200;
}

// An address verified from the token its verification mail carries (read
// from the outbox: the test has no mail server to receive it).
void verify_address(const ServerProcess& server, const Investigator& who, const std::string& address) {
  REQUIRE(who.send("PUT", "/api/v1/me/alerts", json::serialize(json::object{{"email", address}})).status == 200);
  const auto rows = db_rows(server.data_dir() / "data" / "krasip.db",
                            "SELECT body FROM outbox WHERE recipient = '" + address + "' ORDER BY id DESC LIMIT 1");
  REQUIRE(rows.size() == 1);
  const auto at = rows[0][0].find("verify-email.html#");
  REQUIRE(at != std::string::npos);
  const auto token = rows[0][0].substr(at + 18, 64);
  REQUIRE(post_json(server.port(), "/api/v1/me/email/verify", json::serialize(json::object{{"token", token}})).status ==
          200);
}

// Waits for the service's roll (every --session-sweep-seconds) to do its part.
template <typename F>
bool eventually(F&& done) {
  for (int i = 0; i < 100; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

struct Deployment {
  TestClock clock;
  ServerProcess server{{"--clock-offset-file", clock.file.string(), "--session-sweep-seconds", "1", "--public-url",
                        "https://complaints.example.go.th"}};
  std::string dir = dir_of(server);
  Account palat = init_admin(server);  // agency nh's administrator: the accused
  Account district_admin;
  Account district;
  Account district2;
  Account auditor;
  std::string number;
  std::string code;

  Deployment() {
    const auto out = run_krasipd("agency add --fast-kdf --data-dir " + dir +
                                 " --slug udon-district --name-th อำเภอเมือง --name-en District --case-prefix UD");
    district_admin = account_in_output(out, "udon-district-admin");
    run_krasipd("agency edit --data-dir " + dir + " --slug nh --parent udon-district");
    district = user_add(dir, "udon-district", "district", true);
    district2 = user_add(dir, "udon-district", "district2", true);
    auditor = user_add(dir, "nh", "auditor", true);
    for (auto* a : {&palat, &district_admin, &district, &district2, &auditor}) a->clock = &clock;
    const auto ch = run_krasipd(
        "channel add --data-dir " + dir +
        " --agency nh --id executives --name-th ร้องเรียนผู้บริหาร --name-en Executives --readers-th อำเภอ"
        " --readers-en District --identity-readers-th อำเภอ --identity-readers-en District"
        " --recipients district,district2,auditor --custodians district,auditor");
    REQUIRE(ch.find("executives") != std::string::npos);
    // Forty days on: every account above is an established second person.
    clock.set_days(40);
    auto body = complaint(true);
    body["channel"] = "executives";
    const auto r = post_json(server.port(), "/api/v1/complaints?agency=nh", json::serialize(body));
    REQUIRE_MESSAGE(r.status == 201, r.body);
    const auto v = json::parse(r.body);
    number = std::string(v.at("case_number").as_string());
    code = std::string(v.at("tracking_code").as_string());
  }
};

}  // namespace

TEST_CASE("oversight: the accused administrator's eight paths are refused or wait for the district office") {
  Deployment d;
  const auto port = d.server.port();
  Investigator palat(port, d.palat);
  Investigator district(port, d.district);
  Investigator district_admin(port, d.district_admin);
  Investigator auditor(port, d.auditor);
  REQUIRE(opens(district, d.number));
  REQUIRE_FALSE(opens(palat, d.number));

  // The district officer and the district office's administrator take mail.
  verify_address(d.server, district, "district@district.example.go.th");
  verify_address(d.server, district_admin, "district-admin@district.example.go.th");

  // 1. Removing the district office's readers: never all of them; one, and
  // adding themself, only as a proposal the district office approves.
  auto r = palat.send("PATCH", "/api/v1/channels/executives",
                      body_with(d.palat, {{"recipients", json::array{"auditor", "admin"}},
                                          {"custodians", json::array{"auditor"}}}));
  CHECK(r.status == 400);
  CHECK(error_field(r) == "recipients");
  r = palat.send("PATCH", "/api/v1/channels/executives",
                 body_with(d.palat, {{"recipients", json::array{"district2", "auditor", "admin"}},
                                     {"custodians", json::array{"auditor"}}}));
  REQUIRE_MESSAGE(r.status == 202, r.body);
  const auto uid = std::string(parse(r).at("proposal").at("id").as_string());
  CHECK(parse(r).at("proposal").at("approvers") == "parent");
  CHECK(opens(district, d.number));
  CHECK_FALSE(opens(palat, d.number));
  // The district officer sees it pending; palat cannot approve their own.
  const auto seen = pending_in(district, uid);
  REQUIRE_FALSE(seen.empty());
  CHECK(seen.at("state") == "pending");
  r = palat.send("POST", "/api/v1/governance/proposals/" + uid + "/approve", body_with(d.palat, {}));
  CHECK(r.status == 403);
  // Listed publicly at once, by role: the promise is visibly under question.
  auto entries = public_changes(port);
  const auto proposed = entries.back().at("parsed");
  CHECK(proposed.at("event") == "proposed");
  CHECK(proposed.at("by") == "administrator");
  for (const auto& e : entries) {
    const auto text = std::string(e.at("entry").as_string());
    for (const char* name : {"admin", "district", "district2", "auditor"}) {
      CHECK(text.find(std::string("\"") + name + "\"") == std::string::npos);
    }
  }
  // Both were mailed, through their own agency's mail server (the district
  // office's, never the subdistrict's), and the mail says nothing of the
  // channel or the case.
  const auto db = d.server.data_dir() / "data" / "krasip.db";
  const auto district_id = db_rows(db, "SELECT id FROM agencies WHERE slug = 'udon-district'").at(0).at(0);
  for (const char* to : {"district@district.example.go.th", "district-admin@district.example.go.th"}) {
    CAPTURE(to);
    const auto mails = db_rows(db, std::string("SELECT agency_id, subject, body FROM outbox WHERE recipient = '") + to +
                                       "' AND subject LIKE '%Reporter protection%'");
    REQUIRE(mails.size() == 1);
    CHECK(mails[0][0] == district_id);
    for (const std::string& secret : {std::string("executives"), std::string("Executives"), d.number}) {
      CHECK(mails[0][2].find(secret) == std::string::npos);
    }
  }
  // A replayed code does not approve: the same proof twice is refused.
  const auto proof = step_up_proof(d.district_admin);
  r = district_admin.send("POST", "/api/v1/governance/proposals/" + uid + "/veto",
                          json::serialize(json::object{{"step_up", proof}}));
  CHECK(r.status == 409);  // a proposal with an approver is refused, not vetoed; the proof stays unused
  r = district_admin.send("POST", "/api/v1/governance/proposals/" + uid + "/refuse",
                          json::serialize(json::object{{"step_up", proof}}));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(parse(r).at("proposal").at("state") == "refused");
  r = district_admin.send("POST", "/api/v1/governance/proposals/" + uid + "/approve",
                          json::serialize(json::object{{"step_up", proof}}));
  CHECK(r.status == 403);
  CHECK(error_code(r) == "step_up_failed");
  // Refused: nothing changed.
  CHECK(opens(district, d.number));

  // 2. Disabling the internal auditor: a step-up, then a proposal (it
  // reads the open case); enabling works at once.
  r = palat.send("POST", "/api/v1/admin/users/auditor/disable", "{}");
  CHECK(r.status == 403);
  CHECK(error_code(r) == "step_up_required");
  r = palat.send("POST", "/api/v1/admin/users/auditor/disable", body_with(d.palat, {}));
  REQUIRE_MESSAGE(r.status == 202, r.body);
  CHECK(opens(auditor, d.number));

  // 3. Burial: referred or closed without a finding needs the word to the
  // reporter; retention cannot go below the floor.
  r = auditor.send("PATCH", "/api/v1/cases/" + d.number, R"({"status":"referred"})");
  CHECK(r.status == 400);
  CHECK(error_field(r) == "outcome_message");
  r = palat.send("PATCH", "/api/v1/channels/executives", body_with(d.palat, {{"retention_days", 0}}));
  CHECK(r.status == 400);
  CHECK(error_field(r) == "retention_days");

  // 4. A new account: a step-up, an enrolment link (no password), and no
  // channel: the agency has cases.
  r = palat.send("POST", "/api/v1/admin/users", R"({"username":"crony","display_name":"Crony"})");
  CHECK(r.status == 403);
  r = palat.send("POST", "/api/v1/admin/users", body_with(d.palat, {{"username", "crony"}, {"display_name", "Crony"}}));
  REQUIRE_MESSAGE(r.status == 201, r.body);
  CHECK(parse(r).as_object().if_contains("password") == nullptr);
  CHECK(std::string(parse(r).at("enrolment").at("link").as_string()).find("/console/enrol.html#") != std::string::npos);
  const auto members = db_rows(d.server.data_dir() / "data" / "krasip.db",
                               "SELECT 1 FROM channel_members m JOIN users u ON u.id = m.user_id WHERE u.username = 'crony'");
  CHECK(members.empty());

  // 6. Mail: a relay elsewhere without TLS is refused; a change waits.
  r = palat.send("PUT", "/api/v1/admin/agency/mail",
                 body_with(d.palat, {{"smtp_url", "smtp://mail.attacker.example"}, {"from", "k@example.org"}}));
  CHECK(r.status == 400);
  CHECK(error_field(r) == "smtp_url");
  r = palat.send("PUT", "/api/v1/admin/agency/mail",
                 body_with(d.palat, {{"smtp_url", "smtps://mail.attacker.example"}, {"from", "k@example.org"}}));
  REQUIRE_MESSAGE(r.status == 202, r.body);

  // 8. The operator at the command line follows the same rule.
  int rc = 0;
  const auto cli = run_krasipd("channel edit --data-dir " + d.dir +
                                   " --agency nh --id executives --recipients district2,auditor --custodians auditor" +
                                   d.clock.arg(),
                               {}, &rc);
  CHECK(rc == 0);
  CHECK(cli.find("proposed") != std::string::npos);
  // Two of the server's sweeps (every second here) pass: the operator's
  // proposal still waits, its deadlines on the server's clock.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  const auto listed = run_krasipd("proposals list --data-dir " + d.dir + " --agency nh" + d.clock.arg());
  CHECK(listed.find("channel.edit") != std::string::npos);
  CHECK(listed.find("pending") != std::string::npos);
  CHECK(opens(district, d.number));
}

TEST_CASE("oversight: a removed district officer is restored within the grace period; after it the keys are gone") {
  Deployment d;
  const auto port = d.server.port();
  Investigator palat(port, d.palat);
  Investigator district(port, d.district);
  Investigator district_admin(port, d.district_admin);
  auto r = palat.send("PATCH", "/api/v1/channels/executives",
                      body_with(d.palat, {{"recipients", json::array{"district2", "auditor"}},
                                          {"custodians", json::array{"auditor"}}}));
  REQUIRE_MESSAGE(r.status == 202, r.body);
  const auto uid = std::string(parse(r).at("proposal").at("id").as_string());
  r = district_admin.send("POST", "/api/v1/governance/proposals/" + uid + "/approve", body_with(d.district_admin, {}));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(parse(r).at("proposal").at("state") == "applied");
  CHECK_FALSE(opens(district, d.number));
  // The reporter sees that the readers of their channel changed.
  const auto status = post_json(port, "/api/v1/status", json::serialize(json::object{{"tracking_code", d.code}}));
  REQUIRE_MESSAGE(status.status == 200, status.body);
  CHECK_FALSE(parse(status).at("readers_changed").as_array().empty());

  // Restored by the district office's administrator: every earlier case opens again.
  r = district_admin.get("/api/v1/governance");
  REQUIRE(r.status == 200);
  const auto restorable = parse(r).at("restorable").as_array();
  REQUIRE(restorable.size() == 2);
  r = palat.send("POST", "/api/v1/governance/restorations/" + std::to_string(restorable[0].at("id").as_int64()),
                 body_with(d.palat, {}));
  CHECK(r.status == 403);
  r = district_admin.send("POST", "/api/v1/governance/restorations/" + std::to_string(restorable[0].at("id").as_int64()),
                          body_with(d.district_admin, {}));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(parse(r).at("restored_keys").as_int64() > 0);
  CHECK(opens(district, d.number));

  // Removed again, and 31 days pass: the roll deletes the suspended keys.
  r = palat.send("PATCH", "/api/v1/channels/executives",
                 body_with(d.palat, {{"recipients", json::array{"district2", "auditor"}},
                                     {"custodians", json::array{"auditor"}}}));
  REQUIRE_MESSAGE(r.status == 202, r.body);
  const auto again = std::string(parse(r).at("proposal").at("id").as_string());
  r = district_admin.send("POST", "/api/v1/governance/proposals/" + again + "/approve", body_with(d.district_admin, {}));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  d.clock.set_days(40 + 31);
  const auto db = d.server.data_dir() / "data" / "krasip.db";
  CHECK(eventually([&] { return db_rows(db, "SELECT 1 FROM suspended_keys").empty(); }));
  // A month on, everyone signs in again (sessions end after 30 idle minutes).
  Investigator district_admin2(port, d.district_admin);
  Investigator district2(port, d.district);
  r = district_admin2.get("/api/v1/governance");
  REQUIRE(r.status == 200);
  CHECK(parse(r).at("restorable").as_array().empty());
  CHECK_FALSE(opens(district2, d.number));
}
