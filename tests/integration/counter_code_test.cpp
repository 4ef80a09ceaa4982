// Issue 20, items 7 and 9, through the real server: the counter's copy of
// the code is harmless. The internal auditor records a walk-in complaint
// about the executives and keeps the code; with it they try to move the
// case back out of the executives' channel, which the district office
// oversees. The move only waits; the oversight keeps its keys; the district
// officer declines. The citizen replaces the code, and the auditor's copy
// then answers as a number never issued. Case numbers run per channel.
#include <doctest/doctest.h>

#include "db_rows.hpp"
#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "krasip/crypto/tracking_code.hpp"

using namespace krasip::test;
namespace json = boost::json;

namespace {

std::string data_dir(const ServerProcess& s) { return (s.data_dir() / "data").string(); }

HttpResult status_of(unsigned short port, const std::string& code) {
  return post_json(port, "/api/v1/status", json::serialize(json::object{{"tracking_code", code}}));
}

std::string escalation(const std::string& code, bool move_identity = true) {
  return json::serialize(json::object{{"tracking_code", code},
                                      {"channel", "default"},
                                      {"reason", "ขอให้เจ้าหน้าที่สำนักปลัดดูแลแทน"},
                                      {"move_identity", move_identity}});
}

// Keys each account holds to the case's envelopes, by username.
std::map<std::string, std::string> keys_by_account(ServerProcess& server, const std::string& number) {
  std::map<std::string, std::string> out;
  for (const auto& row : db_rows(server.data_dir() / "data" / "krasip.db",
                                 "SELECT u.username, count(*) FROM cases c JOIN envelopes e ON e.case_id = c.id"
                                 " JOIN envelope_keys k ON k.envelope_id = e.id JOIN users u ON u.key_id = k.reader_key_id"
                                 " WHERE c.case_number = '" + number + "' GROUP BY u.username")) {
    out[row[0]] = row[1];
  }
  return out;
}

bool has_activity(const json::value& status, const std::string& kind) {
  for (const auto& a : status.at("activity").as_array()) {
    if (a.at("kind").as_string() == kind) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("counter code: a move out of the oversight channel waits, is declined, and a replaced code is dead") {
  ServerProcess server;
  const auto port = server.port();
  const std::string dir = data_dir(server);
  auto admin_acc = init_admin(server);
  auto alice_acc = add_account(server, "alice");
  auto auditor_acc = add_account(server, "auditor", true);
  // The district office above the subdistrict, and its officer.
  (void)run_krasipd("agency add --fast-kdf --data-dir " + dir +
                    " --slug district --name-th ที่ว่าการอำเภอ --name-en District-Office --case-prefix DO");
  auto district_acc = account_in_output(run_krasipd("user add --fast-kdf --data-dir " + dir +
                                                        " --agency district --username district"
                                                        " --name District --custodian --password-stdin",
                                                    "pw-for-the-district-officer\n"),
                                        "district");
  district_acc.password = "pw-for-the-district-officer";
  int rc = -1;
  (void)run_krasipd("agency edit --data-dir " + dir + " --slug nh --parent district", {}, &rc);
  REQUIRE(rc == 0);
  (void)run_krasipd("channel edit --data-dir " + dir +
                        " --agency nh --id default --recipients admin,alice --custodians admin",
                    {}, &rc);
  REQUIRE(rc == 0);
  (void)run_krasipd("channel add --data-dir " + dir +
                        " --agency nh --id executives --name-th ร้องเรียนผู้บริหาร --name-en Executives"
                        " --readers-th ปลัดอำเภอและผู้ตรวจสอบภายใน --readers-en District-and-auditor"
                        " --identity-readers-th ปลัดอำเภอ --identity-readers-en District"
                        " --recipients auditor,district --custodians auditor,district",
                    {}, &rc);
  REQUIRE(rc == 0);
  Investigator admin(port, admin_acc), alice(port, alice_acc), auditor(port, auditor_acc),
      district(port, district_acc);

  // Item 9: numbers run per channel; the executives' channel is "B", never its slug.
  auto web = complaint(false);
  web["channel"] = "default";
  const auto filed = post_json(port, "/api/v1/complaints?agency=nh", json::serialize(web));
  REQUIRE_MESSAGE(filed.status == 201, filed.body);
  const std::string staff_case(parse(filed).at("case_number").as_string());
  CHECK(staff_case.rfind("NH-", 0) == 0);
  CHECK(staff_case.rfind("NH-B-", 0) != 0);
  CHECK(staff_case.substr(staff_case.size() - 6) == "-00001");
  auto walk_in = complaint(true);
  walk_in.erase("accept_terms");
  walk_in["source"] = "counter";
  walk_in["channel"] = "executives";
  const auto recorded = auditor.send("POST", "/api/v1/counter-complaints", json::serialize(walk_in));
  REQUIRE_MESSAGE(recorded.status == 201, recorded.body);
  const std::string number(parse(recorded).at("case_number").as_string());
  const std::string code(parse(recorded).at("tracking_code").as_string());
  CHECK(number.rfind("NH-B-", 0) == 0);
  CHECK(number.substr(number.size() - 6) == "-00001");  // the executives' first, whatever the staff filed
  CHECK(number.find("executives") == std::string::npos);
  const auto before = keys_by_account(server, number);
  REQUIRE(before.count("district") == 1);
  REQUIRE(before.count("auditor") == 1);
  CHECK(before.count("alice") == 0);

  // The auditor, holding the slip's code, tries to move it to the staff.
  const auto asked = post_json(port, "/api/v1/status/escalate", escalation(code));
  REQUIRE_MESSAGE(asked.status == 202, asked.body);
  CHECK(parse(asked).at("pending").as_bool());
  CHECK(parse(asked).at("message_th").as_string().size() > 0);
  CHECK(std::string(parse(asked).at("message_en").as_string()).find("waiting") != std::string::npos);
  const auto again = post_json(port, "/api/v1/status/escalate", escalation(code, false));
  CHECK(again.status == 409);
  CHECK(error_code(again) == "escalation_pending");

  // Nothing moved: the oversight keeps every key (and gets the request's
  // entry and its audit detail), the staff holds none and gets the one 404.
  const auto during = keys_by_account(server, number);
  CHECK(std::stoi(during.at("district")) == std::stoi(before.at("district")) + 2);
  CHECK(std::stoi(during.at("auditor")) == std::stoi(before.at("auditor")) + 2);
  CHECK(during.count("alice") == 0);
  CHECK(alice.get("/api/v1/cases/" + number).status == 404);
  const auto seen = district.get("/api/v1/cases/" + number);
  REQUIRE(seen.status == 200);
  const auto seen_json = json::parse(seen.body);
  CHECK(seen_json.at("escalation_requests").as_array().at(0).at("state").as_string() == "pending");
  CHECK(seen_json.at("can_confirm_escalation").as_bool());
  const auto by_auditor = json::parse(auditor.get("/api/v1/cases/" + number).body);
  CHECK_FALSE(by_auditor.at("can_confirm_escalation").as_bool());
  const auto waiting = json::parse(status_of(port, code).body);
  CHECK(waiting.at("escalation_request").at("state").as_string() == "pending");
  CHECK(waiting.at("channel").at("id").as_string() == "executives");

  // The auditor cannot confirm their own request: no step-up, then refused with one.
  const auto confirm_path = "/api/v1/cases/" + number + "/escalation/confirm";
  const auto no_proof = auditor.send("POST", confirm_path, "{}");
  CHECK(no_proof.status == 403);
  CHECK(error_code(no_proof) == "step_up_required");
  const auto own = auditor.send("POST", confirm_path, with_step_up("{}", step_up_proof(auditor_acc)));
  CHECK(own.status == 403);
  CHECK(error_code(own) == "forbidden");
  // Nor can someone who does not read the case, even with a step-up.
  CHECK(alice.send("POST", confirm_path, with_step_up("{}", step_up_proof(alice_acc))).status == 404);

  // The district officer declines: the case stays, the reporter is told.
  const auto declined = district.send("POST", "/api/v1/cases/" + number + "/escalation/decline", "{}");
  REQUIRE_MESSAGE(declined.status == 200, declined.body);
  const auto after_decline = json::parse(status_of(port, code).body);
  CHECK(after_decline.at("escalation_request").at("state").as_string() == "declined");
  CHECK(std::string(after_decline.at("escalation_request").at("message_en").as_string()).find("declined") !=
        std::string::npos);
  CHECK(has_activity(after_decline, "escalation_requested"));
  CHECK(has_activity(after_decline, "escalation_declined"));
  const auto kept = keys_by_account(server, number);
  CHECK(kept.at("district") == during.at("district"));
  CHECK(kept.count("alice") == 0);
  CHECK(db_rows(server.data_dir() / "data" / "krasip.db", "SELECT count(*) FROM escalation_plan_keys")[0][0] == "0");

  // The citizen replaces the code at home.
  const auto replaced = post_json(port, "/api/v1/status/replace-code",
                                  json::serialize(json::object{{"tracking_code", code}}));
  REQUIRE_MESSAGE(replaced.status == 200, replaced.body);
  CHECK(replaced.header("cache-control").find("no-store") != std::string::npos);
  const std::string fresh(parse(replaced).at("tracking_code").as_string());
  CHECK(fresh != code);
  CHECK(parse(replaced).at("case_number").as_string() == number);
  // The auditor's copy now answers exactly as a number never issued.
  const auto stale = status_of(port, code);
  const auto never = status_of(port, krasip::crypto::TrackingCode::generate().formatted());
  CHECK(stale.status == 404);
  CHECK(error_code(stale) == "unknown_code");
  CHECK(stale.body == never.body);
  CHECK(post_json(port, "/api/v1/status/escalate", escalation(code)).status == 404);
  CHECK(post_json(port, "/api/v1/status/replace-code", json::serialize(json::object{{"tracking_code", code}}))
            .status == 404);
  // The new one opens everything, the decline included.
  const auto mine = status_of(port, fresh);
  REQUIRE(mine.status == 200);
  CHECK(std::string(parse(mine).at("submission").at("description").as_string()) == kDescription);
  CHECK(parse(mine).at("escalation_request").at("state").as_string() == "declined");

  // The citizen asks again, and the district officer confirms with a step-up.
  REQUIRE(post_json(port, "/api/v1/status/escalate", escalation(fresh)).status == 202);
  const auto confirmed = district.send("POST", confirm_path, with_step_up("{}", step_up_proof(district_acc)));
  REQUIRE_MESSAGE(confirmed.status == 200, confirmed.body);
  CHECK(alice.get("/api/v1/cases/" + number).status == 200);
  CHECK(district.get("/api/v1/cases/" + number).status == 404);
  const auto moved = json::parse(status_of(port, fresh).body);
  CHECK(moved.at("channel").at("id").as_string() == "default");
  CHECK(has_activity(moved, "escalated"));
  // The number stays the one on the slip.
  CHECK(moved.at("case_number").as_string() == number);

  // Item 9: each one's statistics count what they can read.
  const auto stats = [&](const Investigator& who) {
    const auto r = who.get("/api/v1/stats?fiscal_year=" + number.substr(5, 4));
    REQUIRE(r.status == 200);
    return json::parse(r.body).at("received").as_int64();
  };
  CHECK(stats(alice) == 2);
  CHECK(stats(district) == 0);

  // Reporter routes leave no line of their own in the log, and no code.
  const auto log = read_file(server.log_file());
  CHECK(log.find("replace-code") == std::string::npos);
  CHECK(log.find(code) == std::string::npos);
  CHECK(log.find(fresh) == std::string::npos);
}
