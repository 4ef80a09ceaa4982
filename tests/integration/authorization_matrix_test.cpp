#include <doctest/doctest.h>

#include <map>

#include "fixtures.hpp"
#include "investigator_client.hpp"

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
  // Triage: alice links the complaint's subject to erin's account.
  REQUIRE(alice.send("PATCH", "/api/v1/cases/" + number, R"({"subject_user":"erin"})").status == 200);

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
  };
  // Columns: alice, carol (custodian), dave (admin), erin (excluded), anonymous.
  const std::map<std::string, std::vector<int>> expected = {
      {"list", {200, 200, 200, 200, 401}},
      {"view", {200, 200, 200, 403, 401}},
      {"patch", {200, 200, 200, 403, 401}},
      {"note", {201, 201, 201, 403, 401}},
      {"reply", {201, 201, 201, 403, 401}},
      {"identity", {403, 200, 403, 403, 401}},
      {"assign_erin", {403, 403, 403, 403, 401}},
      {"case_audit", {200, 200, 200, 403, 401}},
      {"all_audit", {403, 403, 200, 403, 401}},
      {"stats", {200, 200, 200, 200, 401}},
      {"public_stats", {200, 200, 200, 200, 200}},
      {"users", {200, 200, 200, 200, 401}},
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
