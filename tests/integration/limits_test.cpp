#include <doctest/doctest.h>

#include <memory>
#include <sstream>
#include <thread>

#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "server_process.hpp"

using namespace krasip::test;
namespace json = boost::json;

TEST_CASE("a client too slow to send its headers gets 408 and does not block others") {
  ServerProcess server({"--header-timeout-ms", "600", "--body-timeout-ms", "600"});
  Connection slow(server.port());
  slow.send("POST /api/v1/complaints HTTP/1.1\r\nHost: x\r\n");  // and then nothing
  // Meanwhile an ordinary citizen files a complaint without waiting.
  const auto t0 = std::chrono::steady_clock::now();
  const auto ok = post_json(server.port(), "/api/v1/complaints", json::serialize(complaint(false)));
  CHECK(ok.status == 201);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(500));

  const auto r = slow.read_response(std::chrono::seconds(5));
  CHECK(r.status == 408);
  CHECK(error_code(r) == "request_timeout");
  CHECK(slow.closed_by_peer(std::chrono::seconds(5)));
}

TEST_CASE("a body that trickles in too slowly gets 408") {
  ServerProcess server({"--header-timeout-ms", "2000", "--body-timeout-ms", "600"});
  Connection slow(server.port());
  slow.send("POST /api/v1/complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: 100\r\n\r\n{\"cat");
  const auto r = slow.read_response(std::chrono::seconds(5));
  CHECK(r.status == 408);
  CHECK(error_code(r) == "request_timeout");
}

TEST_CASE("over the connection cap a client gets 503 server_busy, and the cap frees up") {
  ServerProcess server({"--max-connections", "4"});
  std::vector<std::unique_ptr<Connection>> idle;
  for (int i = 0; i < 4; ++i) idle.push_back(std::make_unique<Connection>(server.port()));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto busy = request(server.port(), "GET", "/api/v1/intake");
  CHECK(busy.status == 503);
  CHECK(error_code(busy) == "server_busy");
  idle.clear();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(request(server.port(), "GET", "/api/v1/intake").status == 200);
}

TEST_CASE("keep-alive connections serve several requests in a row") {
  ServerProcess server;
  Connection c(server.port());
  for (int i = 0; i < 3; ++i) {
    c.send("GET /api/v1/ping HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto r = c.read_response();
    CHECK(r.status == 200);
  }
}

TEST_CASE("per-client rate limits answer 429 with Retry-After, per endpoint") {
  ServerProcess server({"--status-rate", "3", "--submit-rate", "2"});
  const std::string lookup = R"({"tracking_code":"0000000-0000000-0000000"})";
  for (int i = 0; i < 3; ++i) CHECK(post_json(server.port(), "/api/v1/status", lookup).status == 404);
  const auto limited = post_json(server.port(), "/api/v1/status", lookup);
  CHECK(limited.status == 429);
  CHECK(error_code(limited) == "rate_limited");
  CHECK(limited.header("retry-after") == "60");
  // Guessing codes faster than the limit is impossible, whatever the code.
  CHECK(post_json(server.port(), "/api/v1/status", R"({"tracking_code":"1234567-1234567-1234567"})").status == 429);

  const auto body = boost::json::serialize(complaint(false));
  CHECK(post_json(server.port(), "/api/v1/complaints", body).status == 201);
  CHECK(post_json(server.port(), "/api/v1/complaints", body).status == 201);
  CHECK(post_json(server.port(), "/api/v1/complaints", body).status == 429);
  // Other endpoints are not affected.
  CHECK(request(server.port(), "GET", "/api/v1/intake").status == 200);
  // And the client's address is in no log line (only the listening line
  // names the server's own address, which is the same here).
  std::istringstream log(read_file(server.log_file()));
  for (std::string line; std::getline(log, line);) {
    if (line.find("event=listening") != std::string::npos) continue;
    CAPTURE(line);
    CHECK(line.find("127.0.0.1") == std::string::npos);
  }
}

TEST_CASE("logins beyond the bounded queue get 503 server_busy at once, and none hangs") {
  ServerProcess server({"--login-queue", "1"});
  auto alice = add_account(server, "alice");
  const auto port = server.port();
  std::vector<HttpResult> results(12);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&results, port, i] {
      results[i] = login(port, "ghost" + std::to_string(i), "wrong-password-xx", "123456");
    });
  }
  for (auto& t : threads) t.join();
  int busy = 0;
  for (const auto& r : results) {
    CHECK((r.status == 401 || r.status == 503));  // 0 would be a hang (read timeout)
    if (r.status == 503) {
      ++busy;
      CHECK(error_code(r) == "server_busy");
      CHECK(r.header("retry-after") == "5");
    }
  }
  CHECK(busy >= 1);
  // The queue frees up as the logins finish.
  CHECK(login(port, "alice", alice.password, next_totp(alice)).status == 200);
}

TEST_CASE("reporter follow-ups share the status-lookup limit per client") {
  ServerProcess server({"--status-rate", "4"});
  const auto port = server.port();
  const std::string code = "0000000-0000000-0000000";
  const std::string boundary = "krasipboundary";
  const auto lookup = [&] {
    return post_json(port, "/api/v1/status", json::serialize(json::object{{"tracking_code", code}}));
  };
  const auto message = [&] {
    return post_json(port, "/api/v1/status/messages",
                     json::serialize(json::object{{"tracking_code", code}, {"body", "hello"}}));
  };
  const auto upload = [&] {
    const std::string body =
        "--" + boundary + "\r\nContent-Disposition: form-data; name=\"tracking_code\"\r\n\r\n" + code +
        "\r\n--" + boundary +
        "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
        "Content-Type: text/plain\r\n\r\nhello\r\n--" + boundary + "--\r\n";
    return request(port, "POST", "/api/v1/status/attachments", body,
                   "multipart/form-data; boundary=" + boundary);
  };
  // Moving a case to another channel (issue 10, item 4) takes the code too.
  const auto escalate = [&] {
    return post_json(port, "/api/v1/status/escalate",
                     json::serialize(json::object{{"tracking_code", code}, {"channel", "default"},
                                                  {"reason", "ผู้รับเรื่องเกี่ยวข้อง"}}));
  };
  CHECK(lookup().status == 404);
  CHECK(message().status == 404);
  CHECK(upload().status == 404);
  CHECK(escalate().status == 404);
  // Four tracking-code guesses in the minute, whichever route: then each is refused.
  for (const auto& r : {lookup(), message(), upload(), escalate()}) {
    CHECK(r.status == 429);
    CHECK(error_code(r) == "rate_limited");
    CHECK(r.header("retry-after") == "60");
  }
}

TEST_CASE("1,000 slow-trickling connections do not stop a citizen from filing") {
  ServerProcess server;
  std::vector<std::unique_ptr<Connection>> slow;
  slow.reserve(1000);
  for (int i = 0; i < 1000; ++i) {
    slow.push_back(std::make_unique<Connection>(server.port()));
    slow.back()->send("P");
  }
  for (int round = 0; round < 3; ++round) {
    for (auto& c : slow) c->send("O");  // a byte now and then, never a whole header
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = post_json(server.port(), "/api/v1/complaints", boost::json::serialize(complaint(false)));
    CHECK(r.status == 201);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(2));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

TEST_CASE("Expect: 100-continue gets the go-ahead before the body, and a refusal instead of it") {
  ServerProcess server;
  const std::string body = json::serialize(complaint(false));
  {
    // What curl does before a large upload: headers, then wait for 100.
    Connection c(server.port());
    c.send("POST /api/v1/complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Expect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n");
    const auto go_ahead = c.read_response(std::chrono::seconds(3));
    CHECK(go_ahead.status == 100);
    c.send(body);
    const auto r = c.read_response();
    CHECK(r.status == 201);
    CHECK(parse(r).at("tracking_code").as_string().size() == 23);
  }
  {
    // Too large: the answer comes at once, and no body is asked for.
    Connection c(server.port());
    c.send("POST /api/v1/complaints HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Expect: 100-continue\r\nContent-Length: 999999999\r\n\r\n");
    const auto r = c.read_response(std::chrono::seconds(3));
    CHECK(r.status == 413);
    CHECK(error_code(r) == "body_too_large");
  }
  {
    // HTTP/1.0 has no 100 Continue: the server just reads the body.
    Connection c(server.port());
    c.send("POST /api/v1/complaints HTTP/1.0\r\nHost: x\r\nContent-Type: application/json\r\n"
           "Expect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    CHECK(c.read_response().status == 201);
  }
}
