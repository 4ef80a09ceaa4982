#include <doctest/doctest.h>
#include <sqlite3.h>

#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "krasip/cases/audit/audit_log.hpp"
#include "krasip/cases/agencies/data_paths.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/storage/audit_store.hpp"
#include "krasip/storage/database.hpp"

using namespace krasip::test;
namespace json = boost::json;

namespace {
void sql(const std::filesystem::path& db, const std::string& statement) {
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(h, statement.c_str(), nullptr, nullptr, &err);
  CAPTURE(statement);
  CAPTURE((err != nullptr ? err : ""));
  sqlite3_free(err);
  sqlite3_close(h);
  REQUIRE(rc == SQLITE_OK);
}
}  // namespace

TEST_CASE("krasipd audit verify finds an edited or removed entry") {
  ServerProcess server;
  auto carol_acc = add_account(server, "carol", true);
  const auto [number, code] = file_complaint(server.port(), false);
  {
    Investigator carol(server.port(), carol_acc);
    REQUIRE(carol.get("/api/v1/cases/" + number).status == 200);
    REQUIRE(carol.send("PATCH", "/api/v1/cases/" + number, R"({"status":"acknowledged"})").status == 200);
  }
  REQUIRE(server.stop() == 0);
  const auto data = server.data_dir() / "data";
  const auto db = data / "krasip.db";
  const std::string verify = "audit verify --data-dir " + data.string();
  int rc = -1;
  CHECK(run_krasipd(verify, "", &rc).find("intact") != std::string::npos);
  CHECK(rc == 0);
  // Each agency has its own chain; the only one may be named or not.
  CHECK(run_krasipd(verify + " --agency nh", "", &rc).find("intact") != std::string::npos);
  CHECK(rc == 0);
  CHECK(run_krasipd(verify + " --agency nowhere", "", &rc).find("no agency 'nowhere'") != std::string::npos);
  CHECK(rc != 0);

  // The log refuses edits through SQL...
  sqlite3* h = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &h) == SQLITE_OK);
  CHECK(sqlite3_exec(h, "UPDATE audit_log SET detail = 'x' WHERE seq = 2", nullptr, nullptr, nullptr) != SQLITE_OK);
  CHECK(sqlite3_exec(h, "DELETE FROM audit_log WHERE seq = 2", nullptr, nullptr, nullptr) != SQLITE_OK);
  sqlite3_close(h);

  SUBCASE("an edited entry") {
    // ...and someone who drops the triggers is still caught.
    sql(db, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET action = 'case.nothing' WHERE action = 'case.view'");
  }
  SUBCASE("a removed entry") {
    sql(db, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE action = 'user.add'");
  }
  const auto out = run_krasipd(verify, "", &rc);
  CHECK(rc != 0);
  CHECK(out.find("BROKEN at entry") != std::string::npos);
}

TEST_CASE("statistics per Thai fiscal year, as JSON and CSV; public ones hide case numbers") {
  ServerProcess server;
  auto alice_acc = add_account(server, "alice");
  for (int i = 0; i < 3; ++i) file_complaint(server.port(), i == 0);
  const auto [number, code] = file_complaint(server.port(), false);
  Investigator alice(server.port(), alice_acc);
  REQUIRE(alice.send("PATCH", "/api/v1/cases/" + number,
                     R"({"status":"rejected","outcome_message":"เรื่องนี้ไม่อยู่ในอำนาจหน้าที่ของหน่วยงาน"})")
              .status == 200);

  const auto r = alice.get("/api/v1/stats");
  REQUIRE(r.status == 200);
  const auto s = parse(r);
  CHECK(s.at("received").as_int64() == 4);
  CHECK(s.at("in_progress").as_int64() == 3);
  CHECK(s.at("completed").as_int64() == 1);
  CHECK(s.at("by_category").at("bribery").as_int64() == 4);
  CHECK(s.at("by_status").at("rejected").as_int64() == 1);
  CHECK(s.at("by_month").as_array().size() == 12);
  CHECK(s.at("by_month").at(0).at("month").as_int64() == 10);  // the fiscal year opens in October
  const int fy = static_cast<int>(s.at("fiscal_year").as_int64());
  CHECK(std::string(s.at("period_start").as_string()) == std::to_string(fy - 543 - 1) + "-10-01T00:00:00+07:00");

  const auto pub = request(server.port(), "GET", "/api/v1/public/stats?fiscal_year=" + std::to_string(fy));
  REQUIRE(pub.status == 200);
  // The investigator's figures are live; the published ones cover completed
  // months only (issue 21, item 1): this month's four are not in them yet.
  CHECK(parse(pub).at("received").as_int64() == 0);
  CHECK(parse(pub).at("period").as_string() == "month");
  CHECK(pub.body.find(number) == std::string::npos);
  CHECK(pub.body.find("by_status") == std::string::npos);

  const auto csv = request(server.port(), "GET", "/api/v1/public/stats?format=csv&fiscal_year=" + std::to_string(fy));
  REQUIRE(csv.status == 200);
  CHECK(csv.header("content-type") == "text/csv; charset=utf-8");
  CHECK(csv.body.rfind("\xEF\xBB\xBF" "section,key,label_th,label_en,count", 0) == 0);
  CHECK(csv.body.find("\"received\",\"รับเรื่องทั้งหมด ปีงบประมาณ " + std::to_string(fy) + " ถึง ") != std::string::npos);
  CHECK(csv.body.find("\"total\",\"received\"") != std::string::npos);

  const auto last_year = parse(request(server.port(), "GET", "/api/v1/public/stats?fiscal_year=" + std::to_string(fy - 1)));
  CHECK(last_year.at("received").as_int64() == 0);
  CHECK(request(server.port(), "GET", "/api/v1/public/stats?fiscal_year=2025").status == 400);
}

namespace {
// The value the console offers for publishing this month ("ID:HASH").
std::string published_head(Investigator& who) {
  const auto r = who.get("/api/v1/audit/heads");
  REQUIRE(r.status == 200);
  const auto heads = parse(r);
  REQUIRE(heads.at("intact").as_bool());
  const auto& months = heads.at("month_ends").as_array();
  REQUIRE(!months.empty());
  const auto& last = months.back().as_object();
  CHECK(last.at("id").as_int64() == heads.at("entries").as_int64());
  return std::string(last.at("published_form").as_string());
}
}  // namespace

TEST_CASE("a head published from the console proves later that the log before it was not rewritten or cut") {
  ServerProcess server;
  auto carol_acc = add_account(server, "carol", true);
  const auto [number, code] = file_complaint(server.port(), false);
  std::string head;
  {
    Investigator carol(server.port(), carol_acc);
    REQUIRE(carol.get("/api/v1/cases/" + number).status == 200);
    head = published_head(carol);
    // Work goes on after publishing: the published head stays a prefix.
    REQUIRE(carol.send("PATCH", "/api/v1/cases/" + number, R"({"status":"acknowledged"})").status == 200);
  }
  REQUIRE(server.stop() == 0);
  const auto data = server.data_dir() / "data";
  const auto db = data / "krasip.db";
  const std::string verify = "audit verify --data-dir " + data.string() + " --published " + head;
  int rc = -1;
  auto out = run_krasipd(verify, "", &rc);
  CHECK_MESSAGE(rc == 0, out);
  CHECK(out.find("matches") != std::string::npos);
  const auto head_id = head.substr(0, head.find(':'));

  SUBCASE("the entries since the published one are cut off, and with them the published one") {
    // The chain that is left is intact: only the published head shows the cut.
    sql(db, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id >= " + head_id);
    const auto plain = run_krasipd("audit verify --data-dir " + data.string(), "", &rc);
    CHECK_MESSAGE(rc == 0, plain);
    out = run_krasipd(verify, "", &rc);
    CHECK(rc == 1);
    CHECK(out.find("MISSING") != std::string::npos);
  }
  SUBCASE("someone holding the host (and so the pepper) rebuilds the chain to hide who opened the case") {
    const auto paths = krasip::cases::DataPaths::in(data);
    const auto secrets = krasip::cases::ServerSecrets::load(paths.pepper_file);
    const krasip::cases::AuditLog chain(secrets.pepper);
    std::vector<krasip::storage::AuditRow> rows;
    {
      krasip::storage::Database handle(db, krasip::storage::OpenMode::read_write);
      krasip::storage::audit_store::for_each(handle, 1, [&](const krasip::storage::AuditRow& r) {
        rows.push_back(r);
        return true;
      });
      handle.exec("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log");
      for (const auto& r : rows) {
        const bool hide = r.action == "case.view";
        krasip::cases::AuditEvent e{r.at, hide ? std::nullopt : r.actor_user_id, r.action, r.case_id, r.detail};
        e.detail_envelope_id = r.detail_envelope_id;
        e.detail_nonce = r.detail_nonce;
        e.detail_ciphertext = r.detail_ciphertext;
        chain.append(handle, e);
      }
    }
    const auto plain = run_krasipd("audit verify --data-dir " + data.string(), "", &rc);
    CHECK_MESSAGE(rc == 0, plain);  // consistent on its own...
    out = run_krasipd(verify, "", &rc);
    CHECK(rc == 1);  // ...but not with what was published
    CHECK(out.find("DIFFERS") != std::string::npos);
  }
  SUBCASE("a malformed published value is refused") {
    out = run_krasipd("audit verify --data-dir " + data.string() + " --published 12:abc", "", &rc);
    CHECK(rc != 0);
    CHECK(out.find("ENTRY_ID:HASH") != std::string::npos);
  }
}

TEST_CASE("the audit view shows entries about a case only to those who can open it, admins too") {
  ServerProcess server;
  const auto port = server.port();
  auto alice_acc = add_account(server, "alice");
  auto dave_acc = add_account(server, "dave", false, true);  // administrator
  const auto named = file_complaint(port, false).first;      // names dave
  const auto other = file_complaint(port, false).first;
  Investigator alice(port, alice_acc), dave(port, dave_acc);
  REQUIRE(dave.get("/api/v1/cases/" + named).status == 200);
  // dave, named, recuses himself (an investigator may not exclude an administrator).
  REQUIRE(dave.send("PATCH", "/api/v1/cases/" + named, R"({"subject_user":"dave"})").status == 200);
  REQUIRE(alice.send("POST", "/api/v1/cases/" + named + "/notes", R"({"body":"ตรวจสอบเอกสาร"})").status == 201);
  REQUIRE(alice.get("/api/v1/cases/" + other).status == 200);

  const auto entries = [](const HttpResult& r) {
    REQUIRE(r.status == 200);
    return parse(r).at("entries").as_array();
  };
  const auto mentions = [](const json::array& list, const std::string& number) {
    int n = 0;
    for (const auto& e : list) {
      if (e.at("case_number").is_string() && e.at("case_number").as_string() == number) ++n;
    }
    return n;
  };
  const auto all = entries(dave.get("/api/v1/audit?per_page=200"));
  // Not even dave's own view of the case before he was named.
  CHECK(mentions(all, named) == 0);
  CHECK(dave.get("/api/v1/audit").body.find(named) == std::string::npos);
  // What he may open, and entries about no case, he still sees.
  CHECK(mentions(all, other) >= 1);
  bool logins = false;
  for (const auto& e : all) logins = logins || e.at("action").as_string() == "auth.login";
  CHECK(logins);
  // Paging counts only what he may see: the first page is full of it.
  const auto first = entries(dave.get("/api/v1/audit?per_page=2"));
  CHECK(first.size() == 2);
  CHECK(mentions(first, named) == 0);

  // alice opens the case: she sees its entries, the sealed detail opened.
  const auto hers = entries(alice.get("/api/v1/audit?case_number=" + named));
  CHECK(mentions(hers, named) == static_cast<int>(hers.size()));
  bool named_dave = false;
  for (const auto& e : hers) {
    if (e.at("action").as_string() == "case.update") named_dave = e.at("detail").as_string() == "subject_user=dave";
  }
  CHECK(named_dave);
  // Non-administrators still do not see the whole log.
  CHECK(alice.get("/api/v1/audit").status == 403);
}

TEST_CASE("sealed audit details are covered by the chain: verify passes, and catches an edit") {
  ServerProcess server;
  auto carol_acc = add_account(server, "carol", true);
  add_account(server, "erin");
  const auto [number, code] = file_complaint(server.port(), true);
  {
    Investigator carol(server.port(), carol_acc);
    REQUIRE(carol.send("PATCH", "/api/v1/cases/" + number, R"({"subject_user":"erin"})").status == 200);
    REQUIRE(carol.send("POST", "/api/v1/cases/" + number + "/identity",
                       R"({"reason":"ต้องนัดสอบปากคำผู้ร้องเรียนเพิ่มเติม"})").status == 200);
  }
  REQUIRE(server.stop() == 0);
  const auto data = server.data_dir() / "data";
  const std::string verify = "audit verify --data-dir " + data.string();
  int rc = -1;
  CHECK(run_krasipd(verify, "", &rc).find("intact") != std::string::npos);
  CHECK(rc == 0);
  // Swapping the sealed detail of one entry for another's breaks the chain.
  sql(data / "krasip.db",
      "DROP TRIGGER audit_log_no_update;"
      " UPDATE audit_log SET detail_envelope_id = (SELECT detail_envelope_id FROM audit_log"
      "   WHERE action = 'identity.reveal') WHERE action = 'case.update'");
  const auto out = run_krasipd(verify, "", &rc);
  CHECK(rc != 0);
  CHECK(out.find("BROKEN at entry") != std::string::npos);
}
