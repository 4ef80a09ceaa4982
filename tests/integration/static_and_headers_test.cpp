#include <doctest/doctest.h>
#include <sodium.h>

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

// What a CSP names an inline script or style by: 'sha256-BASE64'.
std::string csp_hash(const std::string& text) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(b64, sizeof b64, digest, sizeof digest, sodium_base64_VARIANT_ORIGINAL);
  return "'sha256-" + std::string(b64) + "'";
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

  // The reporter's pages hold their stylesheet and scripts (at 400 ms a
  // round trip, each file more is time before the form can be used): no
  // request for either, and each inline one is allowed by its SHA-256 in the
  // page's CSP, never by 'unsafe-inline'. Their fonts, named by the inline
  // stylesheet, are kept by the browser for a year.
  for (const char* page : {"/embed/report.html", "/embed/status.html", "/"}) {
    CAPTURE(page);
    const auto answer = request(server.port(), "GET", page);
    const auto& html = answer.body;
    CHECK(html.find("src=\"/js/") == std::string::npos);
    CHECK(html.find("href=\"/css/") == std::string::npos);
    CHECK(html.find("<link rel=\"stylesheet\"") == std::string::npos);
    const auto csp = answer.header("content-security-policy");
    CHECK(csp.find("unsafe-inline") == std::string::npos);
    const auto inline_bodies = [&html](const std::string& open, const std::string& close) {
      std::vector<std::string> bodies;
      for (auto at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
        const auto start = at + open.size();
        bodies.push_back(html.substr(start, html.find(close, start) - start));
      }
      return bodies;
    };
    auto scripts = inline_bodies("<script>", "</script>");
    for (auto& s : inline_bodies("<script type=\"module\">", "</script>")) scripts.push_back(std::move(s));
    const auto styles = inline_bodies("<style>", "</style>");
    CHECK(!scripts.empty());
    REQUIRE(styles.size() == 1);
    const auto directive = [&csp](const std::string& name) {
      const auto at = csp.find(name + " ");
      return at == std::string::npos ? std::string{} : csp.substr(at, csp.find(';', at) - at);
    };
    for (const auto& s : scripts) CHECK(directive("script-src").find(csp_hash(s)) != std::string::npos);
    CHECK(directive("style-src").find(csp_hash(styles[0])) != std::string::npos);
    // No file of scripts or styles is fetched with the page (the receipt's
    // QR code is still fetched when used; the agency page's widget loader
    // is what an agency's site loads from us, so it stays a file).
    CHECK(html.find("src=\"/assets/") == std::string::npos);
    CHECK(html.find("href=\"/assets/") == std::string::npos);
    const auto fonts = asset_urls(styles[0]);
    CHECK(fonts.size() == 2);  // Sarabun 400 and 700, Thai and Latin in one file each
    for (const auto& f : fonts) {
      const auto font_answer = request(server.port(), "GET", f);
      CHECK(font_answer.status == 200);
      CHECK(font_answer.header("cache-control") == "public, max-age=31536000, immutable");
      CHECK(font_answer.header("content-type") == "font/woff2");
      CHECK(font_answer.body.size() < 16 * 1024);
    }
  }
  // The hashes are the page's own: another page's policy does not have them.
  CHECK(request(server.port(), "GET", "/embed/measures.html").header("content-security-policy").find("sha256") ==
        std::string::npos);
  // The sidecar itself is not served.
  CHECK(request(server.port(), "GET", "/embed/report.html.csp").status == 404);
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
