// Issue 22: floods cost the flooder. Over HTTP, against a real krasipd:
// a client with no known address (behind the proxy, no X-Real-IP: every
// onion visitor) must solve a challenge; a flood of unsolved submissions
// from known addresses is refused once it passes the floor, while an honest
// client that solves files normally; the page without JavaScript waits.
#include <doctest/doctest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "fixtures.hpp"
#include "krasip/cases/common/proof_of_work.hpp"
#include "server_process.hpp"

using namespace krasip::test;
using krasip::cases::ProofOfWork;

namespace {

const std::string kBody = boost::json::serialize(complaint(false));

std::string solve(const boost::json::value& refusal) {
  const auto& c = refusal.at("challenge");
  const std::string token(c.at("token").as_string());
  const auto bits = static_cast<unsigned>(c.at("bits").as_int64());
  for (unsigned long n = 0;; ++n) {
    std::string proof = token + ":" + std::to_string(n);
    if (ProofOfWork::leading_zero_bits(proof) >= bits) return proof;
  }
}

HttpResult submit(unsigned short port, const std::string& headers) {
  return request(port, "POST", "/api/v1/complaints", kBody, "application/json", headers);
}

}  // namespace

TEST_CASE("a client with no known address solves a challenge to file; a wrong or reused proof is refused, clearly") {
  ServerProcess server({"--trust-proxy", "--pow-bits", "12", "--pow-max-bits", "16"});
  // No X-Real-IP from the (loopback) proxy: the address is unknown.
  const auto first = submit(server.port(), "");
  REQUIRE(first.status == 428);
  const auto refusal = parse(first);
  CHECK(error_code(first) == "proof_required");
  CHECK(refusal.at("challenge").at("bits").as_int64() == 12);
  const auto proof = solve(refusal);
  const auto filed = submit(server.port(), "X-Krasip-Proof: " + proof + "\r\n");
  CHECK(filed.status == 201);
  // The same proof again: refused, with a new challenge, nothing filed.
  const auto again = submit(server.port(), "X-Krasip-Proof: " + proof + "\r\n");
  CHECK(again.status == 428);
  CHECK(error_code(again) == "proof_invalid");
  CHECK(parse(again).at("error").at("reason").as_string() == "reused");
  // A nonce that does not solve it.
  const auto bad = submit(server.port(), "X-Krasip-Proof: " + std::string(parse(again).at("challenge").at("token").as_string()) +
                                             ":1\r\n");
  CHECK(bad.status == 428);
  CHECK(parse(bad).at("error").at("reason").as_string() == "wrong");
  // A lookup's proof does not file a complaint.
  const auto lookup = post_json(server.port(), "/api/v1/status", R"({"tracking_code":"1234567-8901234-5678901"})");
  REQUIRE(lookup.status == 428);
  const auto other = submit(server.port(), "X-Krasip-Proof: " + solve(parse(lookup)) + "\r\n");
  CHECK(parse(other).at("error").at("reason").as_string() == "wrong_purpose");
  // With an address (the proxy names it) and no flood: no proof is asked.
  CHECK(submit(server.port(), "X-Real-IP: 203.0.113.7\r\n").status == 201);
}

TEST_CASE("a flood without proofs is refused once it passes the floor; an honest client that solves files meanwhile") {
  ServerProcess server({"--pow-bits", "10", "--pow-max-bits", "14"});
  int accepted = 0;
  int refused = 0;
  for (int i = 0; i < 60; ++i) {
    const auto r = submit(server.port(), "");
    if (r.status == 201) ++accepted;
    if (r.status == 428) ++refused;
  }
  CHECK(accepted == 30);  // the floor: 30 submissions a minute
  CHECK(refused == 30);
  // An honest reporter during the flood: one more round trip, then filed.
  const auto asked = submit(server.port(), "");
  REQUIRE(asked.status == 428);
  const auto honest = submit(server.port(), "X-Krasip-Proof: " + solve(parse(asked)) + "\r\n");
  CHECK(honest.status == 201);
  // A flooder that solves pays more for each complaint it gets in.
  unsigned bits = 0;
  for (int i = 0; i < 70; ++i) {
    const auto r = submit(server.port(), "");
    REQUIRE(r.status == 428);
    bits = static_cast<unsigned>(parse(r).at("challenge").at("bits").as_int64());
    REQUIRE(submit(server.port(), "X-Krasip-Proof: " + solve(parse(r)) + "\r\n").status == 201);
  }
  CHECK(bits >= 11);
  CHECK(bits <= 14);
  // Lookups have their own meter: not flooded by complaints.
  CHECK(post_json(server.port(), "/api/v1/status", R"({"tracking_code":"1234567-8901234-5678901"})").status != 428);
}

TEST_CASE("without JavaScript, a reporter with no known address waits a few seconds instead of solving") {
  ServerProcess server({"--trust-proxy", "--pow-bits", "12"});
  const auto form = request(server.port(), "GET", "/plain/status");
  std::smatch m;
  REQUIRE(std::regex_search(form.body, m, std::regex("name=\"form_token\" value=\"([^\"]*)\"")));
  const std::string body = "form_token=" + m[1].str() + "&tracking_code=1234567-8901234-5678901";
  // At once: the wait page (in Thai), nothing looked up, the token used up.
  const auto early = request(server.port(), "POST", "/plain/status", body, "application/x-www-form-urlencoded");
  CHECK(early.status == 429);
  CHECK(early.body.find("กรุณารอ 5 วินาที") != std::string::npos);
  std::smatch fresh;
  REQUIRE(std::regex_search(early.body, fresh, std::regex("name=\"form_token\" value=\"([^\"]*)\"")));
  std::this_thread::sleep_for(std::chrono::milliseconds(5200));
  const auto later = request(server.port(), "POST", "/plain/status",
                             "form_token=" + fresh[1].str() + "&tracking_code=1234567-8901234-5678901",
                             "application/x-www-form-urlencoded");
  CHECK((later.status == 400 || later.status == 404));  // looked up: no such case
  CHECK(later.body.find("tracking-code-error") != std::string::npos);
}
