// Issue 21: time-blind to everyone but the reporter. What an outsider (the
// public pages and statistics), an agency administrator (the health page,
// the audit log, the evidence pack) and the host (the metrics, the log, the
// database, the mail relay) can observe is taken before and after a
// reporter files a complaint, looks it up, writes a message and uploads a
// file: nothing moves until the roll (00:00 Bangkok) or the next mail batch,
// and then nothing dates the reporter's acts finer than the day. The roll is
// driven by the test clock, not by sleeping.
#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <thread>

#include "db_rows.hpp"
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

const std::string kAddress = "somchai@agency.example.go.th";
const std::string kBoundary = "KrasipTimeBlindBoundary";

unsigned short metrics_port(const fs::path& port_file) {
  for (int i = 0; i < 250 && !fs::exists(port_file); ++i) std::this_thread::sleep_for(20ms);
  return static_cast<unsigned short>(std::stoi(read_file(port_file)));
}

// The samples of the metrics that anything a reporter does could move:
// everything but the investigator routes, live sessions and the storage
// and disk gauges (which move by themselves or with the observer's own
// requests, and are said to in docs/security.md).
std::string reporter_side_metrics(unsigned short port) {
  const auto text = request(port, "GET", "/metrics").body;
  std::istringstream lines(text);
  std::string out;
  for (std::string l; std::getline(lines, l);) {
    if (l.empty() || l[0] == '#') continue;
    const bool live = l.starts_with("krasip_sessions_live") || l.starts_with("krasip_disk_") ||
                      l.starts_with("krasip_storage_") ||
                      (l.starts_with("krasip_http_requests_total") &&
                       (l.find("route=\"/api/v1/admin") != std::string::npos ||
                        l.find("route=\"/api/v1/audit") != std::string::npos ||
                        l.find("route=\"/api/v1/auth") != std::string::npos ||
                        l.find("route=\"/api/v1/public") != std::string::npos));
    if (!live) out += l + "\n";
  }
  return out;
}

// Everything observed, by name. The health page's "now" is the clock's.
std::map<std::string, std::string> observe(unsigned short port, unsigned short mport, const Investigator& admin) {
  std::map<std::string, std::string> o;
  o["public stats"] = request(port, "GET", "/api/v1/public/stats?agency=nh").body;
  o["public stats csv"] = request(port, "GET", "/api/v1/public/stats?agency=nh&format=csv").body;
  o["public changes"] = request(port, "GET", "/api/v1/public/changes?agency=nh").body;
  o["public measures"] = request(port, "GET", "/api/v1/public/measures?agency=nh").body;
  auto health = json::parse(admin.get("/api/v1/admin/health").body).as_object();
  health.erase("now");
  o["health page"] = json::serialize(health);
  o["audit log"] = admin.get("/api/v1/audit?per_page=200").body;
  o["evidence pack"] = admin.get("/api/v1/admin/evidence-pack").body;
  o["metrics"] = reporter_side_metrics(mport);
  return o;
}

void check_unchanged(const std::map<std::string, std::string>& before,
                     const std::map<std::string, std::string>& after) {
  for (const auto& observed : before) {  // clang 14 captures no structured binding
    const std::string& name = observed.first;
    CAPTURE(name);
    CHECK(after.at(name) == observed.second);
  }
}

std::string upload_body(const std::string& code) {
  return "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"tracking_code\"\r\n\r\n" + code +
         "\r\n--" + kBoundary +
         "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"minutes.txt\"\r\n"
         "Content-Type: text/plain\r\n\r\nMinutes of the meeting, OKAPI-2231\n\r\n--" +
         kBoundary + "--\r\n";
}

std::string log_since(const fs::path& log, std::uintmax_t offset) {
  const auto all = read_file(log);
  return offset < all.size() ? all.substr(offset) : std::string();
}

// The published statistics without their dates: the day of publication
// and the fiscal year's bounds (written as 00:00:00 and 23:59:59).
std::string counts_of(const std::string& stats) {
  auto o = json::parse(stats).as_object();
  for (const char* dated : {"published_on", "through", "period_start", "period_end"}) o.erase(dated);
  return json::serialize(o);
}

// 00:00 Bangkok of a day: what a reporter-side time is stored as.
bool day_only(const std::string& unix_text) { return (std::stoll(unix_text) + 7 * 3600) % 86400 == 0; }

}  // namespace

TEST_CASE("time-blindness: nothing anyone else observes moves when a reporter acts, until the roll") {
  // A Wednesday at 10:12 Bangkok, between the default batches (08:30,
  // 13:30), whose next day is in the same month (so the month's statistics
  // are published only when the test says).
  auto wednesday = TestClock::next_wednesday();
  const auto month_of = [](std::int64_t t) {
    const std::time_t tt = t + 7 * 3600;
    std::tm tm{};
    gmtime_r(&tt, &tm);
    return tm.tm_mon;
  };
  while (month_of(wednesday) != month_of(wednesday + TestClock::kDay)) wednesday += 7 * TestClock::kDay;
  TestClock clock;
  clock.set_at(wednesday + 10 * 3600 + 12 * 60);
  const auto port_file = fs::temp_directory_path() / ("krasip-time-blind-port-" + std::to_string(::getpid()));
  // Sessions last the working day here, so the observer's one login sees
  // the batch too (a new login would be an audit entry of its own).
  ServerProcess server({"--public-url", "https://krasip.example.go.th", "--mail-poll-ms", "200",
                        "--session-idle-seconds", "36000",
                        "--metrics-listen", "127.0.0.1:0", "--metrics-port-file", port_file.string(),
                        "--clock-offset-file", clock.file.string()});
  const auto mport = metrics_port(port_file);
  SmtpSink smtp(server.data_dir() / "smtp");
  smtp.start();
  set_mail(server, smtp.port());
  auto admin_acc = init_admin(server);
  admin_acc.clock = &clock;
  Investigator admin(server.port(), admin_acc);
  verify_address(server.port(), admin, smtp, kAddress);
  const auto mails_before = smtp.mails().size();

  const auto before = observe(server.port(), mport, admin);
  const auto log_offset = fs::file_size(server.log_file());

  // The reporter: a complaint, a lookup, a message, a file.
  const auto [number, code] = file_complaint(server.port(), true);
  REQUIRE(post_json(server.port(), "/api/v1/status", json::serialize(json::object{{"tracking_code", code}})).status ==
          200);
  REQUIRE(post_json(server.port(), "/api/v1/status/messages",
                    json::serialize(json::object{{"tracking_code", code}, {"body", "เพิ่มเติม OKAPI-9912"}}))
              .status == 201);
  REQUIRE(request(server.port(), "POST", "/api/v1/status/attachments", upload_body(code),
                  "multipart/form-data; boundary=" + kBoundary)
              .status == 201);
  // What the log got meanwhile, before the observer's own requests.
  const auto reporter_log = log_since(server.log_file(), log_offset);

  // 1. At once, and through the day: nothing moved.
  check_unchanged(before, observe(server.port(), mport, admin));
  for (const char* word : {"complaint", "status", "message", "attachment", "upload", "mail", "outbox", "case"}) {
    CAPTURE(word);
    CHECK(reporter_log.find(word) == std::string::npos);
  }
  CHECK(smtp.mails().size() == mails_before);

  // 2. A copy of the database: every row the reporter's acts wrote is
  //    stamped with the day only.
  const auto db = server.data_dir() / "data" / "krasip.db";
  for (const auto& sql : {"SELECT received_at FROM cases", "SELECT updated_at FROM cases",
                          "SELECT created_at FROM envelopes", "SELECT at FROM messages",
                          "SELECT at FROM attachments", "SELECT at FROM case_events",
                          "SELECT created_at FROM reader_keys WHERE kind = 'reporter'",
                          "SELECT created_at FROM outbox WHERE batched = 1"}) {
    const auto rows = db_rows(db, sql);
    CAPTURE(sql);
    REQUIRE(!rows.empty());
    for (const auto& r : rows) CHECK(day_only(r[0]));
  }

  // 3. The batch (13:30): the alert goes out, dated with the batch time;
  //    nothing else moves yet.
  clock.set_at(wednesday + 13 * 3600 + 30 * 60 + 20);
  // The verification mail, then the new case and the reporter's news.
  const auto alerts = smtp.wait_for(kAddress, 3);
  REQUIRE(alerts.size() == 3);
  // Written in UTC: 13:30 Bangkok is 06:30 +0000.
  const std::regex date_header(R"(\r\nDate: [^\r]*(\d\d:\d\d:\d\d) \+0000)");
  for (std::size_t i = 1; i < alerts.size(); ++i) {
    std::smatch m;
    REQUIRE(std::regex_search(alerts[i].raw, m, date_header));
    CHECK(m[1].str() == "06:30:00");
  }
  check_unchanged(before, observe(server.port(), mport, admin));

  // 4. The roll: the day's counts are published, the health page counts the
  //    day; still nothing finer than the day anywhere.
  clock.set_at(wednesday + TestClock::kDay + 30);
  Investigator admin_next(server.port(), admin_acc);
  std::map<std::string, std::string> rolled;
  for (int i = 0; i < 50; ++i) {
    rolled = observe(server.port(), mport, admin_next);
    if (rolled["metrics"] != before.at("metrics")) break;
    std::this_thread::sleep_for(200ms);
  }
  CHECK(rolled["metrics"].find("krasip_complaints_total 1\n") != std::string::npos);
  // The month is not over: the published statistics, a day newer, still
  // do not count it.
  CHECK(counts_of(rolled["public stats"]) == counts_of(before.at("public stats")));
  const std::regex time_of_day(R"(\d\d:\d\d)");
  CHECK_FALSE(std::regex_search(counts_of(rolled["public stats"]), time_of_day));
  CHECK_FALSE(std::regex_search(rolled["health page"], time_of_day));

  // 5. The month's end: the publication takes the complaint in, by month.
  const auto month = month_of(wednesday);
  auto next_month = wednesday + TestClock::kDay;
  while (month_of(next_month) == month) next_month += TestClock::kDay;
  clock.set_at(next_month + 30);
  const auto published = counts_of(request(server.port(), "GET", "/api/v1/public/stats?agency=nh").body);
  CHECK(published != counts_of(before.at("public stats")));
  // One complaint: fewer than five, so counted as withheld, not as a number.
  CHECK(json::parse(published).at("received").is_null());
  CHECK_FALSE(std::regex_search(published, time_of_day));
}
