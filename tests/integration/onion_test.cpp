// Issue 22, part 2: with `serve --onion-address`, pages offer the onion site
// to Tor Browser (Onion-Location), except when reached through it; the
// receipt (the intake answer) and the measures page name the address; only a
// v3 address is taken.
#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "server_process.hpp"

using namespace krasip::test;

namespace {
constexpr const char* kOnion = "krasipexampleonionaddressforteststhatis56charslongabcxyd.onion";
}

TEST_CASE("pages carry Onion-Location to the same page at the onion address; the API and the onion itself do not") {
  ServerProcess server({"--onion-address", kOnion});
  const auto page = request(server.port(), "GET", "/embed/report.html?agency=nh&lang=en");
  CHECK(page.header("onion-location") == std::string("http://") + kOnion + "/embed/report.html?agency=nh&lang=en");
  CHECK(request(server.port(), "GET", "/").header("onion-location") == std::string("http://") + kOnion + "/");
  CHECK(request(server.port(), "GET", "/no-such-page.html").header("onion-location").size() > 0);
  const auto intake = request(server.port(), "GET", "/api/v1/intake");
  CHECK(intake.header("onion-location").empty());
  CHECK(parse(intake).at("onion_address").as_string() == kOnion);
  CHECK(request(server.port(), "GET", "/widget.js").header("onion-location").empty());
  // Through the onion service already: nothing to offer.
  Connection c(server.port());
  REQUIRE(c.send(std::string("GET /embed/status.html HTTP/1.1\r\nHost: ") + kOnion + "\r\nConnection: close\r\n\r\n"));
  const auto via_onion = c.read_response();
  CHECK(via_onion.status == 200);
  CHECK(via_onion.header("onion-location").empty());
  // The measures name it, with what it protects against.
  const auto measures = parse(request(server.port(), "GET", "/api/v1/public/measures"));
  CHECK(measures.at("onion_address").as_string() == kOnion);
  bool section = false;
  for (const auto& s : measures.at("sections").as_array()) {
    if (s.at("id").as_string() != "onion") continue;
    section = true;
    CHECK(std::string(s.at("points").at(0).at("en").as_string()).find(kOnion) != std::string::npos);
  }
  CHECK(section);
}

TEST_CASE("without --onion-address nothing names an onion; a malformed address is refused at start") {
  ServerProcess plain;
  CHECK(request(plain.port(), "GET", "/embed/report.html").header("onion-location").empty());
  CHECK(parse(request(plain.port(), "GET", "/api/v1/intake")).at("onion_address").is_null());
  for (const char* bad : {"example.onion", "http://krasipexampleonionaddressforteststhatis56charslongabcxyd.onion",
                          "KRASIPEXAMPLEONIONADDRESSFORTESTSTHATIS56CHARSLONGABCXYD.onion",
                          "krasipexampleonionaddressforteststhatis56charslongabcxya.onion"}) {
    CAPTURE(bad);
    CHECK_THROWS(ServerProcess({"--onion-address", bad}));
  }
}
