// Issue 13, items 3 and 4, through the real server: complaints recorded
// for a citizen at the counter, by phone, letter or e-mail, and referral of
// a case to another body with its printable package.
#include <doctest/doctest.h>

#include <ctime>
#include <fstream>
#include <sstream>

#include "db_rows.hpp"
#include "fixtures.hpp"
#include "investigator_client.hpp"

using namespace krasip::test;
namespace json = boost::json;

namespace {

const std::string kRegistry = "รับที่ ๑๒๓๔/2569 REG-8841";

std::string counter_body(const std::string& source, bool with_identity, const std::string& registry = kRegistry) {
  auto o = complaint(with_identity);
  o.erase("accept_terms");
  o["source"] = source;
  if (!registry.empty()) o["registry_number"] = registry;
  return json::serialize(o);
}

HttpResult reporter_status(unsigned short port, const std::string& code) {
  return post_json(port, "/api/v1/status", json::serialize(json::object{{"tracking_code", code}}));
}

// Who holds a key to a case's envelope of `field`, less the case's own
// reporter key: what "sealed like a web complaint" means.
std::string readers_of(ServerProcess& server, const std::string& number, const std::string& field) {
  std::string out;
  for (const auto& row : db_rows(server.data_dir() / "data" / "krasip.db",
                                 "SELECT k.reader_key_id FROM envelopes e JOIN cases c ON c.id = e.case_id"
                                 " JOIN envelope_keys k ON k.envelope_id = e.id"
                                 " JOIN reader_keys r ON r.id = k.reader_key_id"
                                 " WHERE c.case_number = '" + number + "' AND e.field = '" + field +
                                     "' AND r.kind <> 'reporter' ORDER BY 1")) {
    out += row[0] + ",";
  }
  return out;
}

std::string file_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string reason_body(const std::string& reason, const std::string& purpose) {
  return json::serialize(json::object{{"reason", reason}, {"purpose", purpose}});
}

}  // namespace

TEST_CASE("counter complaint: the slip's code works on the status page, sealed like the web, counted by source") {
  ServerProcess server;
  const auto port = server.port();
  auto alice_acc = add_account(server, "alice");
  auto carol_acc = add_account(server, "carol", true);
  Investigator alice(port, alice_acc), carol(port, carol_acc);

  // Only a signed-in investigator records, and only what a letter needs.
  CHECK(post_json(port, "/api/v1/counter-complaints", counter_body("counter", false)).status == 401);
  auto r = alice.send("POST", "/api/v1/counter-complaints", counter_body("web", false));
  CHECK(r.status == 400);
  CHECK(error_field(r) == "source");
  r = alice.send("POST", "/api/v1/counter-complaints", counter_body("letter", false, ""));
  CHECK(r.status == 400);
  CHECK(error_field(r) == "registry_number");
  r = alice.send("POST", "/api/v1/counter-complaints", counter_body("letter", false, "12/2569<script>"));
  CHECK(r.status == 400);
  CHECK(error_field(r) == "registry_number");
  r = alice.send("POST", "/api/v1/counter-complaints", counter_body("letter", false, std::string(61, '1')));
  CHECK(r.status == 400);

  // What the form offers: the agency for the slip, the channels alice receives.
  const auto form = parse(alice.get("/api/v1/counter-complaints"));
  CHECK(form.at("channels").as_array().size() == 1);
  CHECK(form.at("sources").as_array().size() == 4);
  CHECK_FALSE(form.at("agency").at("slug").as_string().empty());

  r = alice.send("POST", "/api/v1/counter-complaints", counter_body("letter", true));
  REQUIRE(r.status == 201);
  const auto receipt = parse(r);
  const std::string number(receipt.at("case_number").as_string());
  const std::string code(receipt.at("tracking_code").as_string());
  CHECK(receipt.at("source").as_string() == "letter");

  // The citizen follows it online with the slip's code alone.
  r = reporter_status(port, code);
  REQUIRE(r.status == 200);
  CHECK(parse(r).at("case_number").as_string() == number);
  CHECK(parse(r).at("submission").at("description").as_string() == kDescription);
  CHECK(parse(r).at("submission").at("identity_provided").as_bool());

  // A web complaint to compare: the identity is sealed to the same readers
  // (the custodians and the recovery key), not to alice who recorded it.
  const auto [web_number, web_code] = file_complaint(port, true);
  CHECK(readers_of(server, number, "identity") == readers_of(server, web_number, "identity"));
  CHECK(readers_of(server, number, "complaint") == readers_of(server, web_number, "complaint"));
  CHECK(alice.send("POST", "/api/v1/cases/" + number + "/identity", "{}").status == 403);
  r = carol.send("POST", "/api/v1/cases/" + number + "/identity", R"({"reason":"ติดต่อผู้ร้องเพื่อนัดหมาย"})");
  REQUIRE(r.status == 200);
  CHECK(parse(r).at("identity").at("phone").as_string() == kPhone);

  // The registry number: the case's readers see it; the database file does
  // not hold it in clear (it leads to a letter with the name).
  const auto detail = parse(alice.get("/api/v1/cases/" + number));
  CHECK(detail.at("source").as_string() == "letter");
  CHECK(detail.at("registry_number").as_string() == kRegistry);
  CHECK(parse(alice.get("/api/v1/cases/" + web_number)).at("source").as_string() == "web");
  CHECK(parse(alice.get("/api/v1/cases/" + web_number)).at("registry_number").is_null());
  const auto dir = server.data_dir() / "data";
  for (const char* f : {"krasip.db", "krasip.db-wal"}) {
    CAPTURE(f);
    if (!std::filesystem::exists(dir / f)) continue;
    const auto bytes = file_bytes(dir / f);
    CHECK(bytes.find("REG-8841") == std::string::npos);
    CHECK(bytes.find("ZEBRA-7731") == std::string::npos);
  }

  // Audited as recorded by alice, how it came, nothing of what it says.
  const auto audit = alice.get("/api/v1/audit?case_number=" + number + "&per_page=200").body;
  CHECK(audit.find("\"case.record\"") != std::string::npos);
  CHECK(audit.find("source=letter") != std::string::npos);
  CHECK(audit.find("ZEBRA-7731") == std::string::npos);
  CHECK(audit.find("REG-8841") == std::string::npos);

  // Counted by how it came, for investigators and in the public answer
  // (which publishes completed months only: issue 21, item 1; the counting
  // by source is cases_public_snapshot_test.cpp's).
  REQUIRE(alice.send("POST", "/api/v1/counter-complaints", counter_body("phone", false, "")).status == 201);
  const auto mine = parse(alice.get("/api/v1/stats"));
  CHECK(mine.at("by_source").at("letter").as_int64() == 1);
  CHECK(mine.at("by_source").at("phone").as_int64() == 1);
  CHECK(mine.at("by_source").at("web").as_int64() == 1);
  CHECK(mine.at("by_source").at("counter").as_int64() == 0);
  const auto pub = parse(request(port, "GET", "/api/v1/public/stats"));
  for (const char* source : {"web", "counter", "phone", "letter", "email"}) {
    CHECK(pub.at("by_source").at(source).as_int64() == 0);
  }
  CHECK(pub.at("received").as_int64() == 0);
  const auto csv = alice.get("/api/v1/stats?format=csv").body;
  CHECK(csv.find("\"source\",\"phone\"") != std::string::npos);
}

TEST_CASE("referral: the reporter sees the body and reference; the package names the reporter only with approval") {
  ServerProcess server;
  const auto port = server.port();
  const std::string dir = (server.data_dir() / "data").string();
  auto alice_acc = add_account(server, "alice");
  auto carol_acc = add_account(server, "carol", true);
  auto cathy_acc = add_account(server, "cathy", true);
  Investigator alice(port, alice_acc), carol(port, carol_acc), cathy(port, cathy_acc);
  const auto [number, code] = file_complaint(port, true);
  const std::string c = "/api/v1/cases/" + number;

  // No package before a referral is recorded; the input is checked.
  CHECK(alice.get(c + "/referral-package").status == 409);
  auto r = alice.send("POST", c + "/referral", R"({"body":"other","reference":"12/2569"})");
  CHECK(r.status == 400);
  CHECK(error_field(r) == "body_name");
  r = alice.send("POST", c + "/referral", R"({"body":"police","reference":"12/2569"})");
  CHECK(r.status == 400);
  CHECK(error_field(r) == "body");
  r = alice.send("POST", c + "/referral", R"({"body":"nacc"})");
  CHECK(r.status == 400);
  CHECK(error_field(r) == "reference");

  r = alice.send("POST", c + "/referral", R"({"body":"nacc","reference":"ปช 0004/๑๒๓ NACC-5512"})");
  REQUIRE(r.status == 200);
  CHECK(parse(r).at("status").as_string() == "referred");
  CHECK(parse(r).at("referral").at("body").as_string() == "nacc");

  // The reporter sees where it went, the reference, and what happens there.
  r = reporter_status(port, code);
  REQUIRE(r.status == 200);
  auto st = parse(r);
  CHECK(st.at("status").as_string() == "referred");
  CHECK(st.at("referral").at("body").as_string() == "nacc");
  CHECK(st.at("referral").at("reference").as_string() == "ปช 0004/๑๒๓ NACC-5512");
  CHECK(st.at("referral").at("body_name_en").as_string().find("NACC") != std::string::npos);
  CHECK(st.at("referral").at("next_step_th").as_string().find("ป.ป.ช.") != std::string::npos);
  CHECK_FALSE(st.at("referral").at("next_step_en").as_string().empty());

  // Referred again (another body named): the latest is the referral.
  REQUIRE(alice.send("POST", c + "/referral",
                     R"({"body":"other","body_name":"สำนักงานตำรวจแห่งชาติ","reference":"ตช 0011/77"})")
              .status == 200);
  st = parse(reporter_status(port, code));
  CHECK(st.at("referral").at("body_name_th").as_string() == "สำนักงานตำรวจแห่งชาติ");
  CHECK(st.at("referral").at("reference").as_string() == "ตช 0011/77");
  // The reference is sealed, not in the database file in clear.
  {
    std::ifstream in(server.data_dir() / "data" / "krasip.db", std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    CHECK(s.str().find("NACC-5512") == std::string::npos);
  }

  // The package without approval: the complaint, no identity.
  r = alice.get(c + "/referral-package");
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type").find("text/html") == 0);
  CHECK(r.body.find(number) != std::string::npos);
  CHECK(r.body.find("ตช 0011/77") != std::string::npos);
  CHECK(r.body.find("สำนักงานตำรวจแห่งชาติ") != std::string::npos);
  CHECK(r.body.find("ZEBRA-7731") != std::string::npos);
  {
    // Dated in the Buddhist Era, as a Thai letter is.
    const std::time_t now = std::time(nullptr) + 7 * 3600;
    std::tm tm{};
    gmtime_r(&now, &tm);
    CHECK(r.body.find(std::to_string(tm.tm_year + 1900 + 543)) != std::string::npos);
  }
  CHECK(r.body.find(kPhone) == std::string::npos);
  CHECK(r.body.find(kReporterName) == std::string::npos);
  CHECK(r.body.find("identity-withheld") != std::string::npos);
  CHECK(alice.get(c + "/referral-package?files=nothex").status == 400);
  CHECK(alice.get(c + "/referral-package?files=0123456789abcdef0123456789abcdef").status == 404);

  // With the identity: refused until a second custodian approves a request
  // made for the referral.
  r = alice.get(c + "/referral-package?identity=1");
  CHECK(r.status == 403);
  CHECK(r.body.find(kPhone) == std::string::npos);
  r = alice.send("POST", c + "/identity-requests", reason_body("สตช. ต้องติดต่อผู้ร้องเพื่อสอบปากคำ REFER-3301", "referral"));
  REQUIRE(r.status == 201);
  const auto id = std::to_string(parse(r).at("id").as_int64());
  CHECK(parse(alice.get(c)).at("identity_requests").at(0).at("purpose").as_string() == "referral");
  CHECK(alice.get(c + "/referral-package?identity=1").status == 403);
  CHECK(alice.send("POST", c + "/identity-requests/" + id + "/approve", "").status == 403);
  REQUIRE(carol.send("POST", c + "/identity-requests/" + id + "/approve", "").status == 200);
  CHECK(parse(alice.get(c)).at("referral_identity_approved").as_bool());
  // The approval is for the package, not for reading it in the console.
  CHECK(alice.send("POST", c + "/identity", "{}").status == 403);
  r = alice.get(c + "/referral-package?identity=1");
  REQUIRE(r.status == 200);
  CHECK(r.body.find(kReporterName) != std::string::npos);
  CHECK(r.body.find(kPhone) != std::string::npos);
  // Once.
  r = alice.get(c + "/referral-package?identity=1");
  CHECK(r.status == 403);
  CHECK(r.body.find(kPhone) == std::string::npos);

  const auto audit = cathy.get("/api/v1/audit?case_number=" + number + "&per_page=200").body;
  for (const char* action : {"case.refer", "identity.request", "identity.approve", "referral.package"}) {
    CAPTURE(action);
    CHECK(audit.find(std::string("\"") + action + "\"") != std::string::npos);
  }
  CHECK(audit.find("purpose=referral") != std::string::npos);
  CHECK(audit.find("identity=included") != std::string::npos);
  CHECK(audit.find("identity=withheld") != std::string::npos);
  CHECK(audit.find("REFER-3301") != std::string::npos);  // the reason, readable by the case's readers

  // Another agency's account: the case does not exist for it.
  const auto out = run_krasipd("agency add --fast-kdf --data-dir " + dir +
                               " --slug elsewhere --name-th อบต.อื่น --name-en Elsewhere --case-prefix EW");
  auto other_acc = account_in_output(out, "elsewhere-admin");
  Investigator other(port, other_acc);
  CHECK(other.get(c + "/referral-package").status == 404);
  CHECK(other.send("POST", c + "/referral", R"({"body":"nacc","reference":"1/2569"})").status == 404);
  CHECK(other.get(c + "/referral-package").body == alice.get("/api/v1/cases/NOPE-2569-99999/referral-package").body);
}
