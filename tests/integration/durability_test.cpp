#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "fixtures.hpp"
#include "server_process.hpp"

using namespace krasip::test;
namespace json = boost::json;

TEST_CASE("every code answered with 201 survives kill -9 during a burst") {
  ServerProcess server;
  std::mutex mutex;
  std::vector<std::string> answered;
  std::atomic<bool> go{true};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      while (go.load()) {
        try {
          const auto r = post_json(server.port(), "/api/v1/complaints", json::serialize(complaint(true)));
          if (r.status == 201) {
            std::lock_guard lock(mutex);
            answered.emplace_back(parse(r).at("tracking_code").as_string());
          }
        } catch (...) {
          return;  // connection refused once the server is gone
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  server.kill_hard();
  go = false;
  for (auto& c : clients) c.join();
  REQUIRE(answered.size() > 5);

  server.start();
  for (const auto& code : answered) {
    CAPTURE(code);
    CHECK(post_json(server.port(), "/api/v1/status",
                    json::serialize(json::object{{"tracking_code", code}})).status == 200);
  }
}

TEST_CASE("SIGTERM stops the server cleanly and the data is still there") {
  ServerProcess server;
  const auto r = post_json(server.port(), "/api/v1/complaints", json::serialize(complaint(false)));
  REQUIRE(r.status == 201);
  CHECK(server.stop() == 0);
  CHECK(read_file(server.log_file()).find("event=stopped") != std::string::npos);
  server.start();
  CHECK(post_json(server.port(), "/api/v1/status",
                  json::serialize(json::object{{"tracking_code", parse(r).at("tracking_code")}})).status == 200);
}

TEST_CASE("a full database answers 503, loses nothing, and recovers when space returns") {
  ServerProcess server({"--max-db-mb", "1"});
  std::vector<std::string> stored;
  HttpResult refused;
  for (int i = 0; i < 2000; ++i) {
    const auto r = post_json(server.port(), "/api/v1/complaints", json::serialize(complaint(true)));
    if (r.status == 201) {
      stored.emplace_back(parse(r).at("tracking_code").as_string());
      continue;
    }
    refused = r;
    break;
  }
  REQUIRE(refused.status == 503);
  CHECK(error_code(refused) == "storage_unavailable");
  REQUIRE(stored.size() > 10);
  // Still serving: reads work, the server is alive.
  CHECK(post_json(server.port(), "/api/v1/status",
                  json::serialize(json::object{{"tracking_code", stored.back()}})).status == 200);
  CHECK(request(server.port(), "GET", "/api/v1/intake").status == 200);
  CHECK(server.stop() == 0);

  // "Space returns": the same data under a larger cap takes new complaints.
  server.restart_with({"--max-db-mb", "64"});
  for (const auto& code : {stored.front(), stored.back()}) {
    CHECK(post_json(server.port(), "/api/v1/status",
                    json::serialize(json::object{{"tracking_code", code}})).status == 200);
  }
  CHECK(post_json(server.port(), "/api/v1/complaints", json::serialize(complaint(false))).status == 201);
  CHECK(request(server.port(), "GET", "/healthz").status == 200);
}
