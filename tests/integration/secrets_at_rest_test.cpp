#include <doctest/doctest.h>

#include <set>

#include "db_rows.hpp"
#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "server_process.hpp"

using namespace krasip::test;
namespace json = boost::json;

TEST_CASE("no submitted plaintext or tracking code reaches the database, its WAL or the log") {
  ServerProcess server;
  const auto filed = post_json(server.port(), "/api/v1/complaints", json::serialize(complaint(true)));
  REQUIRE(filed.status == 201);
  const std::string code(parse(filed).at("tracking_code").as_string());
  std::string digits;
  for (char c : code) {
    if (c != '-') digits += c;
  }
  // A status lookup and a mistyped one too: neither may log the code.
  REQUIRE(post_json(server.port(), "/api/v1/status",
                    json::serialize(json::object{{"tracking_code", code}})).status == 200);

  const auto wal = server.data_dir() / "data" / "krasip.db-wal";
  REQUIRE(std::filesystem::exists(wal));  // the WAL holds the fresh commit: search it too
  const std::string db_bytes = read_tree(server.data_dir() / "data");
  const std::string log = read_file(server.log_file());
  REQUIRE(db_bytes.size() > 4096);
  // Reporter routes are only counted: no line per complaint or lookup.
  CHECK(log.find("route=/api/v1/complaints") == std::string::npos);
  CHECK(log.find("route=/api/v1/status") == std::string::npos);

  const std::vector<std::string> secrets = {kDescription, "ZEBRA-7731", kReporterName, kNationalId,
                                            kPhone,       kEmail,       code,          digits,
                                            "นายสมศักดิ์ ตัวอย่าง"};
  for (const auto& s : secrets) {
    CAPTURE(s);
    CHECK(db_bytes.find(s) == std::string::npos);
    CHECK(log.find(s) == std::string::npos);
  }
  // No client address in the log either.
  CHECK(log.find("127.0.0.1:") == std::string::npos);
  CHECK(log.find("remote") == std::string::npos);

  // A graceful stop moves the WAL into krasip.db (the file alone is then a
  // whole copy of the data), and the same holds of it.
  CHECK(server.stop() == 0);
  // The counts are written at shutdown (and once a day).
  const std::string final_log = read_file(server.log_file());
  CHECK(final_log.find("event=request_counts method=POST route=/api/v1/complaints status=201 n=1") !=
        std::string::npos);
  CHECK((!std::filesystem::exists(wal) || std::filesystem::file_size(wal) == 0));
  const std::string after = read_tree(server.data_dir() / "data");
  CHECK(after.size() > 4096);
  for (const auto& s : secrets) {
    CAPTURE(s);
    CHECK(after.find(s) == std::string::npos);
  }
}

// A copy of the database must not tell which official is named in which
// case, nor what investigators wrote about it: exclusion reasons, the
// history's details and the audit's are sealed to the case's readers.
TEST_CASE("who is named in a case, and why, is not in the database in clear") {
  ServerProcess server;
  const auto port = server.port();
  auto carol_acc = add_account(server, "carol", true);
  add_account(server, "wichai_named");    // named in the complaint
  add_account(server, "somsri_related");  // excluded by hand, with a reason
  const auto [number, code] = file_complaint(port, true);
  Investigator carol(port, carol_acc);
  const std::string c = "/api/v1/cases/" + number;
  const std::string kReason = "OKAPI-3390 เป็นญาติกับผู้ถูกร้องเรียน";
  const std::string kRevealReason = "IBIS-5521 ต้องนัดสอบปากคำผู้ร้องเรียน";
  REQUIRE(carol.send("PATCH", c, R"({"subject_user":"wichai_named","priority":"high"})").status == 200);
  REQUIRE(carol.send("POST", c + "/exclusions",
                     json::serialize(json::object{{"username", "somsri_related"}, {"reason", kReason}}))
              .status == 201);
  REQUIRE(carol.send("POST", c + "/identity", json::serialize(json::object{{"reason", kRevealReason}}))
              .status == 200);

  // carol, who can open the case, reads all of it.
  const auto view = parse(carol.get(c));
  bool reason_shown = false;
  for (const auto& x : view.at("exclusions").as_array()) {
    if (x.at("username").as_string() == "somsri_related") reason_shown = x.at("reason").as_string() == kReason;
  }
  CHECK(reason_shown);
  std::set<std::string> details;
  for (const auto& h : view.at("history").as_array()) {
    if (h.as_object().contains("detail")) details.emplace(h.at("detail").as_string());
  }
  CHECK(details.count("wichai_named") == 1);
  CHECK(details.count("somsri_related") == 1);
  CHECK(details.count("high") == 1);
  const auto audit = carol.get("/api/v1/audit?case_number=" + number);
  CHECK(audit.body.find(kReason) != std::string::npos);
  CHECK(audit.body.find(kRevealReason) != std::string::npos);
  CHECK(audit.body.find("subject_user=wichai_named") != std::string::npos);

  const auto db = server.data_dir() / "data" / "krasip.db";
  const auto check_copy = [&](const std::string& bytes) {
    for (const std::string& s : {kReason, kRevealReason, std::string("OKAPI-3390"), std::string("IBIS-5521"),
                                 std::string("subject_user="), std::string("named in the complaint")}) {
      CAPTURE(s);
      CHECK(bytes.find(s) == std::string::npos);
    }
    // The accounts exist, in `users`; nothing ties them to the case.
    for (const char* name : {"wichai_named", "somsri_related"}) {
      CAPTURE(name);
      const std::string like = std::string("'%") + name + "%'";
      CHECK(db_rows(db, "SELECT 1 FROM case_events WHERE detail LIKE " + like).empty());
      CHECK(db_rows(db, "SELECT 1 FROM case_exclusions WHERE reason LIKE " + like).empty());
      CHECK(db_rows(db, "SELECT 1 FROM audit_log WHERE detail LIKE " + like).empty());
    }
    CHECK(db_rows(db, "SELECT 1 FROM audit_log WHERE case_id IS NOT NULL AND detail <> ''").empty());
    CHECK(db_rows(db, "SELECT 1 FROM case_exclusions WHERE reason <> ''").empty());
    CHECK(db_rows(db, "SELECT 1 FROM case_events WHERE detail IS NOT NULL").empty());
  };
  check_copy(read_tree(server.data_dir() / "data"));
  CHECK(server.stop() == 0);
  check_copy(read_tree(server.data_dir() / "data"));
}

// Two people (issue 10, item 5): the reasons of identity requests and
// refusals, and an outcome message waiting for a second recipient, are
// sealed like every other reason: not in the data folder in clear.
TEST_CASE("identity request reasons and a pending outcome's message are not in the database in clear") {
  ServerProcess server;
  const auto port = server.port();
  auto alice_acc = add_account(server, "alice");
  auto carol_acc = add_account(server, "carol", true);
  int rc = -1;
  run_krasipd("channel edit --data-dir " + (server.data_dir() / "data").string() +
                  " --id default --identity-two-person yes --outcome-needs-confirmation yes",
              {}, &rc);
  REQUIRE(rc == 0);
  const auto [number, code] = file_complaint(port, true);
  Investigator alice(port, alice_acc), carol(port, carol_acc);
  const std::string c = "/api/v1/cases/" + number;
  const std::string kAsk = "KESTREL-6120 ต้องนัดสอบปากคำผู้ร้องเรียน";
  const std::string kRefusal = "PLOVER-2291 ยังไม่จำเป็นต้องเปิดเผย";
  const std::string kOutcome = "HERON-4417 อยู่นอกอำนาจหน้าที่ของหน่วยงาน";
  auto r = alice.send("POST", c + "/identity-requests", json::serialize(json::object{{"reason", kAsk}}));
  REQUIRE(r.status == 201);
  const auto id = std::to_string(parse(r).at("id").as_int64());
  REQUIRE(carol.send("POST", c + "/identity-requests/" + id + "/refuse",
                     json::serialize(json::object{{"reason", kRefusal}}))
              .status == 200);
  REQUIRE(alice.send("PATCH", c, json::serialize(json::object{{"status", "rejected"}, {"outcome_message", kOutcome}}))
              .status == 202);
  const auto view = carol.get(c);
  CHECK(view.body.find(kAsk) != std::string::npos);
  CHECK(view.body.find(kRefusal) != std::string::npos);
  CHECK(view.body.find(kOutcome) != std::string::npos);
  const auto check_copy = [&](const std::string& bytes) {
    for (const char* s : {"KESTREL-6120", "PLOVER-2291", "HERON-4417"}) {
      CAPTURE(s);
      CHECK(bytes.find(s) == std::string::npos);
    }
  };
  check_copy(read_tree(server.data_dir() / "data"));
  CHECK(server.stop() == 0);
  check_copy(read_tree(server.data_dir() / "data"));
}
