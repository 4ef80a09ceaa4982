#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

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

namespace {
std::string file_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The /assets/ URLs a page names in src="…" or href="…", or a stylesheet in url(…).
std::vector<std::string> asset_urls(const std::string& text) {
  std::vector<std::string> urls;
  for (std::size_t at = text.find("/assets/"); at != std::string::npos; at = text.find("/assets/", at + 1)) {
    if (at == 0 || (text[at - 1] != '"' && text[at - 1] != '(')) continue;
    urls.push_back(text.substr(at, text.find_first_of("\")", at) - at));
  }
  return urls;
}
}  // namespace

TEST_CASE("pages and scripts go out precompressed as the browser accepts, their bundles cached for good") {
  ServerProcess server;
  const std::filesystem::path root = KRASIP_WEB_ROOT;
  const auto plain = request(server.port(), "GET", "/embed/report.html");
  REQUIRE(plain.status == 200);
  CHECK(plain.header("content-encoding").empty());
  CHECK(plain.header("vary") == "Accept-Encoding");
  CHECK(plain.body == file_bytes(root / "embed/report.html"));

  // Chromium sends "gzip, deflate, br, zstd": brotli, the smaller, wins.
  const auto br = request(server.port(), "GET", "/embed/report.html", {}, {},
                          "Accept-Encoding: gzip, deflate, br, zstd\r\n");
  CHECK(br.header("content-encoding") == "br");
  CHECK(br.header("vary") == "Accept-Encoding");
  CHECK(br.header("cache-control") == "no-store");
  CHECK(br.body == file_bytes(root / "embed/report.html.br"));
  CHECK(br.body.size() * 3 < plain.body.size());
  CHECK(br.header("content-length") == std::to_string(br.body.size()));
  // A client that refuses brotli gets gzip; one that refuses both, the file.
  const auto gz = request(server.port(), "GET", "/embed/report.html", {}, {},
                          "Accept-Encoding: br;q=0, gzip\r\n");
  CHECK(gz.header("content-encoding") == "gzip");
  CHECK(gz.body == file_bytes(root / "embed/report.html.gz"));
  const auto none = request(server.port(), "GET", "/embed/report.html", {}, {},
                            "Accept-Encoding: identity, *;q=0\r\n");
  CHECK(none.header("content-encoding").empty());
  CHECK(none.body == plain.body);
  // Fonts are compressed already: no copy, no Vary.
  const auto font = request(server.port(), "GET", "/fonts/sarabun-thai-400-normal.woff2", {}, {},
                            "Accept-Encoding: br, gzip\r\n");
  CHECK(font.header("content-encoding").empty());
  CHECK(font.header("vary").empty());
  // The .br copies themselves are not addressable.
  CHECK(request(server.port(), "GET", "/embed/report.html.br").status == 404);

  // Each reporter page names one stylesheet and one script, built into
  // /assets/ (one request each on a 400 ms link), plus its fonts in the
  // stylesheet; all of them are kept by the browser for a year.
  for (const char* page : {"/embed/report.html", "/embed/status.html", "/"}) {
    CAPTURE(page);
    const auto html = request(server.port(), "GET", page).body;
    CHECK(html.find("src=\"/js/") == std::string::npos);
    CHECK(html.find("href=\"/css/") == std::string::npos);
    const auto urls = asset_urls(html);
    REQUIRE(urls.size() == 2);
    for (const auto& url : urls) {
      CAPTURE(url);
      const auto a = request(server.port(), "GET", url, {}, {}, "Accept-Encoding: br\r\n");
      CHECK(a.status == 200);
      CHECK(a.header("cache-control") == "public, max-age=31536000, immutable");
      CHECK(a.header("content-encoding") == "br");
      if (url.ends_with(".css")) {
        const auto css = request(server.port(), "GET", url).body;
        const auto fonts = asset_urls(css);
        CHECK(fonts.size() == 2);  // Sarabun 400 and 700, Thai and Latin in one file each
        for (const auto& f : fonts) {
          const auto font_answer = request(server.port(), "GET", f);
          CHECK(font_answer.header("content-type") == "font/woff2");
          CHECK(font_answer.body.size() < 16 * 1024);
        }
      }
    }
  }
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
