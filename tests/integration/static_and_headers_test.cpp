#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "server_process.hpp"

using namespace krasip::test;

TEST_CASE("API answers carry the security headers and are never cached") {
  ServerProcess server;
  const auto r = request(server.port(), "GET", "/api/v1/intake");
  REQUIRE(r.status == 200);
  CHECK(r.header("cache-control") == "no-store");
  CHECK(r.header("x-content-type-options") == "nosniff");
  CHECK(r.header("referrer-policy") == "no-referrer");
  const auto csp = r.header("content-security-policy");
  CHECK(csp.find("script-src 'self'") != std::string::npos);
  CHECK(csp.find("unsafe-inline") == std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(r.header("content-type") == "application/json; charset=utf-8");
  CHECK(r.header("server").empty());
  // Errors too.
  const auto e = request(server.port(), "GET", "/api/v1/nope");
  CHECK(e.header("cache-control") == "no-store");
  CHECK(e.header("content-security-policy") == csp);
}

TEST_CASE("only the embedded form and tracking page may be framed, and only by the agency") {
  ServerProcess server({"--frame-ancestor", "https://www.nonghai.go.th"});
  for (const char* path : {"/embed/report.html", "/embed/status.html"}) {
    CAPTURE(path);
    const auto r = request(server.port(), "GET", path);
    REQUIRE(r.status == 200);
    CHECK(r.header("content-security-policy").find("frame-ancestors 'self' https://www.nonghai.go.th;") ==
          std::string::npos);  // the directive is last: no trailing ';'
    CHECK(r.header("content-security-policy").ends_with("frame-ancestors 'self' https://www.nonghai.go.th"));
    CHECK(r.header("x-frame-options").empty());
  }
  // The console, the home page and everything else: nobody may frame them,
  // not even the agency's own site (an overlay could steer an investigator's clicks).
  for (const char* path : {"/console/", "/console/index.html", "/", "/report.html", "/status.html",
                           "/api/v1/intake", "/no-such-page.html"}) {
    CAPTURE(path);
    const auto r = request(server.port(), "GET", path);
    CHECK(r.header("content-security-policy").ends_with("frame-ancestors 'none'"));
    CHECK(r.header("content-security-policy").find("nonghai") == std::string::npos);
    CHECK(r.header("x-frame-options") == "DENY");
  }
}

TEST_CASE("pages that may show a tracking code or a complaint are never stored by the browser") {
  ServerProcess server;
  for (const char* path : {"/embed/report.html", "/embed/status.html", "/report.html", "/status.html",
                           "/console/", "/"}) {
    CAPTURE(path);
    CHECK(request(server.port(), "GET", path).header("cache-control") == "no-store");
  }
  // Fonts, styles and scripts hold nothing of a case: cached as before.
  CHECK(request(server.port(), "GET", "/css/krasip.css").header("cache-control") == "public, max-age=3600");
}

TEST_CASE("the demo pages are served, and nothing outside the web folder") {
  ServerProcess server;
  const auto home = request(server.port(), "GET", "/");
  CHECK(home.status == 200);
  CHECK(home.header("content-type") == "text/html; charset=utf-8");
  CHECK(home.body.find("แจ้งเรื่องร้องเรียน") != std::string::npos);
  CHECK(request(server.port(), "GET", "/report.html").status == 200);
  CHECK(request(server.port(), "GET", "/status.html").status == 200);
  const auto font = request(server.port(), "GET", "/fonts/sarabun-thai-400-normal.woff2");
  CHECK(font.status == 200);
  CHECK(font.header("content-type") == "font/woff2");

  for (const char* evil : {"/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc/passwd",
                           "/css/../../CMakeLists.txt", "/.git/config", "//etc/passwd"}) {
    CAPTURE(evil);
    const auto r = request(server.port(), "GET", evil);
    CHECK(r.status == 404);
    CHECK(r.body.find("root:") == std::string::npos);
    CHECK(r.body.find("cmake_minimum_required") == std::string::npos);
  }
  CHECK(request(server.port(), "GET", "/no-such-page.html").status == 404);
  CHECK(request(server.port(), "POST", "/index.html", "{}").status == 405);
}
