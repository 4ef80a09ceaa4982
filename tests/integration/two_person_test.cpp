// Issue 10, item 5, through the real server: in a channel marked so, no one
// reads who reported alone (a second custodian approves a request) and no
// one ends a case without action alone (a second recipient confirms).
#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "investigator_client.hpp"

using namespace krasip::test;
namespace json = boost::json;

namespace {

void mark_default_channel(ServerProcess& server, const std::string& flag) {
  int rc = -1;
  const auto out =
      run_krasipd("channel edit --data-dir " + (server.data_dir() / "data").string() + " --id default " + flag + " yes",
                  {}, &rc);
  CAPTURE(out);
  REQUIRE(rc == 0);
}

std::string reason_body(const std::string& reason) { return json::serialize(json::object{{"reason", reason}}); }

std::string audit_of(const Investigator& who, const std::string& number) {
  return who.get("/api/v1/audit?case_number=" + number + "&per_page=200").body;
}

HttpResult reporter_status(unsigned short port, const std::string& code) {
  return post_json(port, "/api/v1/status", json::serialize(json::object{{"tracking_code", code}}));
}

const std::string kAsk = "ต้องติดต่อผู้ร้องเพื่อขอเอกสารเพิ่มเติม ASK-4521";
const std::string kNo = "ยังไม่จำเป็น ให้ส่งข้อความถามผู้ร้องก่อน REFUSE-7710";

}  // namespace

TEST_CASE("two-person identity access: asked with a reason, approved by a second custodian, seen once") {
  ServerProcess server;
  const auto port = server.port();
  auto alice_acc = add_account(server, "alice");        // investigator
  auto carol_acc = add_account(server, "carol", true);  // custodians
  auto cathy_acc = add_account(server, "cathy", true);
  mark_default_channel(server, "--identity-two-person");
  const auto [number, code] = file_complaint(port, true);
  Investigator alice(port, alice_acc), carol(port, carol_acc), cathy(port, cathy_acc);
  const std::string c = "/api/v1/cases/" + number;

  // A custodian no longer reveals alone.
  auto r = carol.send("POST", c + "/identity", reason_body(kAsk));
  CHECK(r.status == 403);
  CHECK(r.body.find(kPhone) == std::string::npos);
  auto view = parse(alice.get(c));
  CHECK(view.at("identity_two_person").as_bool());
  CHECK(view.at("can_request_identity").as_bool());
  CHECK_FALSE(view.at("can_reveal_identity").as_bool());
  CHECK_FALSE(parse(carol.get(c)).at("can_reveal_identity").as_bool());
  CHECK(parse(carol.get(c)).at("can_decide_identity_requests").as_bool());
  CHECK_FALSE(view.at("can_decide_identity_requests").as_bool());

  // alice asks, with a reason of ten characters or more.
  r = alice.send("POST", c + "/identity-requests", reason_body("ขอดู"));
  CHECK(r.status == 400);
  CHECK(error_field(r) == "reason");
  r = alice.send("POST", c + "/identity-requests", reason_body(kAsk));
  REQUIRE(r.status == 201);
  const auto id = std::to_string(parse(r).at("id").as_int64());
  CHECK(alice.send("POST", c + "/identity-requests", reason_body(kAsk)).status == 409);
  const auto listed = parse(cathy.get(c + "/identity-requests")).at("requests").as_array();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].at("state").as_string() == "pending");
  CHECK(listed[0].at("requested_by").as_string() == "alice");
  CHECK(listed[0].at("reason").as_string() == kAsk);
  // Asking is not seeing; only a custodian other than the asker decides.
  CHECK(alice.send("POST", c + "/identity", "{}").status == 403);
  CHECK(alice.send("POST", c + "/identity-requests/" + id + "/approve", "").status == 403);
  CHECK(carol.send("POST", c + "/identity-requests/999/approve", "").status == 404);
  CHECK(carol.send("POST", c + "/identity-requests/" + id + "/approve", "").status == 200);
  CHECK(cathy.send("POST", c + "/identity-requests/" + id + "/approve", "").status == 409);
  CHECK(parse(alice.get(c)).at("can_reveal_identity").as_bool());
  // Approving did not let carol see it either.
  CHECK(carol.send("POST", c + "/identity", reason_body(kAsk)).status == 403);

  r = alice.send("POST", c + "/identity", "{}");
  REQUIRE(r.status == 200);
  CHECK(parse(r).at("identity").at("phone").as_string() == kPhone);
  // Once.
  CHECK(alice.send("POST", c + "/identity", reason_body(kAsk)).status == 403);
  view = parse(alice.get(c));
  CHECK(view.at("identity_requests").at(0).at("state").as_string() == "viewed");
  CHECK(view.at("identity_requests").at(0).at("decided_by").as_string() == "carol");
  CHECK(view.at("can_request_identity").as_bool());

  // A custodian asks too; she cannot decide her own request; a refusal says why.
  r = carol.send("POST", c + "/identity-requests", reason_body(kAsk));
  REQUIRE(r.status == 201);
  const auto mine = std::to_string(parse(r).at("id").as_int64());
  CHECK(carol.send("POST", c + "/identity-requests/" + mine + "/approve", "").status == 403);
  CHECK(carol.send("POST", c + "/identity-requests/" + mine + "/refuse", reason_body(kNo)).status == 403);
  CHECK(cathy.send("POST", c + "/identity-requests/" + mine + "/refuse", reason_body("ไม่")).status == 400);
  CHECK(cathy.send("POST", c + "/identity-requests/" + mine + "/refuse", reason_body(kNo)).status == 200);
  CHECK(carol.send("POST", c + "/identity", reason_body(kAsk)).status == 403);
  const auto refused = parse(alice.get(c + "/identity-requests")).at("requests").at(1);
  CHECK(refused.at("state").as_string() == "refused");
  CHECK(refused.at("refusal").as_string() == kNo);
  CHECK(refused.at("decided_by").as_string() == "cathy");

  // Every step in the case's audit, the reasons readable by its readers.
  const auto audit = audit_of(cathy, number);
  for (const char* action : {"identity.request", "identity.approve", "identity.reveal", "identity.refuse"}) {
    CAPTURE(action);
    CHECK(audit.find(std::string("\"") + action + "\"") != std::string::npos);
  }
  CHECK(audit.find("ASK-4521") != std::string::npos);
  CHECK(audit.find("REFUSE-7710") != std::string::npos);
}

TEST_CASE("two-person identity access: an exclusion revokes an approval not yet used") {
  ServerProcess server;
  const auto port = server.port();
  auto alice_acc = add_account(server, "alice");
  auto carol_acc = add_account(server, "carol", true);
  auto cathy_acc = add_account(server, "cathy", true);
  mark_default_channel(server, "--identity-two-person");
  const auto [number, code] = file_complaint(port, true);
  Investigator alice(port, alice_acc), carol(port, carol_acc), cathy(port, cathy_acc);
  const std::string c = "/api/v1/cases/" + number;
  auto r = alice.send("POST", c + "/identity-requests", reason_body(kAsk));
  REQUIRE(r.status == 201);
  const auto id = std::to_string(parse(r).at("id").as_int64());
  REQUIRE(carol.send("POST", c + "/identity-requests/" + id + "/approve", "").status == 200);
  REQUIRE(cathy.send("POST", c + "/exclusions", R"({"username":"alice","reason":"เป็นญาติกับผู้ถูกร้องเรียน"})").status ==
          201);
  // Excluded: the case is "no such case" to her, and so is its identity.
  CHECK(alice.send("POST", c + "/identity-requests", reason_body(kAsk)).status == 404);
  REQUIRE(cathy.send("POST", c + "/exclusions/alice/lift", R"({"reason":"ตรวจสอบแล้วไม่เกี่ยวข้องกับผู้ถูกร้อง"})")
              .status == 200);
  CHECK(alice.get(c).status == 200);
  CHECK(alice.send("POST", c + "/identity", "{}").status == 403);
  CHECK(parse(alice.get(c)).at("identity_requests").at(0).at("state").as_string() == "revoked");
}

TEST_CASE("outcome confirmation: a rejection waits for a second recipient; the reporter hears on confirmation") {
  ServerProcess server;
  const auto port = server.port();
  auto alice_acc = add_account(server, "alice");
  auto erin_acc = add_account(server, "erin");
  mark_default_channel(server, "--outcome-needs-confirmation");
  const auto [number, code] = file_complaint(port, false);
  const auto [second, second_code] = file_complaint(port, false);
  Investigator alice(port, alice_acc), erin(port, erin_acc);
  const std::string c = "/api/v1/cases/" + number;
  const std::string outcome = "เรื่องนี้อยู่นอกอำนาจหน้าที่ของหน่วยงาน ขอให้ติดต่อสำนักงานที่ดิน OUTCOME-8812";

  auto r = alice.send("PATCH", c,
                      json::serialize(json::object{{"status", "rejected"}, {"outcome_message", outcome},
                                                   {"priority", "high"}}));
  REQUIRE(r.status == 202);
  auto view = parse(r);
  CHECK(view.at("status").as_string() == "received");
  CHECK(view.at("priority").as_string() == "high");
  CHECK(view.at("outcome_needs_confirmation").as_bool());
  CHECK(view.at("pending_outcome").at("status").as_string() == "rejected");
  CHECK(view.at("pending_outcome").at("outcome_message").as_string() == outcome);
  CHECK(view.at("pending_outcome").at("proposed_by").as_string() == "alice");
  // The reporter sees nothing yet.
  auto status = reporter_status(port, code);
  REQUIRE(status.status == 200);
  CHECK(parse(status).at("status").as_string() == "received");
  CHECK(status.body.find("OUTCOME-8812") == std::string::npos);
  // Nothing else moves the status meanwhile; the proposer cannot confirm.
  CHECK(erin.send("PATCH", c, R"({"status":"acknowledged"})").status == 409);
  r = alice.send("POST", c + "/outcome/confirm", "");
  CHECK(r.status == 403);
  CHECK(error_code(r) == "forbidden");
  r = erin.send("POST", c + "/outcome/confirm", "");
  REQUIRE(r.status == 200);
  CHECK(parse(r).at("status").as_string() == "rejected");
  CHECK(parse(r).at("pending_outcome").is_null());
  status = reporter_status(port, code);
  CHECK(parse(status).at("status").as_string() == "rejected");
  CHECK(status.body.find("OUTCOME-8812") != std::string::npos);
  CHECK(erin.send("POST", c + "/outcome/confirm", "").status == 409);

  // The second case: declined by a second recipient, with a reason.
  const std::string c2 = "/api/v1/cases/" + second;
  REQUIRE(alice.send("PATCH", c2, json::serialize(json::object{{"status", "rejected"}, {"outcome_message", outcome}}))
              .status == 202);
  CHECK(erin.send("POST", c2 + "/outcome/decline", reason_body("สั้น")).status == 400);
  r = erin.send("POST", c2 + "/outcome/decline", reason_body("ยังสอบพยานไม่ครบทุกคน DECLINE-3141"));
  REQUIRE(r.status == 200);
  CHECK(parse(r).at("status").as_string() == "received");
  CHECK(parse(r).at("pending_outcome").is_null());
  CHECK(reporter_status(port, second_code).body.find("OUTCOME-8812") == std::string::npos);
  // Proposed again and withdrawn by its proposer, no reason needed.
  REQUIRE(alice.send("PATCH", c2, json::serialize(json::object{{"status", "rejected"}, {"outcome_message", outcome}}))
              .status == 202);
  CHECK(alice.send("POST", c2 + "/outcome/decline", "").status == 200);

  const auto audit = audit_of(erin, second);
  for (const char* action : {"case.outcome_decline", "case.outcome_withdraw"}) {
    CAPTURE(action);
    CHECK(audit.find(std::string("\"") + action + "\"") != std::string::npos);
  }
  CHECK(audit.find("DECLINE-3141") != std::string::npos);
  CHECK(audit.find("outcome_proposed=rejected") != std::string::npos);
  CHECK(audit_of(alice, number).find("\"case.outcome_confirm\"") != std::string::npos);
}
