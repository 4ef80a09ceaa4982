// Administration in the console (issue 12, item 1), through the real
// server: accounts, the step-up asked before changing who may read, and
// the agency's own settings. Every route as an investigator (403), as
// another agency's administrator (404 for names of this one), without,
// with a wrong and with a replayed step-up, and once done: effective and
// audited, with no secret in the audit chain or the database.
#include <doctest/doctest.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <sstream>

#include "db_rows.hpp"
#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "krasip/cases/accounts/totp.hpp"
#include "krasip/crypto/encoding.hpp"
#include "server_process.hpp"
#include "test_clock.hpp"

using namespace krasip::test;
namespace json = boost::json;

namespace {

std::string file_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// What a copy of the data folder holds: the database and its write-ahead log.
std::string database_bytes(const ServerProcess& server) {
  const auto db = server.data_dir() / "data" / "krasip.db";
  return file_text(db) + file_text(db.string() + "-wal");
}

std::vector<std::string> actions_of(const Investigator& who) {
  const auto r = who.get("/api/v1/audit?per_page=200");
  REQUIRE(r.status == 200);
  std::vector<std::string> out;
  const auto v = parse(r);  // the loop below must not range over a temporary's member
  for (const auto& e : v.at("entries").as_array()) out.emplace_back(e.at("action").as_string());
  return out;
}

bool has(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

std::string post_body(const std::string& username, bool custodian, bool admin) {
  return json::serialize(json::object{{"username", username}, {"display_name", "นาง " + username},
                                      {"custodian", custodian}, {"admin", admin}});
}

}  // namespace

TEST_CASE("console administration: accounts are created, disabled, re-enrolled and given roles") {
  TestClock clock;  // step-ups in a row move the clock a step each (test_clock.hpp)
  ServerProcess server({"--clock-offset-file", clock.file.string()});
  const auto port = server.port();
  auto admin_acc = init_admin(server);
  admin_acc.clock = &clock;
  auto inv_acc = add_account(server, "inv");
  inv_acc.clock = &clock;
  Investigator admin(port, admin_acc), inv(port, inv_acc);

  // Investigators do not administer.
  CHECK(inv.get("/api/v1/admin/users").status == 403);
  CHECK(inv.send("POST", "/api/v1/admin/users", post_body("eve", false, false)).status == 403);
  CHECK(inv.send("POST", "/api/v1/admin/users/inv/disable", "{}").status == 403);
  CHECK(inv.send("PATCH", "/api/v1/admin/users/inv", R"({"admin":true})").status == 403);
  CHECK(admin.send("POST", "/api/v1/admin/users", post_body("eve", false, false), false).status == 403);  // CSRF

  // Any account asks for a step-up (issue 20); the answer holds an
  // enrolment link, never a password or a TOTP secret: the owner sets both.
  CHECK(error_code(admin.send("POST", "/api/v1/admin/users", post_body("somchai", false, false))) == "step_up_required");
  const auto made = admin.send("POST", "/api/v1/admin/users",
                               with_step_up(post_body("somchai", false, false), step_up_proof(admin_acc)));
  REQUIRE(made.status == 201);
  CHECK(made.header("cache-control") == "no-store");
  CHECK(parse(made).as_object().if_contains("password") == nullptr);
  CHECK(parse(made).as_object().if_contains("totp_uri") == nullptr);
  CHECK(parse(made).at("user").at("awaiting_enrolment").as_bool());
  // Nobody signs in as it before its owner enrols.
  CHECK(login(port, "somchai", "anything-at-all-12", "123456").status == 401);
  auto somchai_acc = enrol(port, parse(made), "somchai-chose-this-password", &clock);
  Investigator somchai(port, somchai_acc);
  CHECK(somchai.logged_in());
  CHECK(somchai.get("/api/v1/admin/users").status == 403);
  // The link works once.
  CHECK_THROWS(enrol(port, parse(made), "another-password-entirely", &clock));
  // Never in clear on the server: not in the database, not in the log.
  CHECK(database_bytes(server).find(somchai_acc.password) == std::string::npos);
  CHECK(file_text(server.log_file()).find(somchai_acc.password) == std::string::npos);
  const std::string token = std::string(parse(made).at("enrolment").at("link").as_string()).substr(
      std::string(parse(made).at("enrolment").at("link").as_string()).find('#') + 1);
  CHECK(database_bytes(server).find(token) == std::string::npos);
  CHECK(file_text(server.log_file()).find(token) == std::string::npos);
  const auto list = admin.get("/api/v1/admin/users");
  REQUIRE(list.status == 200);
  CHECK(list.body.find("\"somchai\"") != std::string::npos);
  CHECK(list.body.find("password") == std::string::npos);
  // A taken name is refused by field.
  const auto taken = admin.send("POST", "/api/v1/admin/users",
                                with_step_up(post_body("somchai", false, false), step_up_proof(admin_acc)));
  CHECK(taken.status == 400);
  CHECK(error_field(taken) == "username");

  // A wrong or replayed step-up is refused.
  auto wrong = step_up_proof(admin_acc);
  const auto good = wrong;
  wrong["password"] = "not the password at all";
  const auto refused = admin.send("POST", "/api/v1/admin/users", with_step_up(post_body("boss", false, true), wrong));
  CHECK(refused.status == 403);
  CHECK(error_code(refused) == "step_up_failed");
  CHECK(error_field(refused) == "step_up");
  CHECK(admin.get("/api/v1/admin/users").body.find("\"boss\"") == std::string::npos);
  const auto boss_made = admin.send("POST", "/api/v1/admin/users", with_step_up(post_body("boss", true, true), good));
  REQUIRE(boss_made.status == 201);
  auto boss_acc = enrol(port, parse(boss_made), "the-boss-own-password", &clock);
  // The same proof again: refused (one code, one change).
  const auto replay = admin.send("POST", "/api/v1/admin/users", with_step_up(post_body("boss2", true, false), good));
  CHECK(replay.status == 403);
  CHECK(error_code(replay) == "step_up_failed");
  Investigator boss(port, boss_acc);
  REQUIRE(boss.logged_in());
  CHECK(boss.get("/api/v1/admin/users").status == 200);

  // Roles: giving one asks for a step-up; taking one does not; nobody
  // takes their own administrator role.
  const auto give = boss.send("PATCH", "/api/v1/admin/users/somchai", R"({"custodian":true})");
  CHECK(give.status == 403);
  CHECK(error_code(give) == "step_up_required");
  const auto given = boss.send("PATCH", "/api/v1/admin/users/somchai",
                               with_step_up(R"({"custodian":true})", step_up_proof(boss_acc)));
  REQUIRE(given.status == 200);
  CHECK(parse(given).at("user").at("custodian").as_bool());
  // Its sessions end: it signs in again with the role.
  CHECK(somchai.get("/api/v1/auth/me").status == 401);
  CHECK(boss.send("PATCH", "/api/v1/admin/users/somchai", R"({"custodian":false})").status == 200);
  const auto self = boss.send("PATCH", "/api/v1/admin/users/boss", R"({"admin":false})");
  CHECK(self.status == 400);
  CHECK(error_field(self) == "admin");

  // Re-enrolment: always a step-up; the old password stops working at once,
  // and the owner enrols again from a new link (the agency has no case yet,
  // so it applies at once).
  CHECK(error_code(boss.send("POST", "/api/v1/admin/users/somchai/reset", "{}")) == "step_up_required");
  auto boss2_acc = add_account(server, "boss3", false, true);
  boss2_acc.clock = &clock;
  Investigator boss3(port, boss2_acc);
  const auto reset = boss3.send("POST", "/api/v1/admin/users/somchai/reset",
                                with_step_up("{}", step_up_proof(boss2_acc)));
  REQUIRE(reset.status == 200);
  CHECK(parse(reset).at("proposal").is_null());
  CHECK(login(port, "somchai", somchai_acc.password, next_totp(somchai_acc)).status == 401);
  auto renewed = enrol(port, parse(reset), "somchai-new-password-after-reset", &clock);
  Investigator somchai_again(port, renewed);
  CHECK(somchai_again.logged_in());

  // Disable: a step-up, effective at once (no case yet), not for oneself;
  // enabled again the same way.
  CHECK(error_code(admin.send("POST", "/api/v1/admin/users/somchai/disable", "{}")) == "step_up_required");
  CHECK(admin.send("POST", "/api/v1/admin/users/admin/disable", with_step_up("{}", step_up_proof(admin_acc))).status == 400);
  const auto off = admin.send("POST", "/api/v1/admin/users/somchai/disable", with_step_up("{}", step_up_proof(admin_acc)));
  REQUIRE(off.status == 200);
  CHECK(parse(off).at("user").at("disabled").as_bool());
  CHECK(somchai_again.get("/api/v1/auth/me").status == 401);
  CHECK(login(port, "somchai", renewed.password, next_totp(renewed)).status == 401);
  CHECK(admin.send("POST", "/api/v1/admin/users/nobody/disable", with_step_up("{}", step_up_proof(admin_acc))).status == 404);
  const auto on = admin.send("POST", "/api/v1/admin/users/somchai/enable", with_step_up("{}", step_up_proof(admin_acc)));
  REQUIRE(on.status == 200);
  CHECK_FALSE(parse(on).at("user").at("disabled").as_bool());
  CHECK(login(port, "somchai", renewed.password, next_totp(renewed)).status == 200);

  // Audited, with the actor, never a secret.
  const auto actions = actions_of(admin);
  for (const char* a : {"user.add", "user.roles", "user.reset", "user.disable", "user.enable", "user.enrol",
                        "auth.step_up", "auth.step_up_failed"}) {
    CAPTURE(a);
    CHECK(has(actions, a));
  }
  const auto audit_rows = db_rows(server.data_dir() / "data" / "krasip.db", "SELECT detail FROM audit_log");
  for (const auto& row : audit_rows) {
    CHECK(row.at(0).find(renewed.password) == std::string::npos);
    CHECK(row.at(0).find(token) == std::string::npos);
    CHECK(row.at(0).find("otpauth") == std::string::npos);
  }
}

TEST_CASE("console administration: another agency's accounts are as if they did not exist") {
  ServerProcess server;
  const auto port = server.port();
  const std::string dir = (server.data_dir() / "data").string();
  auto nh_admin = init_admin(server);
  (void)add_account(server, "nh-inv");
  const auto out = run_krasipd("agency add --fast-kdf --data-dir " + dir +
                               " --slug nongsung --name-th อบต.หนองสูง --name-en Nong-Sung-SAO --case-prefix NS");
  auto ns_admin_acc = account_in_output(out, "nongsung-admin");
  Investigator ns(port, ns_admin_acc), nh(port, nh_admin);

  CHECK(ns.get("/api/v1/admin/users").body.find("nh-inv") == std::string::npos);
  CHECK(ns.send("POST", "/api/v1/admin/users/nh-inv/disable", with_step_up("{}", step_up_proof(ns_admin_acc))).status == 404);
  CHECK(ns.send("PATCH", "/api/v1/admin/users/nh-inv", R"({"custodian":false})").status == 404);
  CHECK(ns.send("POST", "/api/v1/admin/users/nh-inv/reset", with_step_up("{}", step_up_proof(ns_admin_acc))).status ==
        404);
  // Still enabled and unchanged for its own agency.
  const auto mine = nh.get("/api/v1/admin/users");
  REQUIRE(mine.status == 200);
  const auto users = parse(mine);
  for (const auto& u : users.at("users").as_array()) {
    if (u.at("username").as_string() == "nh-inv") CHECK_FALSE(u.at("disabled").as_bool());
  }
  // Each edits its own agency only.
  const auto renamed = ns.send("PATCH", "/api/v1/admin/agency", R"({"name_en":"Nong Sung SAO"})");
  REQUIRE(renamed.status == 200);
  CHECK(parse(renamed).at("slug").as_string() == "nongsung");
  CHECK(parse(nh.get("/api/v1/admin/agency")).at("name_en").as_string() != "Nong Sung SAO");
}

TEST_CASE("console administration: the agency's names, embedding origins and mail server") {
  TestClock clock;  // step-ups in a row (test_clock.hpp)
  ServerProcess server({"--clock-offset-file", clock.file.string()});
  const auto port = server.port();
  auto admin_acc = init_admin(server);
  admin_acc.clock = &clock;
  auto inv_acc = add_account(server, "inv");
  inv_acc.clock = &clock;
  Investigator admin(port, admin_acc), inv(port, inv_acc);

  CHECK(inv.get("/api/v1/admin/agency").status == 403);
  CHECK(inv.send("PATCH", "/api/v1/admin/agency", R"({"name_en":"x"})").status == 403);
  CHECK(inv.send("PUT", "/api/v1/admin/agency/mail", R"({"smtp_url":"smtp://mail.example.org"})").status == 403);

  const auto before = admin.get("/api/v1/admin/agency");
  REQUIRE(before.status == 200);
  CHECK(parse(before).at("mail").is_null());

  // Refusals name their field.
  const auto bad_origin = admin.send("PATCH", "/api/v1/admin/agency", R"({"origins":["ftp://example.org/x"]})");
  CHECK(bad_origin.status == 400);
  CHECK(error_field(bad_origin) == "origins");
  const auto no_name = admin.send("PATCH", "/api/v1/admin/agency", R"({"name_th":""})");
  CHECK(no_name.status == 400);
  CHECK(error_field(no_name) == "name_th");

  const auto saved = admin.send("PATCH", "/api/v1/admin/agency",
                                R"({"name_th":"อบต.หนองไฮ ใหม่","name_en":"Nong Hai SAO","origins":["https://www.nonghai.go.th"]})");
  REQUIRE(saved.status == 200);
  CHECK(parse(saved).at("name_en").as_string() == "Nong Hai SAO");
  // Effective: the embedded form may now be framed by that site.
  const auto embed = request(port, "GET", "/embed/report.html");
  CHECK(embed.header("content-security-policy").find("https://www.nonghai.go.th") != std::string::npos);

  // The mail server: a step-up each time (issue 20); refusals name their field.
  const auto put_mail = [&](json::object o) {
    o["step_up"] = step_up_proof(admin_acc);
    return admin.send("PUT", "/api/v1/admin/agency/mail", json::serialize(o));
  };
  CHECK(error_code(admin.send("PUT", "/api/v1/admin/agency/mail", R"({"smtp_url":"smtps://mail.example.org","from":"a@b.org"})")) ==
        "step_up_required");
  const auto bad_url = put_mail({{"smtp_url", "http://x"}, {"from", "a@b.org"}});
  CHECK(bad_url.status == 400);
  CHECK(error_field(bad_url) == "smtp_url");
  const auto bad_from = put_mail({{"smtp_url", "smtps://mail.example.org"}, {"from", "nope"}});
  CHECK(error_field(bad_from) == "from");
  // A relay on another machine is reached over TLS or not at all.
  const auto plain = put_mail({{"smtp_url", "smtp://mail.example.org:25"}, {"from", "krasip@example.org"}});
  CHECK(plain.status == 400);
  CHECK(error_field(plain) == "smtp_url");
  const std::string smtp_password = "SMTP-PASSWORD-4471-zebra";
  const auto mail = put_mail({{"smtp_url", "smtps://mail.example.org:465"},
                              {"from", "krasip@example.org"},
                              {"user", "krasip"},
                              {"password", smtp_password}});
  REQUIRE(mail.status == 200);
  CHECK(parse(mail).at("mail").at("password_set").as_bool());
  CHECK(mail.body.find(smtp_password) == std::string::npos);
  // Left blank, the stored password stays for the same server...
  const auto kept = put_mail({{"smtp_url", "smtps://mail.example.org:465"}, {"from", "alerts@example.org"}, {"user", "krasip"}});
  REQUIRE(kept.status == 200);
  CHECK(parse(kept).at("mail").at("password_set").as_bool());
  CHECK(parse(kept).at("mail").at("from").as_string() == "alerts@example.org");
  CHECK(database_bytes(server).find(smtp_password) == std::string::npos);
  // ...and never follows the URL to another one.
  const auto moved = put_mail({{"smtp_url", "smtps://mail.elsewhere.example:465"}, {"from", "alerts@example.org"}, {"user", "krasip"}});
  REQUIRE(moved.status == 200);
  CHECK_FALSE(parse(moved).at("mail").at("password_set").as_bool());
  const auto cleared = put_mail({{"smtp_url", "smtps://mail.example.org:465"},
                                 {"from", "alerts@example.org"},
                                 {"user", "krasip"},
                                 {"clear_password", true}});
  CHECK_FALSE(parse(cleared).at("mail").at("password_set").as_bool());

  // When alerts go out (issue 21, item 2): 08:30 and 13:30 until the agency
  // chooses; a time outside 00:00–23:59, more than four, or two less than an
  // hour apart is refused naming the field, and nothing changes.
  CHECK(json::serialize(parse(before).at("mail_batch_times")) == R"(["08:30","13:30"])");
  const json::object server_fields{{"smtp_url", "smtps://mail.example.org:465"}, {"from", "alerts@example.org"}};
  const auto with_times = [&](json::value times) {
    auto o = server_fields;
    o["batch_times"] = std::move(times);
    return put_mail(std::move(o));
  };
  for (const auto& bad : {json::value(json::array{"24:00"}), json::value(json::array{"8:30"}),
                          json::value(json::array{"08:30", "09:00"}), json::value(json::array{}),
                          json::value(json::array{"06:00", "08:00", "10:00", "12:00", "14:00"}),
                          json::value("08:30"), json::value(json::array{830})}) {
    INFO(json::serialize(bad));
    const auto r = with_times(bad);
    CHECK(r.status == 400);
    CHECK(error_field(r) == "batch_times");
  }
  auto misspelt = server_fields;
  misspelt["batch_time"] = json::array{"07:30"};
  CHECK(error_code(put_mail(misspelt)) == "unknown_field");
  CHECK(json::serialize(parse(admin.get("/api/v1/admin/agency")).at("mail_batch_times")) == R"(["08:30","13:30"])");
  const auto timed = with_times(json::array{"16:00", "07:30"});
  REQUIRE(timed.status == 200);
  CHECK(json::serialize(parse(timed).at("mail_batch_times")) == R"(["07:30","16:00"])");
  // A later change of the server alone keeps them.
  REQUIRE(put_mail(server_fields).status == 200);
  CHECK(json::serialize(parse(admin.get("/api/v1/admin/agency")).at("mail_batch_times")) == R"(["07:30","16:00"])");

  const auto actions = actions_of(admin);
  CHECK(has(actions, "agency.edit"));
  CHECK(has(actions, "mail.settings"));
}

TEST_CASE("console administration: the agency's deadlines, categories and logo reach its public pages") {
  ServerProcess server;
  const auto port = server.port();
  auto admin_acc = init_admin(server);
  auto inv_acc = add_account(server, "inv");
  Investigator admin(port, admin_acc), inv(port, inv_acc);

  CHECK(inv.send("PATCH", "/api/v1/admin/agency", R"({"ack_days":3})").status == 403);
  const auto before = parse(admin.get("/api/v1/admin/agency"));
  CHECK(before.at("ack_days").is_null());
  CHECK(before.at("categories").is_null());
  CHECK(before.at("logo").is_null());

  // Checked as the command line checks them, naming the field.
  const auto too_long = admin.send("PATCH", "/api/v1/admin/agency", R"({"ack_days":45})");
  CHECK(too_long.status == 400);
  CHECK(error_field(too_long) == "ack_days");
  const auto unknown = admin.send("PATCH", "/api/v1/admin/agency", R"({"categories":["bribery","gossip"]})");
  CHECK(unknown.status == 400);
  CHECK(error_field(unknown) == "categories");

  const auto saved = admin.send("PATCH", "/api/v1/admin/agency",
                                R"({"ack_days":3,"reply_days":10,"outcome_days":null,"categories":["bribery","misconduct"]})");
  REQUIRE(saved.status == 200);
  CHECK(parse(saved).at("ack_days").as_int64() == 3);
  CHECK(parse(saved).at("outcome_days").is_null());

  // What a reporter sees follows at once: the form offers those two only.
  const auto form = parse(request(port, "GET", "/api/v1/intake"));
  std::vector<std::string> offered;
  for (const auto& c : form.at("categories").as_array()) offered.emplace_back(c.at("id").as_string());
  CHECK(offered == std::vector<std::string>{"bribery", "misconduct"});

  // The logo: bytes checked (not an image → refused), then served publicly.
  CHECK(admin.send_body("PUT", "/api/v1/admin/agency/logo", "<svg onload=alert(1)>", "image/svg+xml").status == 400);
  const auto png = *krasip::crypto::from_base64(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
  const auto put = admin.send_body("PUT", "/api/v1/admin/agency/logo", std::string(png.begin(), png.end()), "image/png");
  REQUIRE(put.status == 200);
  const std::string logo_url(parse(put).at("logo").as_string());
  const auto img = request(port, "GET", logo_url);
  CHECK(img.status == 200);
  CHECK(img.header("content-type") == "image/png");
  CHECK(admin.send("DELETE", "/api/v1/admin/agency/logo", "").status == 200);
  CHECK(request(port, "GET", logo_url).status == 404);

  const auto actions = actions_of(admin);
  CHECK(std::count(actions.begin(), actions.end(), "agency.edit") >= 3);
}
