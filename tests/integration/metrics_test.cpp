// Operator metrics (issue 12, item 5): Prometheus text on their own
// address; investigator routes and storage state live; whatever a reporter's
// action moves only at the daily roll, so a scrape cannot date it.
#include <doctest/doctest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <sstream>
#include <regex>
#include <thread>

#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "server_process.hpp"
#include "test_clock.hpp"

using namespace krasip::test;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

std::filesystem::path port_file_path() {
  static int n = 0;
  return std::filesystem::temp_directory_path() /
         ("krasip-metrics-port-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
}

unsigned short read_port(const std::filesystem::path& f) {
  for (int i = 0; i < 250; ++i) {
    if (std::filesystem::exists(f)) return static_cast<unsigned short>(std::stoi(read_file(f)));
    std::this_thread::sleep_for(20ms);
  }
  FAIL("no metrics port file");
  return 0;
}

// The value of one sample line, e.g. `krasip_complaints_total` or a full
// `name{labels}`; -1 if absent.
double sample(const std::string& text, const std::string& name) {
  const auto at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  const auto start = at + name.size() + 2;
  return std::stod(text.substr(start, text.find('\n', start) - start));
}

// Waits until the reporter-side counts have been published again.
std::string after_next_publication(unsigned short port, const std::string& before) {
  const double stamp = sample(before, "krasip_metrics_published_timestamp_seconds");
  for (int i = 0; i < 100; ++i) {
    std::this_thread::sleep_for(100ms);
    auto text = request(port, "GET", "/metrics").body;
    if (sample(text, "krasip_metrics_published_timestamp_seconds") > stamp) return text;
  }
  FAIL("the counts were not published");
  return {};
}

}  // namespace

TEST_CASE("metrics: live for investigators and storage, a day late for anything a reporter does") {
  const auto port_file = port_file_path();
  TestClock clock;
  ServerProcess server({"--metrics-listen", "127.0.0.1:0", "--metrics-port-file", port_file.string(),
                        "--clock-offset-file", clock.file.string()});
  const auto mport = read_port(port_file);
  std::filesystem::remove(port_file);
  auto admin = init_admin(server);
  Investigator inv(server.port(), admin);  // signed in before: Argon2id is slow under sanitizers

  // The counts roll at 00:00 Bangkok by the service's clock (issue 21):
  // everything below happens inside one day until the test clock moves on.
  const auto r = request(mport, "GET", "/metrics");
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type").rfind("text/plain; version=0.0.4", 0) == 0);
  CHECK(sample(r.body, "krasip_storage_writable") == 1);
  CHECK(sample(r.body, "krasip_disk_free_bytes") > 0);
  CHECK(sample(r.body, "krasip_complaints_total") == 0);

  const auto [number, code] = file_complaint(server.port(), true);
  CHECK(post_json(server.port(), "/api/v1/status", json::serialize(json::object{{"tracking_code", code}})).status == 200);
  CHECK(inv.get("/api/v1/cases/" + number).status == 200);

  // At once: the investigator's requests and session, not the reporter's.
  auto text = request(mport, "GET", "/metrics").body;
  CHECK(sample(text, "krasip_sessions_live") == 1);
  CHECK(sample(text, "krasip_http_requests_total{route=\"/api/v1/cases/{number}\",method=\"GET\",status=\"200\"}") == 1);
  CHECK(sample(text, "krasip_http_requests_total{route=\"/api/v1/auth/login\",method=\"POST\",status=\"200\"}") == 1);
  CHECK(sample(text, "krasip_complaints_total") == 0);
  CHECK(sample(text, "krasip_status_lookups_total") == 0);
  CHECK(text.find("route=\"/api/v1/complaints\"") == std::string::npos);
  CHECK(sample(text, "krasip_writer_commit_seconds_count") == sample(r.body, "krasip_writer_commit_seconds_count"));

  // After midnight: the reporter's complaint and lookup, and the commits.
  clock.set_days(1);
  text = after_next_publication(mport, text);
  CHECK(sample(text, "krasip_complaints_total") == 1);
  CHECK(sample(text, "krasip_status_lookups_total") == 1);
  CHECK(sample(text, "krasip_http_requests_total{route=\"/api/v1/complaints\",method=\"POST\",status=\"201\"}") == 1);
  CHECK(sample(text, "krasip_writer_commit_seconds_count") > sample(r.body, "krasip_writer_commit_seconds_count"));
  CHECK(sample(text, "krasip_writer_queue_depth_max") >= 1);

  // Counts only: no case, no code, no address, no account.
  for (const auto& secret : {number, code, std::string("127.0.0.1"), std::string("admin")}) {
    CAPTURE(secret);
    CHECK(text.find(secret) == std::string::npos);
  }
  // Every line is a comment or a well-formed sample.
  const std::regex line(R"(^(#.*|[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+)$)");
  std::istringstream lines(text);
  for (std::string l; std::getline(lines, l);) {
    CAPTURE(l);
    CHECK(std::regex_match(l, line));
  }

  // Only /metrics, only on its own address.
  CHECK(request(mport, "GET", "/api/v1/intake").status == 404);
  CHECK(request(server.port(), "GET", "/metrics").status == 404);
}

TEST_CASE("metrics: off unless asked for") {
  ServerProcess server;
  CHECK(read_file(server.log_file()).find("event=metrics_listening") == std::string::npos);
  CHECK(request(server.port(), "GET", "/metrics").status == 404);
}
