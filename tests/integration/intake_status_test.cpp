#include <doctest/doctest.h>

#include <set>
#include <thread>

#include "fixtures.hpp"
#include "server_process.hpp"

using namespace krasip::test;
namespace json = boost::json;

TEST_CASE("a complaint filed over HTTP is found by its tracking code, Thai text intact") {
  ServerProcess server;
  const auto filed = post_json(server.port(), "/api/v1/complaints", json::serialize(complaint(true)));
  REQUIRE(filed.status == 201);
  const auto receipt = parse(filed);
  const std::string code(receipt.at("tracking_code").as_string());
  const std::string number(receipt.at("case_number").as_string());
  CHECK(number.rfind("NH-25", 0) == 0);
  CHECK(code.size() == 23);
  // The day only ("2026-11-28"), no time of day: docs/security.md, "Times".
  const std::string received(receipt.at("received_at").as_string());
  CHECK(received.size() == 10);
  CHECK(received.find('T') == std::string::npos);

  const auto status = post_json(server.port(), "/api/v1/status",
                                json::serialize(json::object{{"tracking_code", code}}));
  REQUIRE(status.status == 200);
  const auto v = parse(status);
  CHECK(v.at("case_number").as_string() == number);
  CHECK(v.at("status").as_string() == "received");
  CHECK(v.at("status_label_th").as_string() == "ได้รับเรื่องแล้ว");
  const auto& sub = v.at("submission");
  // Byte for byte: the exact UTF-8 we sent comes back.
  CHECK(std::string(sub.at("description").as_string()) == kDescription);
  CHECK(sub.at("subject").at("name").as_string() == "นายสมศักดิ์ ตัวอย่าง");
  CHECK(sub.at("location").as_string() == "ที่ทำการ อบต.หนองไฮ");
  CHECK(sub.at("identity_provided").as_bool());
  // The reporter's own identity is not sent back: only custodians read it.
  CHECK(status.body.find(kReporterName) == std::string::npos);
  REQUIRE(v.at("timeline").as_array().size() == 1);
  CHECK(v.at("timeline").at(0).at("status").as_string() == "received");
  CHECK(v.at("messages").as_array().empty());

  // The same code typed on a phone: spaces instead of dashes, Thai digits.
  std::string spaced = code;
  for (auto& c : spaced) {
    if (c == '-') c = ' ';
  }
  CHECK(post_json(server.port(), "/api/v1/status",
                  json::serialize(json::object{{"tracking_code", spaced}})).status == 200);
  std::string thai;
  for (char c : code) {
    if (c >= '0' && c <= '9') {
      thai += "\xE0\xB9";
      thai += static_cast<char>(0x90 + (c - '0'));
    }
  }
  CHECK(post_json(server.port(), "/api/v1/status",
                  json::serialize(json::object{{"tracking_code", thai}})).status == 200);
}

TEST_CASE("an anonymous complaint works and says no identity was given") {
  ServerProcess server;
  const auto filed = post_json(server.port(), "/api/v1/complaints", json::serialize(complaint(false)));
  REQUIRE(filed.status == 201);
  const auto code = parse(filed).at("tracking_code");
  const auto status = post_json(server.port(), "/api/v1/status",
                                json::serialize(json::object{{"tracking_code", code}}));
  REQUIRE(status.status == 200);
  CHECK_FALSE(parse(status).at("submission").at("identity_provided").as_bool());
}

TEST_CASE("wrong and mistyped tracking codes are told apart") {
  ServerProcess server;
  const auto filed = post_json(server.port(), "/api/v1/complaints", json::serialize(complaint(false)));
  REQUIRE(filed.status == 201);
  std::string code(parse(filed).at("tracking_code").as_string());

  // One digit changed: the check digit catches the typo.
  std::string typo = code;
  typo[0] = typo[0] == '9' ? '8' : static_cast<char>(typo[0] + 1);
  const auto mistyped = post_json(server.port(), "/api/v1/status",
                                  json::serialize(json::object{{"tracking_code", typo}}));
  CHECK(mistyped.status == 400);
  CHECK(error_code(mistyped) == "malformed_code");

  // A well-formed code that was never issued (Damm digit recomputed).
  const auto unknown = post_json(server.port(), "/api/v1/status",
                                 R"({"tracking_code":"0000000-0000000-0000000"})");
  CHECK(unknown.status == 404);
  CHECK(error_code(unknown) == "unknown_code");

  const auto letters = post_json(server.port(), "/api/v1/status", R"({"tracking_code":"ABC"})");
  CHECK(letters.status == 400);
  CHECK(error_code(letters) == "malformed_code");

  const auto missing = post_json(server.port(), "/api/v1/status", R"({})");
  CHECK(missing.status == 400);
  CHECK(error_code(missing) == "missing_field");
}

TEST_CASE("concurrent submissions each get their own durable case number") {
  ServerProcess server;
  constexpr int kThreads = 8;
  constexpr int kEach = 10;
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::set<std::string> numbers;
  std::set<std::string> codes;
  int created = 0;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        const auto r = post_json(server.port(), "/api/v1/complaints", json::serialize(complaint(i % 2 == 0)));
        std::lock_guard lock(mutex);
        if (r.status == 201) {
          ++created;
          const auto v = parse(r);
          numbers.insert(std::string(v.at("case_number").as_string()));
          codes.insert(std::string(v.at("tracking_code").as_string()));
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(created == kThreads * kEach);
  CHECK(numbers.size() == static_cast<std::size_t>(kThreads * kEach));
  CHECK(codes.size() == static_cast<std::size_t>(kThreads * kEach));
}

TEST_CASE("intake description lists categories, limits and the keys to seal to") {
  ServerProcess server;
  const auto r = request(server.port(), "GET", "/api/v1/intake");
  REQUIRE(r.status == 200);
  const auto v = parse(r);
  CHECK(v.at("agency").at("name_th").as_string() == "องค์การบริหารส่วนตำบลหนองไฮ");
  CHECK(v.at("categories").as_array().size() >= 5);
  CHECK(v.at("limits").at("description_max").as_int64() == 10000);
  // The recovery key and the first investigator.
  CHECK(v.at("public_keys").as_array().size() == 2);
}

TEST_CASE("health check reads and writes the database") {
  ServerProcess server;
  const auto r = request(server.port(), "GET", "/healthz");
  CHECK(r.status == 200);
  CHECK(parse(r).at("status").as_string() == "ok");
}
