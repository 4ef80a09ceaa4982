// Issue 22: the reporter's pages without JavaScript, as a browser's plain
// forms send them. Bad input gets a page in the reporter's language, by the
// field; a form sent twice files once; nothing of the code goes in a URL.
#include <doctest/doctest.h>

#include <regex>
#include <string>

#include "db_rows.hpp"
#include "fixtures.hpp"
#include "server_process.hpp"

using namespace krasip::test;

namespace {

constexpr const char* kForm = "application/x-www-form-urlencoded";

std::string url_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.') {
      out.push_back(ch);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string form(std::initializer_list<std::pair<std::string, std::string>> fields) {
  std::string body;
  for (const auto& [k, v] : fields) body += (body.empty() ? "" : "&") + url_encode(k) + "=" + url_encode(v);
  return body;
}

// The value of a hidden input in a page.
std::string hidden_value(const std::string& html, const std::string& name) {
  const std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
  std::smatch m;
  return std::regex_search(html, m, re) ? m[1].str() : std::string();
}

std::string between(const std::string& html, const std::string& open, const std::string& close) {
  const auto a = html.find(open);
  if (a == std::string::npos) return {};
  const auto b = html.find(close, a + open.size());
  return html.substr(a + open.size(), b - a - open.size());
}

int cases_in(const ServerProcess& server) {
  return std::stoi(db_rows(server.data_dir() / "data" / "krasip.db", "SELECT count(*) FROM cases")[0][0]);
}

const std::string kComplaint = form({{"subject.name", "นายสมศักดิ์ ตัวอย่าง"},
                                     {"category", "bribery"},
                                     {"description", kDescription},
                                     {"identity_mode", "anonymous"}});

}  // namespace

TEST_CASE("a plain form is checked as the API checks it, with the error by its field, in Thai or English") {
  ServerProcess server;
  // Description missing: the form again, the field marked, the typed text kept.
  const auto th = request(server.port(), "POST", "/plain/report",
                          form({{"subject.name", "นายสมศักดิ์ <ตัวอย่าง>"}, {"category", "bribery"}, {"step", "review"}}), kForm);
  CHECK(th.status == 400);
  CHECK(th.header("content-type") == "text/html; charset=utf-8");
  CHECK(th.header("cache-control") == "no-store");
  CHECK(th.body.find("id=\"description\" name=\"description\" rows=\"6\" aria-invalid=\"true\"") != std::string::npos);
  CHECK(th.body.find("<p id=\"description-error\" class=\"field-error\">กรุณากรอกข้อมูลนี้</p>") != std::string::npos);
  CHECK(th.body.find("value=\"นายสมศักดิ์ &lt;ตัวอย่าง&gt;\"") != std::string::npos);  // kept, escaped
  CHECK(th.body.find("<script") == std::string::npos);
  const auto en = request(server.port(), "POST", "/plain/report?lang=en",
                          form({{"subject.name", "x"}, {"category", "astrology"}, {"description", "y"}, {"step", "review"}}), kForm);
  CHECK(en.status == 400);
  CHECK(en.body.find("<html lang=\"en\">") != std::string::npos);
  CHECK(en.body.find("<p id=\"category-error\" class=\"field-error\">This value is not valid. Please check it.</p>") !=
        std::string::npos);
  // Not a form at all.
  const auto json = request(server.port(), "POST", "/plain/report", "{}", "application/json");
  CHECK(json.status == 415);
  CHECK(json.header("content-type") == "text/html; charset=utf-8");
  CHECK(cases_in(server) == 0);
}

TEST_CASE("a plain complaint sent twice (Reload) is filed once, and its code is shown once") {
  ServerProcess server;
  const auto review = request(server.port(), "POST", "/plain/report", kComplaint + "&step=review", kForm);
  REQUIRE(review.status == 200);
  const auto token = hidden_value(review.body, "form_token");
  REQUIRE(!token.empty());
  const auto send = kComplaint + "&accept_terms=yes&step=send&form_token=" + url_encode(token);
  const auto first = request(server.port(), "POST", "/plain/report/send", send, kForm);
  REQUIRE(first.status == 201);
  const auto code = between(first.body, "aria-labelledby=\"receipt-code-label\">", "</p>");
  CHECK(std::regex_match(code, std::regex(R"(\d{7}-\d{7}-\d{7})")));
  // The receipt's upload form carries the code in its body, never its action.
  CHECK(first.body.find("action=\"/plain/upload\"") != std::string::npos);
  CHECK(cases_in(server) == 1);

  const auto again = request(server.port(), "POST", "/plain/report/send", send, kForm);
  CHECK(again.status == 409);
  CHECK(again.body.find(code) == std::string::npos);
  CHECK(cases_in(server) == 1);

  // A forged or stale token files nothing and keeps the review.
  const auto forged = kComplaint + "&accept_terms=yes&step=send&form_token=AAAA";
  const auto stale = request(server.port(), "POST", "/plain/report/send", forged, kForm);
  CHECK(stale.status == 409);
  CHECK(stale.body.find(kDescription) != std::string::npos);
  CHECK(cases_in(server) == 1);

  // The status lookup uses its page's token up too.
  const auto lookup_page = request(server.port(), "GET", "/plain/status");
  const auto lookup = form({{"form_token", hidden_value(lookup_page.body, "form_token")}, {"tracking_code", code}});
  const auto shown = request(server.port(), "POST", "/plain/status", lookup, kForm);
  CHECK(shown.status == 200);
  CHECK(shown.body.find(kDescription) != std::string::npos);
  const auto replayed = request(server.port(), "POST", "/plain/status", lookup, kForm);
  CHECK(replayed.status == 409);
  CHECK(replayed.body.find(kDescription) == std::string::npos);
}

TEST_CASE("a plain upload with a field missing, or a file too large, answers a page and stores nothing") {
  ServerProcess server({"--upload-max-bytes", "2048"});
  const auto filed = post_json(server.port(), "/api/v1/complaints", boost::json::serialize(complaint(false)));
  REQUIRE(filed.status == 201);
  const std::string code(parse(filed).at("tracking_code").as_string());
  const auto fresh_token = [&] {
    return hidden_value(request(server.port(), "GET", "/plain/status").body, "form_token");
  };
  const auto multipart = [](const std::vector<std::pair<std::string, std::string>>& parts, const std::string& file) {
    std::string b;
    for (const auto& [k, v] : parts) {
      b += "--XyZ\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n";
    }
    if (!file.empty()) {
      b += "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"note.txt\"\r\nContent-Type: text/plain\r\n\r\n" + file + "\r\n";
    }
    return b + "--XyZ--\r\n";
  };
  constexpr const char* kType = "multipart/form-data; boundary=XyZ";

  // No file: the status page again, the message by the file field.
  const auto no_file = request(server.port(), "POST", "/plain/upload",
                               multipart({{"form_token", fresh_token()}, {"tracking_code", code}}, ""), kType);
  CHECK(no_file.status == 400);
  CHECK(no_file.body.find("id=\"evidence-file-error\"") != std::string::npos);
  CHECK(no_file.body.find(kDescription) != std::string::npos);
  // No token: refused before the code is read.
  const auto no_token = request(server.port(), "POST", "/plain/upload", multipart({{"tracking_code", code}}, "hello"), kType);
  CHECK(no_token.status == 400);
  CHECK(no_token.header("content-type") == "text/html; charset=utf-8");
  CHECK(no_token.body.find(kDescription) == std::string::npos);
  // Too large: a page in Thai, nothing stored.
  const auto big = request(server.port(), "POST", "/plain/upload",
                           multipart({{"form_token", fresh_token()}, {"tracking_code", code}}, std::string(4096, 'a')), kType);
  CHECK(big.status == 413);
  CHECK(big.body.find("ไฟล์มีขนาดใหญ่เกินกำหนด") != std::string::npos);
  CHECK(db_rows(server.data_dir() / "data" / "krasip.db", "SELECT count(*) FROM attachments")[0][0] == "0");
  // A good one, then the same form again: stored once.
  const auto good_form = multipart({{"form_token", fresh_token()}, {"tracking_code", code}}, "a note for the officers");
  const auto good = request(server.port(), "POST", "/plain/upload", good_form, kType);
  CHECK(good.status == 201);
  CHECK(good.body.find("note.txt") != std::string::npos);
  const auto twice = request(server.port(), "POST", "/plain/upload", good_form, kType);
  CHECK(twice.status == 409);
  CHECK(db_rows(server.data_dir() / "data" / "krasip.db", "SELECT count(*) FROM attachments")[0][0] == "1");
}
