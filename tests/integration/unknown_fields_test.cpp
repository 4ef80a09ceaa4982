// Issue 21, item 6: every JSON body (and every multipart form) with a member
// the route does not take is refused, 400 unknown_field naming it, on every
// route, reporter, investigator and administrator alike; nothing is changed
// by the refused request. The same body without the stray member is then
// taken, so it is the member alone that was refused.
#include <doctest/doctest.h>

#include "db_rows.hpp"
#include "exif_fixture.hpp"
#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "test_clock.hpp"

using namespace krasip::test;
namespace json = boost::json;

namespace {

const std::string kBoundary = "KrasipUnknownFieldBoundary7";
const std::string kMultipart = "multipart/form-data; boundary=" + kBoundary;

std::string part(const std::string& name, const std::string& value, const std::string& filename = {}) {
  std::string p = "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"";
  if (!filename.empty()) p += "; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream";
  return p + "\r\n\r\n" + value + "\r\n";
}
std::string end_parts() { return "--" + kBoundary + "--\r\n"; }

std::string with_member(json::object o, const std::string& name, json::value v) {
  o[name] = std::move(v);
  return json::serialize(o);
}

// Every row of every table: what someone holding the database file sees.
// service_health is the server's own heartbeat, written on a timer.
std::vector<std::vector<std::string>> whole_database(const std::filesystem::path& db) {
  std::vector<std::vector<std::string>> all;
  for (const auto& t :
       db_rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'service_health' ORDER BY name")) {
    all.push_back({"table " + t[0]});
    for (auto& row : db_rows(db, "SELECT * FROM \"" + t[0] + "\"")) all.push_back(std::move(row));
  }
  return all;
}

enum class Who { reporter, investigator, admin };

struct Row {
  std::string name;  // for CAPTURE
  Who who;
  std::string method, target;
  std::string refused;   // the body with the stray member
  std::string field;     // the member's path the error names
  std::string accepted;  // the same body without it (empty: no body at all)
  std::string content_type = "application/json";
};

}  // namespace

TEST_CASE("unknown fields: every route refuses a member it does not take, naming it, and changes nothing") {
  // The accounts' codes follow a test clock: several step-ups in a row
  // without waiting for the next 30 s step.
  TestClock clock;
  ServerProcess server{{"--clock-offset-file", clock.file.string()}};
  const auto port = server.port();
  auto admin_acc = init_admin(server);
  auto alice_acc = add_account(server, "alice", true);
  admin_acc.clock = &clock;
  alice_acc.clock = &clock;
  Investigator admin(port, admin_acc), alice(port, alice_acc);
  // A second channel, so that the reporter has somewhere to escalate to;
  // made before the agency's first case, so it applies at once (issue 20).
  const std::string executives =
      R"({"id":"executives","name_th":"ร้องเรียนผู้บริหาร","name_en":"About the executives",)"
      R"("readers_th":"ผู้ตรวจสอบภายใน","readers_en":"The internal auditor",)"
      R"("identity_readers_th":"ผู้ตรวจสอบภายใน","identity_readers_en":"The internal auditor",)"
      R"("recipients":["alice"],"custodians":["alice"]})";
  REQUIRE(admin.send("POST", "/api/v1/channels", with_step_up(executives, step_up_proof(admin_acc))).status == 201);
  const auto [number, code] = file_complaint(port, true, "default");
  const std::string c = "/api/v1/cases/" + number;
  const std::string jpeg = jpeg_with_gps();
  // A proof that is never checked: every request carrying it is refused first.
  const json::object proof{{"password", "not-checked"}, {"totp", "000000"}};

  json::object complaint_body = complaint(true);
  complaint_body["channel"] = "default";
  json::object odd_subject = complaint_body;
  odd_subject["subject"].as_object()["nickname"] = "ต้อม";
  json::object odd_identity = complaint_body;
  odd_identity["identity"].as_object()["line_id"] = "whistle123";
  const json::object counter{{"source", "counter"},         {"channel", "default"},
                             {"category", "bribery"},       {"subject", {{"name", "นายสมศักดิ์ ตัวอย่าง"}}},
                             {"description", kDescription}, {"identity", nullptr}};
  const json::object escalation{{"tracking_code", code},
                                {"channel", "executives"},
                                {"reason", "ผู้รับเรื่องเป็นผู้ถูกร้องเรียนเอง"},
                                {"move_identity", false}};
  const json::object new_channel{{"id", "oversight"},
                                 {"name_th", "กำกับดูแล"},
                                 {"name_en", "Oversight"},
                                 {"readers_th", "ผู้ตรวจสอบภายใน"},
                                 {"readers_en", "The internal auditor"},
                                 {"identity_readers_th", "ผู้ตรวจสอบภายใน"},
                                 {"identity_readers_en", "The internal auditor"},
                                 {"recipients", json::array{"alice"}},
                                 {"custodians", json::array{"alice"}},
                                 {"step_up", proof}};
  json::object nested_proof = proof;
  nested_proof["remember"] = true;

  const std::vector<Row> rows = {
      // The reporter's routes.
      {"complaint", Who::reporter, "POST", "/api/v1/complaints", with_member(complaint_body, "priority", "high"),
       "priority", json::serialize(complaint_body)},
      {"complaint subject", Who::reporter, "POST", "/api/v1/complaints", json::serialize(odd_subject),
       "subject.nickname", json::serialize(complaint_body)},
      {"complaint identity", Who::reporter, "POST", "/api/v1/complaints", json::serialize(odd_identity),
       "identity.line_id", json::serialize(complaint_body)},
      {"status", Who::reporter, "POST", "/api/v1/status", with_member({{"tracking_code", code}}, "lang", "th"), "lang",
       json::serialize(json::object{{"tracking_code", code}})},
      {"message", Who::reporter, "POST", "/api/v1/status/messages",
       with_member({{"tracking_code", code}, {"body", "มีพยานเพิ่มอีกหนึ่งคน"}}, "urgent", true), "urgent",
       json::serialize(json::object{{"tracking_code", code}, {"body", "มีพยานเพิ่มอีกหนึ่งคน"}})},
      {"download", Who::reporter, "POST", "/api/v1/status/attachments/00112233445566778899aabbccddeeff",
       with_member({{"tracking_code", code}}, "inline", true), "inline",
       json::serialize(json::object{{"tracking_code", code}})},
      {"upload", Who::reporter, "POST", "/api/v1/status/attachments",
       part("tracking_code", code) + part("caption", "ภาพถ่าย") + part("file", jpeg, "map.jpg") + end_parts(), "caption",
       part("tracking_code", code) + part("file", jpeg, "map.jpg") + end_parts(), kMultipart},
      {"escalate", Who::reporter, "POST", "/api/v1/status/escalate", with_member(escalation, "keep_identity", true),
       "keep_identity", json::serialize(escalation)},
      {"login", Who::reporter, "POST", "/api/v1/auth/login",
       with_member({{"username", "nobody"}, {"password", "wrong"}, {"totp", "000000"}}, "remember", true), "remember",
       json::serialize(json::object{{"username", "nobody"}, {"password", "wrong"}, {"totp", "000000"}})},
      {"verify email", Who::reporter, "POST", "/api/v1/me/email/verify",
       with_member({{"token", "not-a-token"}}, "email", "x@example.org"), "email",
       json::serialize(json::object{{"token", "not-a-token"}})},
      // The investigators'.
      {"case patch", Who::investigator, "PATCH", c,
       with_member({{"priority", "high"}}, "exclude", json::array{"alice"}), "exclude", R"({"priority":"high"})"},
      {"note", Who::investigator, "POST", c + "/notes", with_member({{"body", "บันทึกภายใน"}}, "private", true),
       "private", R"({"body":"บันทึกภายใน"})"},
      {"reply", Who::investigator, "POST", c + "/messages",
       with_member({{"body", "ขอข้อมูลเพิ่มเติม"}}, "attachments", json::array{}), "attachments",
       R"({"body":"ขอข้อมูลเพิ่มเติม"})"},
      {"identity", Who::investigator, "POST", c + "/identity",
       with_member({{"reason", "ต้องติดต่อพยานเพื่อสอบข้อเท็จจริง"}}, "purpose", "referral"), "purpose",
       R"({"reason":"ต้องติดต่อพยานเพื่อสอบข้อเท็จจริง"})"},
      {"identity request", Who::investigator, "POST", c + "/identity-requests",
       with_member({{"reason", "ต้องติดต่อพยานเพื่อสอบข้อเท็จจริง"}}, "approver", "alice"), "approver",
       R"({"reason":"ต้องติดต่อพยานเพื่อสอบข้อเท็จจริง"})"},
      {"refuse request", Who::investigator, "POST", c + "/identity-requests/1/refuse",
       with_member({{"reason", "ยังไม่จำเป็น"}}, "notify", true), "notify", R"({"reason":"ยังไม่จำเป็น"})"},
      {"approve request", Who::investigator, "POST", c + "/identity-requests/1/approve", R"({"reason":"ok"})", "reason",
       "{}"},
      {"confirm outcome", Who::investigator, "POST", c + "/outcome/confirm", R"({"note":"ok"})", "note", ""},
      {"decline outcome", Who::investigator, "POST", c + "/outcome/decline",
       with_member({{"reason", "ยังสอบพยานไม่ครบ"}}, "withdraw", true), "withdraw", R"({"reason":"ยังสอบพยานไม่ครบ"})"},
      {"referral", Who::investigator, "POST", c + "/referral",
       with_member({{"body", "nacc"}, {"reference", "ปช 0001/2569"}}, "with_identity", true), "with_identity",
       R"({"body":"nacc","reference":"ปช 0001/2569"})"},
      {"exclusion", Who::investigator, "POST", c + "/exclusions",
       with_member({{"username", "alice"}, {"reason", "เป็นญาติกับผู้ถูกร้องเรียน"}}, "approved", true), "approved",
       R"({"username":"alice","reason":"เป็นญาติกับผู้ถูกร้องเรียน"})"},
      {"approve exclusion", Who::investigator, "POST", c + "/exclusions/alice/approve", R"({"ok":true})", "ok", ""},
      {"lift exclusion", Who::investigator, "POST", c + "/exclusions/alice/lift",
       with_member({{"reason", "ตรวจสอบแล้วไม่เกี่ยวข้อง"}}, "force", true), "force", R"({"reason":"ตรวจสอบแล้วไม่เกี่ยวข้อง"})"},
      {"grant", Who::investigator, "POST", "/api/v1/users/alice/grant", R"({"cases":["x"],"all":true})", "all",
       R"({"cases":["x"]})"},
      {"confirm move", Who::investigator, "POST", c + "/escalation/confirm",
       json::serialize(json::object{{"step_up", proof}, {"reason", "ok"}}), "reason",
       json::serialize(json::object{{"step_up", proof}})},
      {"decline move", Who::investigator, "POST", c + "/escalation/decline", R"({"reason":"no"})", "reason", ""},
      {"replace code", Who::reporter, "POST", "/api/v1/status/replace-code",
       with_member({{"tracking_code", "x"}}, "new_code", "y"), "new_code",
       json::serialize(json::object{{"tracking_code", "x"}})},
      {"approve proposal", Who::admin, "POST", "/api/v1/governance/proposals/p1/approve",
       json::serialize(json::object{{"step_up", proof}, {"note", "ok"}}), "note",
       json::serialize(json::object{{"step_up", proof}})},
      {"veto proposal", Who::investigator, "POST", "/api/v1/governance/proposals/p1/veto",
       json::serialize(json::object{{"step_up", nested_proof}}), "step_up.remember",
       json::serialize(json::object{{"step_up", proof}})},
      {"withdraw proposal", Who::admin, "POST", "/api/v1/governance/proposals/p1/withdraw", R"({"reason":"x"})",
       "reason", "{}"},
      {"restore reader", Who::admin, "POST", "/api/v1/governance/restorations/1",
       json::serialize(json::object{{"step_up", proof}, {"all", true}}), "all",
       json::serialize(json::object{{"step_up", proof}})},
      {"open enrolment", Who::reporter, "POST", "/api/v1/enrol/open", R"({"token":"x","username":"zed"})",
       "username", R"({"token":"x"})"},
      {"finish enrolment", Who::reporter, "POST", "/api/v1/enrol/finish",
       R"({"token":"x","password":"a long passphrase 2569","totp":"000000","admin":true})", "admin",
       R"({"token":"x","password":"a long passphrase 2569","totp":"000000"})"},
      {"enable", Who::admin, "POST", "/api/v1/admin/users/zed/enable",
       json::serialize(json::object{{"step_up", proof}, {"reason", "back"}}), "reason",
       json::serialize(json::object{{"step_up", proof}})},
      {"counter complaint", Who::investigator, "POST", "/api/v1/counter-complaints",
       with_member(counter, "accept_terms", true), "accept_terms", json::serialize(counter)},
      {"file to reporter", Who::investigator, "POST", c + "/attachments",
       part("file", jpeg, "reply.jpg") + part("visible", "yes") + end_parts(), "visible",
       part("file", jpeg, "reply.jpg") + end_parts(), kMultipart},
      {"alerts", Who::investigator, "PUT", "/api/v1/me/alerts", with_member({{"new_case", false}}, "sms", true), "sms",
       R"({"new_case":false})"},
      {"password", Who::investigator, "POST", "/api/v1/auth/password",
       with_member({{"current_password", "wrong"}, {"new_password", "a new long passphrase 2569"}}, "totp", "000000"),
       "totp", R"({"current_password":"wrong","new_password":"a new long passphrase 2569"})"},
      // The administrators'.
      {"new account", Who::admin, "POST", "/api/v1/admin/users",
       with_member({{"username", "zed"}, {"display_name", "Zed"}}, "email", "zed@example.org"), "email",
       R"({"username":"zed","display_name":"Zed"})"},
      {"roles", Who::admin, "PATCH", "/api/v1/admin/users/zed", with_member({{"custodian", false}}, "role", "admin"),
       "role", R"({"custodian":false})"},
      {"reset step_up", Who::admin, "POST", "/api/v1/admin/users/zed/reset",
       json::serialize(json::object{{"step_up", nested_proof}}), "step_up.remember",
       json::serialize(json::object{{"step_up", proof}})},
      {"agency", Who::admin, "PATCH", "/api/v1/admin/agency", with_member({{"name_en", "Nong Hai SAO"}}, "slug", "x"),
       "slug", R"({"name_en":"Nong Hai SAO"})"},
      {"mail", Who::admin, "PUT", "/api/v1/admin/agency/mail",
       with_member({{"smtp_url", "smtp://127.0.0.1:2525"}, {"from", "krasip@example.org"}}, "port", 25), "port",
       R"({"smtp_url":"smtp://127.0.0.1:2525","from":"krasip@example.org"})"},
      {"logo removal", Who::admin, "DELETE", "/api/v1/admin/agency/logo", R"({"keep":true})", "keep", ""},
      {"new channel", Who::admin, "POST", "/api/v1/channels", with_member(new_channel, "identity_two_persons", true),
       "identity_two_persons", json::serialize(new_channel)},
      // A misspelt protection flag is never ignored.
      {"channel flag", Who::admin, "PATCH", "/api/v1/channels/default", R"({"identity_two_persons":true})",
       "identity_two_persons", "(a strengthening with a fresh step-up, made when sent)"},
      {"disable", Who::admin, "POST", "/api/v1/admin/users/zed/disable",
       json::serialize(json::object{{"step_up", proof}, {"reason", "left"}}), "reason",
       json::serialize(json::object{{"step_up", proof}})},
      {"logout", Who::investigator, "POST", "/api/v1/auth/logout", R"({"everywhere":true})", "everywhere", ""},
  };

  const auto send = [&](const Row& row, const std::string& body) {
    if (row.who == Who::reporter) return request(port, row.method, row.target, body, row.content_type);
    const Investigator& who = row.who == Who::admin ? admin : alice;
    return who.send_body(row.method, row.target, body, row.content_type);
  };

  const auto db = server.data_dir() / "data" / "krasip.db";
  const auto before = whole_database(db);
  for (const auto& row : rows) {
    CAPTURE(row.name);
    const auto r = send(row, row.refused);
    CHECK(r.status == 400);
    REQUIRE(r.body.find("\"error\"") != std::string::npos);
    CHECK(error_code(r) == "unknown_field");
    CHECK(error_field(r) == row.field);
    const std::string message(parse(r).at("error").at("message").as_string());
    CHECK(message.find(row.field) != std::string::npos);
  }
  // Nothing written: no case, message, file, account, setting, audit entry;
  // no step-up code used up, no session ended.
  CHECK(whole_database(db) == before);
  CHECK(alice.get("/api/v1/auth/me").status == 200);
  CHECK(parse(alice.get(c)).at("priority").as_string() != "high");

  // The same bodies without the stray member are taken (or refused for a
  // reason of their own: a wrong password, a case with no such request).
  for (const auto& row : rows) {
    CAPTURE(row.name);
    // A strengthening applies at once, with a real step-up (issue 20): the
    // code is made now, so that it is still current when the server sees it.
    const auto r = row.name == "channel flag"
                       ? send(row, with_step_up(R"({"outcome_needs_confirmation":true})", step_up_proof(admin_acc)))
                       : send(row, row.accepted);
    CHECK(r.status != 0);
    if (r.status == 400) CHECK(error_code(r) != "unknown_field");
    if (row.name == "case patch") {
      CHECK(r.status == 200);
      CHECK(parse(alice.get(c)).at("priority").as_string() == "high");
    }
    if (row.name == "channel flag") CHECK_MESSAGE(r.status == 200, r.body);
    if (row.name == "complaint") CHECK(r.status == 201);
  }
  CHECK(alice.get("/api/v1/auth/me").status == 401);  // the logout, taken at last
}

TEST_CASE("unknown fields: the message names the field, shortened and printable, whatever was sent") {
  ServerProcess server;
  const auto port = server.port();
  const std::string long_name(300, 'x');
  auto r = post_json(port, "/api/v1/status", R"({"tracking_code":"x",")" + long_name + R"(":1})");
  CHECK(r.status == 400);
  CHECK(error_code(r) == "unknown_field");
  const std::string field = error_field(r);
  CHECK(field.size() < 80);
  CHECK(field.rfind(std::string(64, 'x'), 0) == 0);
  // A control character in a name is not echoed.
  r = post_json(port, "/api/v1/status", R"({"tracking_code":"x","a\u0007b":1})");
  CHECK(error_code(r) == "unknown_field");
  CHECK(error_field(r) == "a?b");
  // A body that is not an object is refused as such, not read as empty.
  r = post_json(port, "/api/v1/status", R"(["tracking_code"])");
  CHECK(r.status == 400);
  CHECK(error_code(r) == "invalid_field");
}
