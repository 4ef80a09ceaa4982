#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "server_process.hpp"

using namespace krasip::test;
namespace json = boost::json;

namespace {
std::size_t case_count(ServerProcess& server) {
  // Nothing refused may leave a case behind: count via the next case number.
  const auto r = post_json(server.port(), "/api/v1/complaints", json::serialize(complaint(false)));
  REQUIRE(r.status == 201);
  const std::string number(parse(r).at("case_number").as_string());
  return std::stoul(number.substr(number.rfind('-') + 1)) - 1;
}
}  // namespace

TEST_CASE("malformed requests get a JSON error and store nothing") {
  ServerProcess server;
  const auto port = server.port();

  SUBCASE("malformed JSON") {
    const auto r = post_json(port, "/api/v1/complaints", R"({"category": "bribery",)");
    CHECK(r.status == 400);
    CHECK(error_code(r) == "malformed_json");
  }
  SUBCASE("invalid UTF-8") {
    std::string body = json::serialize(complaint(false));
    body.replace(body.find("ZEBRA"), 5, "\xC0\xAF\xFF\xFE\x80");
    const auto r = post_json(port, "/api/v1/complaints", body);
    CHECK(r.status == 400);
    CHECK(error_code(r) == "invalid_utf8");
  }
  SUBCASE("missing description") {
    auto c = complaint(false);
    c.erase("description");
    const auto r = post_json(port, "/api/v1/complaints", json::serialize(c));
    CHECK(r.status == 400);
    CHECK(error_code(r) == "missing_field");
    CHECK(error_field(r) == "description");
  }
  SUBCASE("missing subject name") {
    auto c = complaint(false);
    c["subject"].as_object().erase("name");
    const auto r = post_json(port, "/api/v1/complaints", json::serialize(c));
    CHECK(r.status == 400);
    CHECK(error_field(r) == "subject.name");
  }
  SUBCASE("terms not accepted") {
    auto c = complaint(false);
    c["accept_terms"] = false;
    const auto r = post_json(port, "/api/v1/complaints", json::serialize(c));
    CHECK(r.status == 400);
    CHECK(error_code(r) == "terms_not_accepted");
  }
  SUBCASE("description one character over the limit (Thai, counted in characters)") {
    auto c = complaint(false);
    std::string long_text;
    for (int i = 0; i < 10001; ++i) long_text += "ก";
    c["description"] = long_text;
    const auto r = post_json(port, "/api/v1/complaints", json::serialize(c));
    CHECK(r.status == 400);
    CHECK(error_code(r) == "field_too_long");
    CHECK(error_field(r) == "description");
  }
  SUBCASE("unknown category") {
    auto c = complaint(false);
    c["category"] = "gossip";
    const auto r = post_json(port, "/api/v1/complaints", json::serialize(c));
    CHECK(r.status == 400);
    CHECK(error_code(r) == "unknown_category");
  }
  SUBCASE("bad national ID") {
    auto c = complaint(true);
    c["identity"].as_object()["national_id"] = "1234567890123";
    const auto r = post_json(port, "/api/v1/complaints", json::serialize(c));
    CHECK(r.status == 400);
    CHECK(error_field(r) == "identity.national_id");
  }
  SUBCASE("body over the size limit") {
    const std::string big(300 * 1024, 'x');
    const auto r = post_json(port, "/api/v1/complaints", big);
    CHECK(r.status == 413);
    CHECK(error_code(r) == "body_too_large");
  }
  SUBCASE("not JSON at all") {
    const auto r = request(port, "POST", "/api/v1/complaints", "category=bribery",
                           "application/x-www-form-urlencoded");
    CHECK(r.status == 415);
    CHECK(error_code(r) == "unsupported_media_type");
  }
  SUBCASE("JSON that is not an object") {
    const auto r = post_json(port, "/api/v1/complaints", "[1,2,3]");
    CHECK(r.status == 400);
    CHECK(error_code(r) == "invalid_field");
  }
  SUBCASE("deeply nested JSON") {
    const std::string deep = std::string(100, '[') + std::string(100, ']');
    const auto r = post_json(port, "/api/v1/complaints", deep);
    CHECK(r.status == 400);
    CHECK(error_code(r) == "malformed_json");
  }
  SUBCASE("headers over the limit") {
    const std::string huge = "X-Filler: " + std::string(9000, 'a') + "\r\n";
    const auto r = request(port, "GET", "/api/v1/intake", {}, {}, huge);
    CHECK(r.status == 431);
    CHECK(error_code(r) == "headers_too_large");
  }
  SUBCASE("garbage instead of HTTP") {
    Connection c(port);
    c.send("\x16\x03\x01\x02\x00 hello\r\n\r\n");
    const auto r = c.read_response();
    CHECK(r.status == 400);
    CHECK(error_code(r) == "bad_request");
  }
  SUBCASE("unknown endpoint and wrong method") {
    const auto r = request(port, "GET", "/api/v1/nothing-here");
    CHECK(r.status == 404);
    CHECK(error_code(r) == "not_found");
    const auto m = request(port, "DELETE", "/api/v1/complaints");
    CHECK(m.status == 405);
    CHECK(error_code(m) == "method_not_allowed");
  }
  // Every refused request above left no case behind.
  CHECK(case_count(server) == 0);
  // And the server is still alive and well.
  CHECK(request(port, "GET", "/healthz").status == 200);
}
