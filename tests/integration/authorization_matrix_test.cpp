#include <doctest/doctest.h>

#include <map>

#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "krasip/crypto/tracking_code.hpp"

using namespace krasip::test;
namespace json = boost::json;

// Roles × endpoints × excluded-or-not. Every cell is an exact status: a
// change in any cell (an access widened or narrowed) fails this test.
TEST_CASE("authorization matrix") {
  ServerProcess server;
  const auto port = server.port();
  auto alice_acc = add_account(server, "alice");                   // investigator
  auto carol_acc = add_account(server, "carol", true);             // identity custodian
  auto dave_acc = add_account(server, "dave", false, true);        // administrator
  auto erin_acc = add_account(server, "erin");                     // named in the complaint
  const auto [number, code] = file_complaint(port, true);

  Investigator alice(port, alice_acc), carol(port, carol_acc), dave(port, dave_acc), erin(port, erin_acc);
  // Triage: carol, a custodian, links the complaint's subject to erin's account.
  REQUIRE(carol.send("PATCH", "/api/v1/cases/" + number, R"({"subject_user":"erin"})").status == 200);

  const std::string c = "/api/v1/cases/" + number;
  struct Cell {
    std::string method, target, body;
  };
  const std::vector<std::pair<std::string, Cell>> endpoints = {
      {"list", {"GET", "/api/v1/cases", ""}},
      {"view", {"GET", c, ""}},
      {"patch", {"PATCH", c, R"({"priority":"high"})"}},
      {"note", {"POST", c + "/notes", R"({"body":"บันทึกภายใน"})"}},
      {"reply", {"POST", c + "/messages", R"({"body":"ขอข้อมูลเพิ่มเติม"})"}},
      {"identity", {"POST", c + "/identity", R"({"reason":"ต้องติดต่อพยานเพื่อสอบข้อเท็จจริง"})"}},
      {"assign_erin", {"PATCH", c, R"({"assignee":"erin"})"}},
      {"case_audit", {"GET", "/api/v1/audit?case_number=" + number, ""}},
      {"all_audit", {"GET", "/api/v1/audit", ""}},
      {"stats", {"GET", "/api/v1/stats", ""}},
      {"public_stats", {"GET", "/api/v1/public/stats", ""}},
      {"users", {"GET", "/api/v1/users", ""}},
      // Administration (issue 12): administrators only, and giving a role
      // asks even them for a step-up.
      {"admin_users", {"GET", "/api/v1/admin/users", ""}},
      {"admin_agency", {"GET", "/api/v1/admin/agency", ""}},
      {"admin_give_role", {"PATCH", "/api/v1/admin/users/alice", R"({"custodian":true})"}},
      {"admin_disable_nobody", {"POST", "/api/v1/admin/users/nobody/disable", "{}"}},
  };
  // Columns: alice, carol (custodian), dave (admin), erin (excluded), anonymous.
  // erin gets 404 where the case is concerned: to her it does not exist.
  const std::map<std::string, std::vector<int>> expected = {
      {"list", {200, 200, 200, 200, 401}},
      {"view", {200, 200, 200, 404, 401}},
      {"patch", {200, 200, 200, 404, 401}},
      {"note", {201, 201, 201, 404, 401}},
      {"reply", {201, 201, 201, 404, 401}},
      {"identity", {403, 200, 403, 403, 401}},
      {"assign_erin", {403, 403, 403, 404, 401}},
      {"case_audit", {200, 200, 200, 404, 401}},
      {"all_audit", {403, 403, 200, 403, 401}},
      {"stats", {200, 200, 200, 200, 401}},
      {"public_stats", {200, 200, 200, 200, 200}},
      {"users", {200, 200, 200, 200, 401}},
      {"admin_users", {403, 403, 200, 403, 401}},
      {"admin_agency", {403, 403, 200, 403, 401}},
      {"admin_give_role", {403, 403, 403, 403, 401}},
      {"admin_disable_nobody", {403, 403, 404, 403, 401}},
  };
  const std::vector<const Investigator*> who = {&alice, &carol, &dave, &erin, nullptr};
  const char* names[] = {"alice", "carol", "dave", "erin", "anonymous"};
  for (const auto& endpoint : endpoints) {
    // Not a structured binding: clang 14 cannot capture one in CAPTURE's lambda.
    const std::string& name = endpoint.first;
    const auto& e = endpoint.second;
    for (std::size_t i = 0; i < who.size(); ++i) {
      CAPTURE(name);
      CAPTURE(names[i]);
      const HttpResult r = who[i] != nullptr
                               ? (e.method == "GET" ? who[i]->get(e.target) : who[i]->send(e.method, e.target, e.body))
                               : request(port, e.method, e.target, e.body);
      CHECK(r.status == expected.at(name)[i]);
    }
  }

  // The excluded investigator does not even see the case listed.
  CHECK(erin.get("/api/v1/cases").body.find(number) == std::string::npos);
  CHECK(alice.get("/api/v1/cases").body.find(number) != std::string::npos);
  // Without the CSRF token every state change is refused, for everyone.
  for (const auto* inv : {&alice, &carol, &dave}) {
    const auto r = inv->send("PATCH", c, R"({"priority":"low"})", false);
    CHECK(r.status == 403);
    CHECK(error_code(r) == "csrf_failed");
  }
}

// Case numbers are sequential: if "excluded" answered differently from "no
// such case", walking the numbers would list every case that names you.
TEST_CASE("no such case, no key to it, excluded from it: one answer, byte for byte") {
  ServerProcess server;
  const auto port = server.port();
  auto alice_acc = add_account(server, "alice");
  auto erin_acc = add_account(server, "erin", true);  // custodians, so that identity
  const auto [number, code] = file_complaint(port, true);
  auto frank_acc = add_account(server, "frank", true);  // joined after: no key yet
  Investigator alice(port, alice_acc), erin(port, erin_acc), frank(port, frank_acc);
  // erin, named, recuses herself (the agency's first custodian still holds the case).
  REQUIRE(erin.send("PATCH", "/api/v1/cases/" + number, R"({"subject_user":"erin"})").status == 200);
  const std::string missing = number.substr(0, number.rfind('-') + 1) + "99999";

  struct Call {
    std::string method, path, body;
  };
  const std::vector<Call> calls = {
      {"GET", "", ""},
      {"PATCH", "", R"({"priority":"high"})"},
      {"PATCH", "", R"({"subject_user":"alice"})"},
      {"POST", "/notes", R"({"body":"บันทึกภายใน"})"},
      {"POST", "/messages", R"({"body":"ขอข้อมูลเพิ่มเติม"})"},
      {"POST", "/identity", R"({"reason":"ต้องติดต่อพยานเพื่อสอบข้อเท็จจริง"})"},
      {"POST", "/exclusions", R"({"username":"alice","reason":"เป็นญาติกับผู้ถูกร้องเรียน"})"},
      {"POST", "/exclusions/alice/approve", ""},
      {"POST", "/exclusions/alice/lift", R"({"reason":"ตรวจสอบแล้วไม่เกี่ยวข้องกับเรื่องนี้"})"},
      {"GET", "/attachments/00112233445566778899aabbccddeeff", ""},
      {"GET", "/identity-requests", ""},
      {"POST", "/identity-requests", R"({"reason":"ต้องติดต่อพยานเพื่อสอบข้อเท็จจริง"})"},
      {"POST", "/identity-requests/1/approve", ""},
      {"POST", "/identity-requests/x/approve", ""},
      {"POST", "/identity-requests/1/refuse", R"({"reason":"ยังไม่จำเป็นต้องเปิดเผยตัวผู้ร้อง"})"},
      {"POST", "/outcome/confirm", ""},
      {"POST", "/outcome/decline", R"({"reason":"ยังสอบพยานไม่ครบทุกคน"})"},
      {"POST", "/escalation/decline", ""},
  };
  for (const auto& call : calls) {
    CAPTURE(call.method);
    CAPTURE(call.path);
    const auto ask = [&](const Investigator& who, const std::string& n) {
      const std::string target = "/api/v1/cases/" + n + call.path;
      return call.method == "GET" ? who.get(target) : who.send(call.method, target, call.body);
    };
    const auto unknown = ask(frank, missing);
    const auto no_key = ask(frank, number);
    const auto excluded = ask(erin, number);
    CHECK(unknown.status == 404);
    CHECK(error_code(unknown) == "not_found");
    CHECK(no_key.status == unknown.status);
    CHECK(no_key.body == unknown.body);
    CHECK(excluded.status == unknown.status);
    CHECK(excluded.body == unknown.body);
    CHECK(ask(erin, missing).body == unknown.body);
  }
  const auto audit_unknown = frank.get("/api/v1/audit?case_number=" + missing);
  CHECK(audit_unknown.status == 404);
  CHECK(frank.get("/api/v1/audit?case_number=" + number).body == audit_unknown.body);
  CHECK(erin.get("/api/v1/audit?case_number=" + number).body == audit_unknown.body);

  // The case is untouched by all of that, and alice still works on it.
  const auto view = parse(alice.get("/api/v1/cases/" + number));
  CHECK(view.at("priority").as_string() == "normal");
  CHECK(view.at("notes").as_array().empty());

  // Whoever names themselves is told it is done, not shown the case.
  const auto self = alice.send("PATCH", "/api/v1/cases/" + number, R"({"subject_user":"alice"})");
  REQUIRE(self.status == 200);
  CHECK(parse(self).at("excluded_self").as_bool());
  CHECK(alice.get("/api/v1/cases/" + number).status == 404);
}

// Channels (issue 10): a case filed in the executives' channel, and people
// outside it (an investigator-custodian, the administrator) against the
// channel's recipient. Outside the channel every case endpoint answers the
// 404 of a number never issued, byte for byte.
TEST_CASE("authorization matrix: channels") {
  ServerProcess server;
  const auto port = server.port();
  auto admin_acc = init_admin(server);                      // administrator and custodian, staff channel
  auto palat_acc = add_account(server, "palat", true);      // custodian, staff channel
  auto district_acc = add_account(server, "district", true);
  const auto data = (server.data_dir() / "data").string();
  int rc = -1;
  run_krasipd("channel edit --data-dir " + data + " --id default --recipients admin,palat --custodians admin,palat", {}, &rc);
  REQUIRE(rc == 0);
  run_krasipd("channel add --data-dir " + data +
                  " --id executives --name-th ผู้บริหาร --name-en Executives --readers-th อำเภอ --readers-en District"
                  " --identity-readers-th อำเภอ --identity-readers-en District --recipients district --custodians district",
              {}, &rc);
  REQUIRE(rc == 0);
  auto body = complaint(true);
  body["channel"] = "executives";
  const auto filed = post_json(port, "/api/v1/complaints", json::serialize(body));
  REQUIRE(filed.status == 201);
  const std::string number(parse(filed).at("case_number").as_string());
  std::string missing = number;
  missing.replace(missing.size() - 5, 5, "99999");

  Investigator admin(port, admin_acc), palat(port, palat_acc), district(port, district_acc);
  struct Call {
    std::string name, method, path, body;
  };
  const std::vector<Call> calls = {
      {"view", "GET", "", ""},
      {"patch", "PATCH", "", R"({"priority":"high"})"},
      {"note", "POST", "/notes", R"({"body":"บันทึกภายใน"})"},
      {"reply", "POST", "/messages", R"({"body":"ขอข้อมูลเพิ่มเติม"})"},
      {"identity", "POST", "/identity", R"({"reason":"ต้องติดต่อพยานเพื่อสอบข้อเท็จจริง"})"},
      {"exclude", "POST", "/exclusions", R"({"username":"district","reason":"เกี่ยวข้องกับเรื่อง"})"},
      {"attachment", "GET", "/attachments/00112233445566778899aabbccddeeff", ""},
      {"case_audit", "GET", "", ""},
  };
  // Columns: palat, admin (outside the channel), district (its recipient), anonymous.
  const std::map<std::string, std::vector<int>> expected = {
      {"view", {404, 404, 200, 401}},     {"patch", {404, 404, 200, 401}},
      {"note", {404, 404, 201, 401}},     {"reply", {404, 404, 201, 401}},
      {"identity", {404, 404, 200, 401}}, {"exclude", {404, 404, -1, 401}},
      {"attachment", {404, 404, 404, 401}}, {"case_audit", {404, 404, 200, 401}},
  };
  const auto target = [](const Call& c, const std::string& n) {
    return c.name == "case_audit" ? "/api/v1/audit?case_number=" + n : "/api/v1/cases/" + n + c.path;
  };
  const std::vector<const Investigator*> who = {&palat, &admin, &district, nullptr};
  const char* names[] = {"palat", "admin", "district", "anonymous"};
  for (const auto& call : calls) {
    for (std::size_t i = 0; i < who.size(); ++i) {
      const int want = expected.at(call.name)[i];
      if (want < 0) continue;  // whom a recipient may exclude is the governance rules' matter
      CAPTURE(call.name);
      CAPTURE(names[i]);
      const auto t = target(call, number);
      const HttpResult r = who[i] != nullptr
                               ? (call.method == "GET" ? who[i]->get(t) : who[i]->send(call.method, t, call.body))
                               : request(port, call.method, t, call.body);
      CHECK(r.status == want);
      if (want == 404 && i < 2) {
        const auto t2 = target(call, missing);
        const auto never = call.method == "GET" ? who[i]->get(t2) : who[i]->send(call.method, t2, call.body);
        CHECK(never.status == 404);
        CHECK(r.body == never.body);
      }
    }
  }
  // Nor listed, nor counted, for those outside.
  for (const auto* inv : {&palat, &admin}) {
    CHECK(inv->get("/api/v1/cases").body.find(number) == std::string::npos);
    CHECK(parse(inv->get("/api/v1/stats")).at("received").as_int64() == 0);
  }
  CHECK(district.get("/api/v1/cases").body.find(number) != std::string::npos);
  CHECK(parse(district.get("/api/v1/stats")).at("received").as_int64() == 1);
  // The published figures count every case of the agency once its month is
  // over (public_pages_test.cpp); today's is not in them.
  CHECK(parse(request(port, "GET", "/api/v1/public/stats")).at("received").as_int64() == 0);
}

// Issue 10, item 4: escalation by the reporter. The route takes the
// tracking code alone, whoever calls: an investigator's session adds
// nothing, a case number is no substitute. After the move the matrix of the
// case flips: the staff channel's people get the 404 of a number never
// issued on every case endpoint, the executives' recipient opens it.
TEST_CASE("authorization matrix: escalation") {
  ServerProcess server;
  const auto port = server.port();
  auto admin_acc = init_admin(server);
  auto palat_acc = add_account(server, "palat", true);
  auto district_acc = add_account(server, "district", true);
  const auto data = (server.data_dir() / "data").string();
  int rc = -1;
  run_krasipd("channel edit --data-dir " + data + " --id default --recipients admin,palat --custodians admin,palat", {}, &rc);
  REQUIRE(rc == 0);
  run_krasipd("channel add --data-dir " + data +
                  " --id executives --name-th ผู้บริหาร --name-en Executives --readers-th อำเภอ --readers-en District"
                  " --identity-readers-th อำเภอ --identity-readers-en District --recipients district --custodians district",
              {}, &rc);
  REQUIRE(rc == 0);
  auto body = complaint(true);
  body["channel"] = "default";
  const auto filed = post_json(port, "/api/v1/complaints", json::serialize(body));
  REQUIRE(filed.status == 201);
  const std::string number(parse(filed).at("case_number").as_string());
  const std::string code(parse(filed).at("tracking_code").as_string());
  std::string missing = number;
  missing.replace(missing.size() - 5, 5, "99999");
  Investigator admin(port, admin_acc), palat(port, palat_acc), district(port, district_acc);

  const auto escalation = [&](const std::string& tracking_code) {
    return json::serialize(json::object{{"tracking_code", tracking_code}, {"channel", "executives"},
                                        {"reason", "ปลัดเกี่ยวข้องกับเรื่องที่ร้อง"}, {"move_identity", true}});
  };
  // Investigators: a session is not a tracking code, nor is a case number.
  const auto by_palat = palat.send("POST", "/api/v1/status/escalate", R"({"channel":"executives","reason":"x"})");
  CHECK(by_palat.status == 400);
  CHECK(error_field(by_palat) == "tracking_code");
  const auto by_number = palat.send("POST", "/api/v1/status/escalate",
                                    R"({"case_number":")" + number + R"(","channel":"executives","reason":"x"})");
  CHECK(by_number.status == 400);
  CHECK(error_code(by_number) == "unknown_field");
  CHECK(error_field(by_number) == "case_number");
  const auto wrong = krasip::crypto::TrackingCode::generate().formatted();
  CHECK(palat.send("POST", "/api/v1/status/escalate", escalation(wrong)).status == 404);
  CHECK(palat.get("/api/v1/cases/" + number).status == 200);
  // The reporter, with the code and no session.
  REQUIRE(post_json(port, "/api/v1/status/escalate", escalation(code)).status == 200);

  struct Call {
    std::string name, method, path, body;
  };
  const std::vector<Call> calls = {
      {"view", "GET", "", ""},
      {"patch", "PATCH", "", R"({"priority":"high"})"},
      {"note", "POST", "/notes", R"({"body":"บันทึกภายใน"})"},
      {"reply", "POST", "/messages", R"({"body":"ขอข้อมูลเพิ่มเติม"})"},
      {"identity", "POST", "/identity", R"({"reason":"ต้องติดต่อพยานเพื่อสอบข้อเท็จจริง"})"},
      {"exclude", "POST", "/exclusions", R"({"username":"district","reason":"เกี่ยวข้องกับเรื่อง"})"},
      {"case_audit", "GET", "", ""},
  };
  // Columns: palat, admin (the staff channel, its old readers), district (the new one).
  const std::map<std::string, std::vector<int>> expected = {
      {"view", {404, 404, 200}},     {"patch", {404, 404, 200}}, {"note", {404, 404, 201}},
      {"reply", {404, 404, 201}},    {"identity", {404, 404, 200}}, {"exclude", {404, 404, -1}},
      {"case_audit", {404, 404, 200}},
  };
  const auto target = [](const Call& c, const std::string& n) {
    return c.name == "case_audit" ? "/api/v1/audit?case_number=" + n : "/api/v1/cases/" + n + c.path;
  };
  const std::vector<const Investigator*> who = {&palat, &admin, &district};
  const char* names[] = {"palat", "admin", "district"};
  for (const auto& call : calls) {
    for (std::size_t i = 0; i < who.size(); ++i) {
      const int want = expected.at(call.name)[i];
      if (want < 0) continue;
      CAPTURE(call.name);
      CAPTURE(names[i]);
      const auto t = target(call, number);
      const HttpResult r = call.method == "GET" ? who[i]->get(t) : who[i]->send(call.method, t, call.body);
      CHECK(r.status == want);
      if (want == 404) {
        const auto t2 = target(call, missing);
        const auto never = call.method == "GET" ? who[i]->get(t2) : who[i]->send(call.method, t2, call.body);
        CHECK(r.body == never.body);
      }
    }
  }
}

// Issue 10, item 5, through the real server: an investigator accused in a
// case cannot cut the custodians off nor close it in silence; excluding a
// custodian takes two custodians; a lifted exclusion gives the case back.
TEST_CASE("no one buries a case alone: exclusions, approvals, lifts and outcome messages") {
  ServerProcess server;
  const auto port = server.port();
  auto somchai_acc = add_account(server, "somchai");           // investigator, accused
  auto carol_acc = add_account(server, "carol", true);         // identity custodian
  auto cathy_acc = add_account(server, "cathy", true);         // identity custodian
  auto dave_acc = add_account(server, "dave", false, true);    // administrator
  const auto [number, code] = file_complaint(port, true);
  Investigator somchai(port, somchai_acc), carol(port, carol_acc), cathy(port, cathy_acc), dave(port, dave_acc);
  const std::string c = "/api/v1/cases/" + number;
  const std::string missing = number.substr(0, number.rfind('-') + 1) + "99999";
  const std::string reason = R"({"username":"carol","reason":"เป็นญาติกับผู้ถูกร้องเรียนโดยตรง"})";

  // The accused cannot exclude the custodian alone, by either route.
  auto r = somchai.send("POST", c + "/exclusions", reason);
  CHECK(r.status == 403);
  CHECK(error_code(r) == "forbidden");
  CHECK(r.body.find("custodian") != std::string::npos);
  CHECK(somchai.send("PATCH", c, R"({"subject_user":"carol"})").status == 403);
  CHECK(carol.get(c).status == 200);
  // Nor approve or lift anything.
  CHECK(somchai.send("POST", c + "/exclusions/carol/approve", "").status == 403);
  CHECK(somchai.send("POST", c + "/exclusions/carol/lift", R"({"reason":"ไม่เกี่ยวข้องกับเรื่องนี้เลย"})").status ==
        403);

  // Nor reject it without telling the reporter why.
  r = somchai.send("PATCH", c, R"({"status":"rejected"})");
  CHECK(r.status == 400);
  CHECK(error_code(r) == "missing_field");
  CHECK(error_field(r) == "outcome_message");
  CHECK(parse(carol.get(c)).at("status").as_string() == "received");

  // A custodian excludes him: a reason of ten characters at least.
  CHECK(carol.send("POST", c + "/exclusions", R"({"username":"somchai","reason":"ญาติ"})").status == 400);
  r = carol.send("POST", c + "/exclusions", R"({"username":"somchai","reason":"ถูกกล่าวหาในเรื่องร้องเรียนนี้"})");
  CHECK(r.status == 201);
  CHECK_FALSE(parse(r).at("pending").as_bool());
  CHECK(somchai.get(c).body == somchai.get("/api/v1/cases/" + missing).body);
  CHECK(somchai.get(c).status == 404);

  // The administrator asks to exclude carol: pending, carol keeps access.
  r = dave.send("POST", c + "/exclusions", reason);
  CHECK(r.status == 202);
  CHECK(parse(r).at("pending").as_bool());
  CHECK(carol.get(c).status == 200);
  auto view = parse(cathy.get(c));
  REQUIRE(view.at("pending_exclusions").as_array().size() == 1);
  CHECK(view.at("pending_exclusions").at(0).at("username").as_string() == "carol");
  CHECK(view.at("pending_exclusions").at(0).at("requested_by").as_string() == "dave");
  CHECK(view.at("can_approve_exclusions").as_bool());
  CHECK_FALSE(parse(dave.get(c)).at("can_approve_exclusions").as_bool());
  CHECK(parse(dave.get(c)).at("can_exclude_others").as_bool());
  // Not the requester (no custodian anyway), not carol herself; the excluded see 404.
  CHECK(dave.send("POST", c + "/exclusions/carol/approve", "").status == 403);
  r = carol.send("POST", c + "/exclusions/carol/approve", "");
  CHECK(r.status == 403);
  CHECK(error_code(r) == "forbidden");
  CHECK(somchai.send("POST", c + "/exclusions/carol/approve", "").status == 404);
  CHECK(cathy.send("POST", c + "/exclusions/erin/approve", "").status == 400);  // no such account
  CHECK(carol.get(c).status == 200);
  // A second custodian approves: carol is out.
  CHECK(cathy.send("POST", c + "/exclusions/carol/approve", "").status == 200);
  CHECK(carol.get(c).status == 404);
  view = parse(cathy.get(c));
  CHECK(view.at("pending_exclusions").as_array().empty());
  bool approved = false;
  for (const auto& x : view.at("exclusions").as_array()) {
    if (x.at("username").as_string() == "carol") approved = x.at("approved_by").as_string() == "cathy";
  }
  CHECK(approved);

  // Lifting: a custodian, with a reason; the keys come back, identity too.
  CHECK(dave.send("POST", c + "/exclusions/carol/lift", R"({"reason":"ตรวจสอบแล้วไม่เกี่ยวข้อง"})").status == 403);
  CHECK(cathy.send("POST", c + "/exclusions/carol/lift", R"({"reason":"สั้น"})").status == 400);
  r = cathy.send("POST", c + "/exclusions/carol/lift", R"({"reason":"ตรวจสอบแล้วไม่เกี่ยวข้องกับผู้ถูกร้อง"})");
  CHECK(r.status == 200);
  CHECK(parse(r).at("keys").as_int64() > 0);
  CHECK(cathy.send("POST", c + "/exclusions/carol/lift", R"({"reason":"ตรวจสอบแล้วไม่เกี่ยวข้องกับผู้ถูกร้อง"})")
            .status == 409);
  r = carol.get(c);
  CHECK(r.status == 200);
  CHECK(r.body.find("ZEBRA-7731") != std::string::npos);
  CHECK(carol.send("POST", c + "/identity", R"({"reason":"ต้องติดต่อพยานเพื่อสอบข้อเท็จจริง"})").status == 200);

  // Rejected with an outcome message: the reporter reads why.
  const std::string outcome = "เรื่องนี้อยู่ในอำนาจของสำนักงานที่ดินจังหวัด จึงส่งต่อไม่ได้ OUTCOME-5150";
  r = cathy.send("PATCH", c, json::serialize(json::object{{"status", "rejected"}, {"outcome_message", outcome}}));
  CHECK(r.status == 200);
  CHECK(parse(r).at("status").as_string() == "rejected");
  const auto status = post_json(port, "/api/v1/status", json::serialize(json::object{{"tracking_code", code}}));
  REQUIRE(status.status == 200);
  CHECK(status.body.find("OUTCOME-5150") != std::string::npos);

  // Every step is in the case's audit, its details readable to the case's readers.
  const auto audit = cathy.get("/api/v1/audit?case_number=" + number + "&per_page=200");
  for (const char* action : {"case.exclude", "case.exclude_request", "case.exclude_approve", "case.exclusion_lift"}) {
    CAPTURE(action);
    CHECK(audit.body.find(std::string("\"") + action + "\"") != std::string::npos);
  }
  CHECK(audit.body.find("ตรวจสอบแล้วไม่เกี่ยวข้องกับผู้ถูกร้อง") != std::string::npos);
}

TEST_CASE("anyone may recuse themselves through the exclusions route") {
  ServerProcess server;
  const auto port = server.port();
  auto alice_acc = add_account(server, "alice");
  const auto [number, code] = file_complaint(port, false);
  Investigator alice(port, alice_acc);
  const std::string c = "/api/v1/cases/" + number;
  const auto r = alice.send("POST", c + "/exclusions", R"({"username":"alice"})");
  CHECK(r.status == 201);
  CHECK(parse(r).at("excluded_self").as_bool());
  CHECK(alice.get(c).status == 404);
  // The agency's first account, the last custodian, may not recuse.
  auto admin_acc = init_admin(server);
  Investigator admin(port, admin_acc);
  const auto last = admin.send("POST", c + "/exclusions", R"({"username":"admin"})");
  CHECK(last.status == 403);
  CHECK(last.body.find("no identity custodian") != std::string::npos);
  CHECK(admin.get(c).status == 200);
}

// Two people (issue 10, item 5): a channel with two-person identity access
// and outcome confirmation. Columns: alice (investigator), carol and cathy
// (custodians), dave (administrator, not a custodian), erin (excluded),
// anonymous. Rows run in order: each may depend on the rows before.
TEST_CASE("authorization matrix: two-person identity access and outcome confirmation") {
  ServerProcess server;
  const auto port = server.port();
  auto alice_acc = add_account(server, "alice");
  auto carol_acc = add_account(server, "carol", true);
  auto cathy_acc = add_account(server, "cathy", true);
  auto dave_acc = add_account(server, "dave", false, true);
  auto erin_acc = add_account(server, "erin");
  int rc = -1;
  run_krasipd("channel edit --data-dir " + (server.data_dir() / "data").string() +
                  " --id default --identity-two-person yes --outcome-needs-confirmation yes",
              {}, &rc);
  REQUIRE(rc == 0);
  const auto [number, code] = file_complaint(port, true);
  Investigator alice(port, alice_acc), carol(port, carol_acc), cathy(port, cathy_acc), dave(port, dave_acc),
      erin(port, erin_acc);
  const std::string c = "/api/v1/cases/" + number;
  REQUIRE(carol.send("PATCH", c, R"({"subject_user":"erin"})").status == 200);
  const std::string why = R"({"reason":"ต้องติดต่อพยานเพื่อสอบข้อเท็จจริง"})";

  const std::vector<const Investigator*> who = {&alice, &carol, &cathy, &dave, &erin, nullptr};
  const std::vector<std::string> names = {"alice", "carol", "cathy", "dave", "erin", "anonymous"};
  const auto row = [&](const std::string& name, const std::string& method, const std::string& target,
                       const std::string& body, const std::vector<int>& want) {
    for (std::size_t i = 0; i < who.size(); ++i) {
      CAPTURE(name);
      CAPTURE(names[i]);
      const HttpResult r = who[i] != nullptr
                               ? (method == "GET" ? who[i]->get(target) : who[i]->send(method, target, body))
                               : request(port, method, target, body);
      CHECK(r.status == want[i]);
    }
  };
  const auto request_id = [&](const std::string& asker) {
    const auto listed = parse(carol.get(c + "/identity-requests"));
    for (const auto& r : listed.at("requests").as_array()) {
      if (r.at("requested_by").as_string() == asker && r.at("state").as_string() == "pending") {
        return std::to_string(r.at("id").as_int64());
      }
    }
    FAIL("no pending request of " << asker);
    return std::string();
  };

  row("reveal alone", "POST", c + "/identity", why, {403, 403, 403, 403, 403, 401});
  row("ask", "POST", c + "/identity-requests", why, {201, 201, 201, 201, 404, 401});
  row("list", "GET", c + "/identity-requests", "", {200, 200, 200, 200, 404, 401});
  // dave's request: custodians other than him decide; the first decision stands.
  row("approve dave's", "POST", c + "/identity-requests/" + request_id("dave") + "/approve", "",
      {403, 200, 409, 403, 404, 401});
  // carol's own request: she cannot decide it; cathy can.
  row("refuse carol's", "POST", c + "/identity-requests/" + request_id("carol") + "/refuse", why,
      {403, 403, 200, 403, 404, 401});
  row("approve cathy's", "POST", c + "/identity-requests/" + request_id("cathy") + "/approve", "",
      {403, 200, 403, 403, 404, 401});
  // Only the approved see it, once.
  row("reveal", "POST", c + "/identity", why, {403, 403, 200, 200, 403, 401});
  row("reveal again", "POST", c + "/identity", why, {403, 403, 403, 403, 403, 401});

  // Outcome: alice proposes; the proposer cannot confirm; a second recipient can.
  REQUIRE(alice.send("PATCH", c, R"({"status":"rejected","outcome_message":"อยู่นอกอำนาจหน้าที่ของหน่วยงาน"})").status ==
          202);
  row("confirm", "POST", c + "/outcome/confirm", "", {403, 200, 409, 409, 404, 401});
  row("decline, none pending", "POST", c + "/outcome/decline", why, {409, 409, 409, 409, 404, 401});
}
