// E-mail alerts through a real SMTP server (issue 12, item 2): aiosmtpd,
// started by the test, saves every message it accepts. The right verified
// readers get the right mails; no mail carries anything of the case; with
// the SMTP server down complaints are still taken at once, and the mails
// arrive once it is back, even across a hard kill of krasipd.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <signal.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <regex>
#include <thread>

#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "server_process.hpp"
#include "smtp_sink.hpp"
#include "test_clock.hpp"

using namespace krasip::test;
namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

const std::string kPublicUrl = "https://krasip.example.go.th";

// The value of `krasip_outbox_unsent` on the metrics address named in `port_file`.
long outbox_unsent_metric(const fs::path& port_file) {
  for (int i = 0; i < 100 && !fs::exists(port_file); ++i) std::this_thread::sleep_for(50ms);
  const auto port = static_cast<unsigned short>(std::stoi(read_file(port_file)));
  const auto body = request(port, "GET", "/metrics").body;
  const auto at = body.find("\nkrasip_outbox_unsent ");
  REQUIRE(at != std::string::npos);
  return std::stol(body.substr(at + 22));
}

std::vector<std::string> serve_args() {
  return {"--public-url", kPublicUrl, "--mail-poll-ms", "200", "--mail-retry-base-seconds", "1",
          "--mail-retry-max-seconds", "2"};
}

// Nothing of the case in any mail, raw or decoded.
void check_nothing_leaks(const SmtpSink& smtp, const std::vector<std::string>& secrets) {
  for (const auto& m : smtp.mails()) {
    for (const auto& s : secrets) {
      INFO("secret: " << s);
      CHECK(m.raw.find(s) == std::string::npos);
      CHECK(m.decoded.find(s) == std::string::npos);
    }
  }
}

}  // namespace

TEST_CASE("mail alerts: the right verified readers are told, and no mail says anything of the case") {
  ServerProcess server(serve_args());
  SmtpSink smtp(server.data_dir() / "smtp");
  smtp.start();
  set_mail(server, smtp.port());
  auto somchai_acc = add_account(server, "somchai");
  auto malee_acc = add_account(server, "malee");
  auto preecha_acc = add_account(server, "preecha");
  Investigator somchai(server.port(), somchai_acc);
  Investigator malee(server.port(), malee_acc);
  Investigator preecha(server.port(), preecha_acc);

  // somchai wants everything; preecha only reporters' news; malee never
  // opens her link, so she gets nothing but that verification mail.
  verify_address(server.port(), somchai, smtp, "somchai@agency.example.go.th");
  verify_address(server.port(), preecha, smtp, "preecha@agency.example.go.th");
  REQUIRE(preecha.send("PUT", "/api/v1/me/alerts", R"({"new_case": false})").status == 200);
  REQUIRE(malee.send("PUT", "/api/v1/me/alerts", R"({"email": "malee@agency.example.go.th"})").status == 200);
  REQUIRE(smtp.wait_for("malee@agency.example.go.th", 1).size() == 1);
  // A bad address is refused; an unknown token too.
  CHECK(somchai.send("PUT", "/api/v1/me/alerts", R"({"email": "not an address"})").status == 400);
  CHECK(post_json(server.port(), "/api/v1/me/email/verify", R"({"token": "00"})").status == 404);
  CHECK(somchai.send("PUT", "/api/v1/me/alerts", R"({"new_case": true})", false).status == 403);  // no CSRF

  const auto filed = post_json(server.port(), "/api/v1/complaints", json::serialize(complaint(true)));
  REQUIRE(filed.status == 201);
  const std::string case_number(parse(filed).at("case_number").as_string());
  const std::string code(parse(filed).at("tracking_code").as_string());

  auto to_somchai = smtp.wait_for("somchai@agency.example.go.th", 2);
  REQUIRE(to_somchai.size() == 2);  // the verification, then the new case
  CHECK(to_somchai[1].decoded.find("มีเรื่องร้องเรียนใหม่") != std::string::npos);
  CHECK(to_somchai[1].decoded.find("A new case") != std::string::npos);
  CHECK(to_somchai[1].decoded.find(kPublicUrl + "/console/") != std::string::npos);

  // The reporter writes: both who chose it hear of it.
  REQUIRE(post_json(server.port(), "/api/v1/status/messages",
                    json::serialize(json::object{{"tracking_code", code}, {"body", "ข้อความลับ QUOKKA-5521"}}))
              .status == 201);
  to_somchai = smtp.wait_for("somchai@agency.example.go.th", 3);
  REQUIRE(to_somchai.size() == 3);
  CHECK(to_somchai[2].decoded.find("New from a reporter") != std::string::npos);
  const auto to_preecha = smtp.wait_for("preecha@agency.example.go.th", 2);
  REQUIRE(to_preecha.size() == 2);
  CHECK(to_preecha[1].decoded.find("New from a reporter") != std::string::npos);
  std::this_thread::sleep_for(1s);  // anything more would have come by now
  CHECK(smtp.mails_to("preecha@agency.example.go.th").size() == 2);
  CHECK(smtp.mails_to("malee@agency.example.go.th").size() == 1);
  CHECK(smtp.mails_to("somchai@agency.example.go.th").size() == 3);

  std::string bare_code = code;
  bare_code.erase(std::remove(bare_code.begin(), bare_code.end(), '-'), bare_code.end());
  check_nothing_leaks(smtp, {kDescription, kReporterName, kNationalId, kPhone, kEmail, "bribery",
                             "QUOKKA-5521", "สมศักดิ์", code, bare_code, case_number});
}

TEST_CASE("mail alerts: with the SMTP server down, complaints are taken at once; mails follow after it returns, across a kill; the health page and the metrics move only at the day's roll") {
  const auto metrics_port_file = fs::temp_directory_path() / ("krasip-mail-metrics-" + std::to_string(::getpid()));
  TestClock clock;  // the day's roll, without waiting for midnight
  auto args = serve_args();
  args.insert(args.end(), {"--metrics-listen", "127.0.0.1:0", "--metrics-port-file", metrics_port_file.string(),
                           "--clock-offset-file", clock.file.string()});
  ServerProcess server(args);
  SmtpSink smtp(server.data_dir() / "smtp");
  smtp.start();
  const auto smtp_port = smtp.port();
  set_mail(server, smtp_port);
  auto somchai_acc = add_account(server, "somchai");
  somchai_acc.clock = &clock;
  Investigator somchai(server.port(), somchai_acc);
  verify_address(server.port(), somchai, smtp, "somchai@agency.example.go.th");
  auto admin_acc = init_admin(server);
  admin_acc.clock = &clock;
  Investigator admin(server.port(), admin_acc);
  CHECK(somchai.get("/api/v1/admin/health").status == 403);

  // The administrator's page before: the host's disk in whole GiB and a
  // word, never to the byte; the outbox as it stood at 00:00 today.
  const auto h = admin.get("/api/v1/admin/health");
  REQUIRE(h.status == 200);
  const auto before = parse(h);
  CHECK(before.at("storage_writable").as_bool());
  CHECK(before.at("disk_free_gib").is_number());
  CHECK(before.at("disk_total_gib").to_number<double>() >= before.at("disk_free_gib").to_number<double>());
  const std::string disk_state(before.at("disk_state").as_string());
  CHECK((disk_state == "enough" || disk_state == "low"));
  CHECK(h.body.find("bytes") == std::string::npos);
  const auto& outbox0 = before.at("outbox");
  const std::string today(outbox0.at("as_of").as_string());
  CHECK(outbox0.at("unsent").as_int64() == 0);
  CHECK(outbox0.at("oldest_unsent_day").is_null());
  CHECK(outbox0.at("last_sent_day").is_null());  // somchai's verification went out today
  CHECK(outbox0.at("last_error").is_null());
  // The operator's metrics keep the exact figure: the data folder's free
  // space to the byte (other programs write to this disk too, hence the
  // margin), and the administrator's whole GiB is that figure rounded down.
  for (int i = 0; i < 100 && !fs::exists(metrics_port_file); ++i) std::this_thread::sleep_for(50ms);
  const auto metrics_port = static_cast<unsigned short>(std::stoi(read_file(metrics_port_file)));
  {
    const auto m = request(metrics_port, "GET", "/metrics").body;
    const auto at = m.find("\nkrasip_disk_free_bytes ");
    REQUIRE(at != std::string::npos);
    const double exact = std::stod(m.substr(at + 24));
    struct statvfs vfs {};
    REQUIRE(::statvfs((server.data_dir() / "data").c_str(), &vfs) == 0);
    const double mine = static_cast<double>(vfs.f_bavail) * static_cast<double>(vfs.f_frsize);
    CHECK(std::abs(exact - mine) < 256.0 * 1024 * 1024);
    CHECK(std::abs(std::floor(exact / (1 << 30)) - before.at("disk_free_gib").to_number<double>()) <= 1);
  }
  CHECK(outbox_unsent_metric(metrics_port_file) == 0);

  smtp.stop();
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 2; ++i) {
    auto c = complaint(false);
    c["description"] = std::string(kDescription) + " " + std::to_string(i);
    REQUIRE(post_json(server.port(), "/api/v1/complaints", json::serialize(c)).status == 201);
  }
  CHECK(std::chrono::steady_clock::now() - t0 < 3s);
  // The alert is queued and its sending has failed (the operator's log says
  // so), yet neither the administrator's page nor the metrics moved: a
  // refresh cannot date the complaints.
  for (int i = 0; i < 100 && read_file(server.log_file()).find("event=mail_failed") == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
  }
  REQUIRE(read_file(server.log_file()).find("event=mail_failed") != std::string::npos);
  CHECK(parse(admin.get("/api/v1/admin/health")).at("outbox") == outbox0);
  CHECK(outbox_unsent_metric(metrics_port_file) == 0);

  // The next day (00:00 Bangkok): the mail that waited at the roll, its day
  // (not its time) and why it waits.
  clock.set_days(1);
  Investigator admin1(server.port(), admin_acc);  // a day later: a new session
  json::value health;
  for (int i = 0; i < 100; ++i) {
    health = parse(admin1.get("/api/v1/admin/health"));
    if (!health.at("outbox").at("last_error").is_null()) break;
    std::this_thread::sleep_for(100ms);
  }
  const auto& outbox1 = health.at("outbox");
  const std::string tomorrow(outbox1.at("as_of").as_string());
  CHECK(tomorrow > today);
  CHECK(outbox1.at("unsent").as_int64() == 1);  // two cases, one identical alert
  CHECK(outbox1.at("oldest_unsent_day").as_string() == today);
  CHECK(outbox1.at("last_sent_day").as_string() == today);
  CHECK(std::string(outbox1.at("last_error").as_string()).find("unreachable") != std::string::npos);
  CHECK(outbox_unsent_metric(metrics_port_file) == 1);

  const auto count_sent = [&server] {
    const auto log = read_file(server.log_file());
    std::size_t n = 0;
    for (auto at = log.find("event=mail_sent"); at != std::string::npos; at = log.find("event=mail_sent", at + 1)) ++n;
    return n;
  };
  const auto sent_before = count_sent();
  server.kill_hard();
  fs::remove(metrics_port_file);
  server.restart_with(args);
  smtp.start(smtp_port);
  const auto mails = smtp.wait_for("somchai@agency.example.go.th", 2, 30s);
  REQUIRE(mails.size() == 2);
  CHECK(mails[1].decoded.find("A new case") != std::string::npos);
  // Sent, but the figures stay those of the roll until the next one.
  Investigator admin2(server.port(), admin_acc);
  for (int i = 0; i < 100 && count_sent() == sent_before; ++i) std::this_thread::sleep_for(100ms);
  REQUIRE(count_sent() > sent_before);
  health = parse(admin2.get("/api/v1/admin/health"));
  CHECK(health.at("outbox").at("unsent").as_int64() == 1);
  CHECK(health.at("outbox").at("last_sent_day").as_string() == today);
  CHECK(outbox_unsent_metric(metrics_port_file) == 1);
  clock.set_days(2);
  Investigator admin3(server.port(), admin_acc);
  health = parse(admin3.get("/api/v1/admin/health"));
  CHECK(health.at("outbox").at("unsent").as_int64() == 0);
  CHECK(health.at("outbox").at("oldest_unsent_day").is_null());
  CHECK(health.at("outbox").at("last_sent_day").as_string() == tomorrow);
  CHECK(health.at("outbox").at("last_error").is_null());
  CHECK(outbox_unsent_metric(metrics_port_file) == 0);
  fs::remove(metrics_port_file);
  check_nothing_leaks(smtp, {kDescription, "bribery"});

  // A backup shows on the health page.
  CHECK(health.at("last_backup_at").is_null());
  REQUIRE(server.run_command({"backup", "--data-dir", (server.data_dir() / "data").string(), "--to",
                              (server.data_dir() / "backups").string()}) == 0);
  CHECK(parse(admin3.get("/api/v1/admin/health")).at("last_backup_at").as_int64() > 0);
}

TEST_CASE("mail: krasipd mail test reports an unreachable server, a wrong password and a good login; the password is never in clear") {
  ServerProcess server;
  SmtpSink smtp(server.data_dir() / "smtp");
  smtp.start();
  const auto data = (server.data_dir() / "data").string();
  const auto pw_file = server.data_dir() / "smtp-password";
  std::ofstream(pw_file) << "S3cret-SMTP-pw-9917\n";
  std::string out;
  // A closed port: a clear message, exit 1.
  REQUIRE(server.run_command({"mail", "set", "--data-dir", data, "--smtp-url", "smtp://127.0.0.1:1",
                              "--from", "krasip@agency.example.go.th"}, &out) == 0);
  CHECK(server.run_command({"mail", "test", "--data-dir", data, "--to", "it@agency.example.go.th"}, &out) == 1);
  CHECK(out.find("unreachable") != std::string::npos);
  CHECK(server.run_command({"mail", "set", "--data-dir", data, "--smtp-url", "ftp://x", "--from", "a@b.c"}, &out) == 1);
  // The real one; aiosmtpd offers no AUTH on a plain socket, so no password here.
  REQUIRE(server.run_command({"mail", "set", "--data-dir", data, "--smtp-url",
                              "smtp://127.0.0.1:" + std::to_string(smtp.port()), "--from",
                              "krasip@agency.example.go.th"}, &out) == 0);
  CHECK(server.run_command({"mail", "test", "--data-dir", data, "--to", "it@agency.example.go.th"}, &out) == 0);
  CHECK(smtp.wait_for("it@agency.example.go.th", 1).size() == 1);
  // A server that wants a login: the right password works, a wrong one is
  // refused with a clear message; neither is ever printed or kept in clear.
  SmtpSink authed(server.data_dir() / "smtp-auth");
  authed.start(0, "krasip:S3cret-SMTP-pw-9917");
  const auto set_with = [&](const fs::path& file) {
    REQUIRE(server.run_command({"mail", "set", "--data-dir", data, "--smtp-url",
                                "smtp://127.0.0.1:" + std::to_string(authed.port()), "--from",
                                "krasip@agency.example.go.th", "--user", "krasip", "--password-file",
                                file.string()}, &out) == 0);
    CHECK(out.find("S3cret") == std::string::npos);
  };
  set_with(pw_file);
  CHECK(server.run_command({"mail", "test", "--data-dir", data, "--to", "it@agency.example.go.th"}, &out) == 0);
  CHECK(authed.wait_for("it@agency.example.go.th", 1).size() == 1);
  const auto wrong_file = server.data_dir() / "wrong-password";
  std::ofstream(wrong_file) << "S3cret-but-wrong\n";
  set_with(wrong_file);
  CHECK(server.run_command({"mail", "test", "--data-dir", data, "--to", "it@agency.example.go.th"}, &out) == 1);
  INFO(out);
  CHECK(out.find("login refused") != std::string::npos);
  CHECK(out.find("S3cret") == std::string::npos);
  set_with(pw_file);
  CHECK(read_tree(server.data_dir() / "data").find("S3cret-SMTP-pw-9917") == std::string::npos);
  // Each change of settings is in the agency's audit chain, which still verifies.
  REQUIRE(server.stop() == 0);
  CHECK(server.run_command({"audit", "verify", "--data-dir", data}, &out) == 0);
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2((server.data_dir() / "data" / "krasip.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*), group_concat(detail) FROM audit_log WHERE action = 'mail.settings'", -1, &st, nullptr);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_int(st, 0) == 5);  // the refused ftp:// one is not there
    const std::string details = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
    CHECK(details.find("login=yes") != std::string::npos);
    CHECK(details.find("S3cret") == std::string::npos);
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  CHECK(read_file(server.log_file()).find("S3cret") == std::string::npos);
}

TEST_CASE("mail alerts: the daily digest counts cases near their deadline, once a day, and names none") {
  // Acknowledgement due the day a case arrives: today's case is due within two days.
  auto args = serve_args();
  args.insert(args.end(), {"--ack-days", "0", "--digest-hour", "0"});
  ServerProcess server(args);
  SmtpSink smtp(server.data_dir() / "smtp");
  smtp.start();
  set_mail(server, smtp.port());
  auto somchai_acc = add_account(server, "somchai");
  auto malee_acc = add_account(server, "malee");
  Investigator somchai(server.port(), somchai_acc);
  Investigator malee(server.port(), malee_acc);
  // malee wants no digest; somchai wants only the digest.
  REQUIRE(malee.send("PUT", "/api/v1/me/alerts", R"({"deadline_digest": false, "new_case": false})").status == 200);
  REQUIRE(somchai.send("PUT", "/api/v1/me/alerts", R"({"new_case": false, "reporter_activity": false})").status == 200);
  const auto filed = post_json(server.port(), "/api/v1/complaints", json::serialize(complaint(false)));
  REQUIRE(filed.status == 201);
  const std::string case_number(parse(filed).at("case_number").as_string());

  verify_address(server.port(), somchai, smtp, "somchai@agency.example.go.th");
  verify_address(server.port(), malee, smtp, "malee@agency.example.go.th");
  const auto mails = smtp.wait_for("somchai@agency.example.go.th", 2);
  REQUIRE(mails.size() == 2);
  CHECK(mails[1].decoded.find("Cases due within two days: 1") != std::string::npos);
  CHECK(mails[1].decoded.find("Cases past a deadline: 0") != std::string::npos);
  std::this_thread::sleep_for(1500ms);  // many passes later: still one digest today
  CHECK(smtp.mails_to("somchai@agency.example.go.th").size() == 2);
  CHECK(smtp.mails_to("malee@agency.example.go.th").size() == 1);
  check_nothing_leaks(smtp, {kDescription, "bribery", case_number});
}
