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
#include <ctime>
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

// "2026-12-09": the Bangkok date of `unix_seconds`.
std::string iso_date_bangkok_of(std::int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds + 7 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::vector<std::string> serve_args() {
  return {"--public-url", kPublicUrl, "--mail-poll-ms", "200", "--mail-retry-base-seconds", "1",
          "--mail-retry-max-seconds", "2"};
}

// The mail's Date: header.
std::string date_header(const std::string& raw) {
  const auto at = raw.find("\r\nDate: ");
  REQUIRE(at != std::string::npos);
  return raw.substr(at + 8, raw.find("\r\n", at + 2) - at - 8);
}

// How a Date: header writes `unix_seconds` (UTC).
std::string rfc5322(std::int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

struct OutboxRow {
  std::int64_t id = 0;
  std::int64_t created_at = 0;
  std::int64_t next_attempt_at = 0;
  std::int64_t attempts = 0;
  bool batched = false;
  bool sent = false;
  std::string subject;
};

// The outbox as a copy of the database would show it (read beside the
// running server, as a backup would).
std::vector<OutboxRow> outbox_rows(const ServerProcess& server, const std::string& recipient) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2((server.data_dir() / "data" / "krasip.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
          SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db,
                             "SELECT id, created_at, next_attempt_at, attempts, batched, sent_at IS NOT NULL, subject"
                             " FROM outbox WHERE recipient = ? ORDER BY created_at, subject",
                             -1, &st, nullptr) == SQLITE_OK);
  sqlite3_bind_text(st, 1, recipient.c_str(), -1, SQLITE_TRANSIENT);
  std::vector<OutboxRow> out;
  while (sqlite3_step(st) == SQLITE_ROW) {
    out.push_back({sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2),
                   sqlite3_column_int64(st, 3), sqlite3_column_int(st, 4) != 0, sqlite3_column_int(st, 5) != 0,
                   reinterpret_cast<const char*>(sqlite3_column_text(st, 6))});
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

std::vector<OutboxRow> batched_rows(const ServerProcess& server, const std::string& recipient) {
  auto rows = outbox_rows(server, recipient);
  std::erase_if(rows, [](const OutboxRow& r) { return !r.batched; });
  return rows;
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

TEST_CASE("mail alerts: the right verified readers are told in the next batch, dated with it, and no mail says anything of the case") {
  // A Wednesday, 10:12 Bangkok: between the default batches (08:30, 13:30).
  TestClock clock;
  const auto wednesday = TestClock::next_wednesday();
  clock.set_at(wednesday + 10 * 3600 + 12 * 60);
  auto args = serve_args();
  args.insert(args.end(), {"--clock-offset-file", clock.file.string()});
  ServerProcess server(args);
  SmtpSink smtp(server.data_dir() / "smtp");
  smtp.start();
  set_mail(server, smtp.port());
  auto somchai_acc = add_account(server, "somchai");
  auto malee_acc = add_account(server, "malee");
  auto preecha_acc = add_account(server, "preecha");
  for (auto* a : {&somchai_acc, &malee_acc, &preecha_acc}) a->clock = &clock;
  Investigator somchai(server.port(), somchai_acc);
  Investigator malee(server.port(), malee_acc);
  Investigator preecha(server.port(), preecha_acc);

  // somchai wants everything; preecha only reporters' news; malee never
  // opens her link, so she gets nothing but that verification mail.
  verify_address(server.port(), somchai, smtp, "somchai@agency.example.go.th");
  verify_address(server.port(), preecha, smtp, "preecha@agency.example.go.th");
  REQUIRE(preecha.send("PUT", "/api/v1/me/alerts", R"({"new_case": false})").status == 200);
  // A bad address is refused; an unknown token too.
  CHECK(somchai.send("PUT", "/api/v1/me/alerts", R"({"email": "not an address"})").status == 400);
  CHECK(post_json(server.port(), "/api/v1/me/email/verify", R"({"token": "00"})").status == 404);
  CHECK(somchai.send("PUT", "/api/v1/me/alerts", R"({"new_case": true})", false).status == 403);  // no CSRF

  const auto filed = post_json(server.port(), "/api/v1/complaints", json::serialize(complaint(true)));
  REQUIRE(filed.status == 201);
  const std::string case_number(parse(filed).at("case_number").as_string());
  const std::string code(parse(filed).at("tracking_code").as_string());
  // The reporter writes too.
  REQUIRE(post_json(server.port(), "/api/v1/status/messages",
                    json::serialize(json::object{{"tracking_code", code}, {"body", "ข้อความลับ QUOKKA-5521"}}))
              .status == 201);

  // The alerts wait in the outbox with the day only, a random id, due at
  // the next batch: 13:30.
  const auto batch = wednesday + 13 * 3600 + 30 * 60;
  const auto queued = batched_rows(server, "somchai@agency.example.go.th");
  REQUIRE(queued.size() == 2);  // the new case, the reporter's message
  for (const auto& r : queued) {
    CHECK(r.created_at == wednesday);
    CHECK(r.next_attempt_at == batch);
    CHECK_FALSE(r.sent);
    CHECK(r.id > (std::int64_t{1} << 32));  // random 63 bits, not the next number (2^-31 to fail by chance)
  }
  // malee asks for alerts after the filing: her verification mail goes at
  // once, so the sender has passed since the alerts were queued, and sent
  // none of them before their batch.
  REQUIRE(malee.send("PUT", "/api/v1/me/alerts", R"({"email": "malee@agency.example.go.th"})").status == 200);
  REQUIRE(smtp.wait_for("malee@agency.example.go.th", 1).size() == 1);
  CHECK(smtp.mails_to("somchai@agency.example.go.th").size() == 1);  // the verification only
  CHECK(smtp.mails_to("preecha@agency.example.go.th").size() == 1);

  // 13:30:20: the batch goes, every alert in it dated 13:30:00.
  clock.set_at(batch + 20);
  auto to_somchai = smtp.wait_for("somchai@agency.example.go.th", 3);
  REQUIRE(to_somchai.size() == 3);  // the verification, then the new case and the message
  const auto has = [](const std::vector<SmtpSink::Mail>& mails, const std::string& text) {
    return std::any_of(mails.begin() + 1, mails.end(), [&](const auto& m) { return m.decoded.find(text) != std::string::npos; });
  };
  CHECK(has(to_somchai, "มีเรื่องร้องเรียนใหม่"));
  CHECK(has(to_somchai, "A new case"));
  CHECK(has(to_somchai, kPublicUrl + "/console/"));
  CHECK(has(to_somchai, "New from a reporter"));
  const auto to_preecha = smtp.wait_for("preecha@agency.example.go.th", 2);
  REQUIRE(to_preecha.size() == 2);
  CHECK(to_preecha[1].decoded.find("New from a reporter") != std::string::npos);
  for (const auto& m : {to_somchai[1], to_somchai[2], to_preecha[1]}) CHECK(date_header(m.raw) == rfc5322(batch));
  CHECK(date_header(to_somchai[0].raw) != rfc5322(batch));  // the verification went at once, with its own time
  std::this_thread::sleep_for(1s);  // anything more would have come by now
  CHECK(smtp.mails_to("preecha@agency.example.go.th").size() == 2);
  CHECK(smtp.mails_to("malee@agency.example.go.th").size() == 1);
  CHECK(smtp.mails_to("somchai@agency.example.go.th").size() == 3);
  // The log has no line for any of them; the day's counts come at the roll.
  const auto log = read_file(server.log_file());
  CHECK(log.find("mail_sent") == std::string::npos);
  CHECK(log.find("outbox_id") == std::string::npos);
  CHECK(log.find("event=mail_counts") == std::string::npos);
  clock.set_at(wednesday + TestClock::kDay + 60);  // Thursday 00:01
  const std::string counts = "event=mail_counts day=" + iso_date_bangkok_of(wednesday) + " sent=6 failed=0";
  for (int i = 0; i < 100 && read_file(server.log_file()).find(counts) == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
  }
  CHECK(read_file(server.log_file()).find(counts) != std::string::npos);  // 3 verifications, 3 alerts
  CHECK(read_file(server.log_file()).find("mail_sent") == std::string::npos);

  std::string bare_code = code;
  bare_code.erase(std::remove(bare_code.begin(), bare_code.end(), '-'), bare_code.end());
  check_nothing_leaks(smtp, {kDescription, kReporterName, kNationalId, kPhone, kEmail, "bribery",
                             "QUOKKA-5521", "สมศักดิ์", code, bare_code, case_number});
}

TEST_CASE("mail alerts: with the SMTP server down, complaints are taken at once; mails follow after it returns, across a kill; the health page and the metrics move only at the day's roll") {
  const auto metrics_port_file = fs::temp_directory_path() / ("krasip-mail-metrics-" + std::to_string(::getpid()));
  TestClock clock;  // the day's roll and the batch times, without waiting for them
  const auto wednesday = TestClock::next_wednesday();
  clock.set_at(wednesday + 10 * 3600);
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
  // Two cases, one identical alert, waiting for 13:30. At the batch its
  // sending fails (the outbox row says so; the log says nothing), yet
  // neither the administrator's page nor the metrics moved: a refresh
  // cannot date the complaints.
  const auto batch = wednesday + 13 * 3600 + 30 * 60;
  REQUIRE(batched_rows(server, "somchai@agency.example.go.th").size() == 1);
  clock.set_at(batch + 20);
  for (int i = 0; i < 100 && batched_rows(server, "somchai@agency.example.go.th")[0].attempts == 0; ++i) {
    std::this_thread::sleep_for(100ms);
  }
  const auto failed = batched_rows(server, "somchai@agency.example.go.th");
  REQUIRE(failed[0].attempts == 1);
  CHECK(failed[0].next_attempt_at == batch + 19 * 3600);  // tried again at the next batch: Thursday 08:30
  CHECK(failed[0].created_at == wednesday);
  CHECK(read_file(server.log_file()).find("mail_failed") == std::string::npos);
  Investigator admin_pm(server.port(), admin_acc);  // hours later: a new session
  CHECK(parse(admin_pm.get("/api/v1/admin/health")).at("outbox") == outbox0);
  CHECK(outbox_unsent_metric(metrics_port_file) == 0);

  // The next day (after 00:00 Bangkok): the mail that waited at the roll,
  // its day (not its time) and why it waits; the log has yesterday's counts.
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
  for (int i = 0; i < 100 && read_file(server.log_file()).find("event=mail_counts") == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
  }
  // somchai's verification sent, the alert failed once: counts, no time.
  CHECK(read_file(server.log_file()).find("event=mail_counts day=" + today + " sent=1 failed=1") != std::string::npos);

  // Thursday's batches failed too (the server is still down): the alert
  // waits for Friday 08:30. Killed, restarted, the SMTP server back: still
  // nothing before the batch; on Friday past 13:30 it goes in the batch the
  // service is in, dated with it.
  for (int i = 0; i < 100 && batched_rows(server, "somchai@agency.example.go.th")[0].attempts < 2; ++i) {
    std::this_thread::sleep_for(100ms);
  }
  REQUIRE(batched_rows(server, "somchai@agency.example.go.th")[0].attempts == 2);
  server.kill_hard();
  fs::remove(metrics_port_file);
  server.restart_with(args);
  smtp.start(smtp_port);
  const auto friday = wednesday + 2 * TestClock::kDay;
  CHECK(batched_rows(server, "somchai@agency.example.go.th")[0].next_attempt_at == friday + 8 * 3600 + 30 * 60);
  clock.set_days(2);
  const auto mails = smtp.wait_for("somchai@agency.example.go.th", 2, 30s);
  REQUIRE(mails.size() == 2);
  CHECK(mails[1].decoded.find("A new case") != std::string::npos);
  CHECK(date_header(mails[1].raw) == rfc5322(friday + 13 * 3600 + 30 * 60));
  // Sent, but the figures stay those of the roll until the next one.
  Investigator admin2(server.port(), admin_acc);
  for (int i = 0; i < 100 && !batched_rows(server, "somchai@agency.example.go.th")[0].sent; ++i) {
    std::this_thread::sleep_for(100ms);
  }
  REQUIRE(batched_rows(server, "somchai@agency.example.go.th")[0].sent);
  health = parse(admin2.get("/api/v1/admin/health"));
  CHECK(health.at("outbox").at("unsent").as_int64() == 1);
  CHECK(health.at("outbox").at("last_sent_day").as_string() == today);
  CHECK(outbox_unsent_metric(metrics_port_file) == 1);
  clock.set_days(5);  // Monday
  Investigator admin3(server.port(), admin_acc);
  health = parse(admin3.get("/api/v1/admin/health"));
  CHECK(health.at("outbox").at("unsent").as_int64() == 0);
  CHECK(health.at("outbox").at("oldest_unsent_day").is_null());
  CHECK(health.at("outbox").at("last_sent_day").as_string() == iso_date_bangkok_of(friday));
  CHECK(health.at("outbox").at("last_error").is_null());
  CHECK(outbox_unsent_metric(metrics_port_file) == 0);
  fs::remove(metrics_port_file);
  check_nothing_leaks(smtp, {kDescription, "bribery"});
  CHECK(read_file(server.log_file()).find("mail_sent") == std::string::npos);

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
  // The batch times (issue 21, item 2): refused naming the option, or said back.
  const std::vector<std::string> local{"mail", "set", "--data-dir", data, "--smtp-url",
                                       "smtp://127.0.0.1:" + std::to_string(smtp.port()), "--from",
                                       "krasip@agency.example.go.th", "--batch-times"};
  for (const auto* bad : {"08:30,09:00", "24:00", "08:30,", "7:00,13:30", "06:00,08:00,10:00,12:00,14:00"}) {
    auto a = local;
    a.push_back(bad);
    CHECK(server.run_command(a, &out) != 0);
    CHECK(out.find("--batch-times") != std::string::npos);
  }
  auto good = local;
  good.push_back("15:00,09:00");
  REQUIRE(server.run_command(good, &out) == 0);
  CHECK(out.find("alerts go out at 09:00, 15:00") != std::string::npos);
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
    CHECK(sqlite3_column_int(st, 0) == 6);  // the refused ftp:// one and bad batch times are not there
    const std::string details = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
    CHECK(details.find("login=yes") != std::string::npos);
    CHECK(details.find("batch_times=09:00,15:00") != std::string::npos);
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
