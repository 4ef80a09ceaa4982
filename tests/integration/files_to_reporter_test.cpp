// Files from the investigators to the reporter (issue 13, item 5) through
// the real krasipd: sent with a session and its CSRF token, under the
// reporter's type and size rules, sealed to the reporter and the case's
// readers but not to an excluded account, audited, and downloaded by the
// reporter with the tracking code alone, byte for byte.
#include <doctest/doctest.h>

#include "db_rows.hpp"
#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "server_process.hpp"

using namespace krasip::test;
namespace json = boost::json;

namespace {

const std::string kBoundary = "KrasipToReporter7c1";
const std::string kType = "multipart/form-data; boundary=" + kBoundary;

std::string file_form(const std::string& filename, const std::string& bytes) {
  return "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
         "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n--" + kBoundary + "--\r\n";
}

std::string pdf(const std::string& marker, std::size_t size) {
  std::string s = "%PDF-1.4\n1 0 obj\n<< /Title (" + marker + ") >>\nendobj\n";
  std::uint32_t x = 4242;
  while (s.size() < size) {
    x = x * 1103515245u + 12345u;
    s.push_back(static_cast<char>(x >> 24));
  }
  return s;
}

HttpResult status_of(unsigned short port, const std::string& code) {
  return post_json(port, "/api/v1/status", json::serialize(json::object{{"tracking_code", code}}));
}

}  // namespace

TEST_CASE("files to the reporter: an investigator sends one, the reporter downloads the same bytes") {
  ServerProcess server;
  const auto port = server.port();
  auto carol_acc = add_account(server, "carol", true);
  auto somchai_acc = add_account(server, "somchai");
  Investigator carol(port, carol_acc);
  const auto [number, code] = file_complaint(port, false);
  const std::string c = "/api/v1/cases/" + number;
  // somchai is excluded before the file is sent: it is not sealed to him.
  REQUIRE(carol.send("POST", c + "/exclusions",
                     json::serialize(json::object{{"username", "somchai"}, {"reason", "เป็นญาติกับผู้ถูกร้องเรียน"}}))
              .status == 201);

  const std::string bytes = pdf("LETTER-TO-REPORTER-8812", 300 * 1024);
  // No session, or no CSRF token: refused before any byte is stored.
  CHECK(request(port, "POST", c + "/attachments", file_form("a.pdf", bytes), kType).status == 401);
  CHECK(carol.send_body("POST", c + "/attachments", file_form("a.pdf", bytes), kType, false).status == 403);
  // Same type rules as the reporter's.
  CHECK(carol.send_body("POST", c + "/attachments", file_form("run.pdf", "\x7f" "ELF\x02\x01\x01" + std::string(4000, 'x')), kType)
            .status == 415);
  // A case the caller cannot read is not found, as everywhere.
  CHECK(carol.send_body("POST", "/api/v1/cases/C-2500-99999/attachments", file_form("a.pdf", bytes), kType).status ==
        404);
  CHECK(db_rows(server.data_dir() / "data" / "krasip.db", "SELECT 1 FROM attachments").empty());

  const auto sent = carol.send_body("POST", c + "/attachments", file_form("หนังสือแจ้งผล.pdf", bytes), kType);
  REQUIRE(sent.status == 201);
  const auto a = parse(sent).at("attachment");
  const std::string id(a.at("id").as_string());
  CHECK(a.at("from").as_string() == "investigator");
  CHECK(a.at("filename").as_string() == "หนังสือแจ้งผล.pdf");

  // The reporter sees it on the status answer and downloads it.
  const auto st = parse(status_of(port, code));
  REQUIRE(st.at("attachments").as_array().size() == 1);
  CHECK(st.at("attachments").at(0).at("id").as_string() == id);
  CHECK(st.at("attachments").at(0).at("from").as_string() == "investigator");
  const auto dl = post_json(port, "/api/v1/status/attachments/" + id,
                            json::serialize(json::object{{"tracking_code", code}}));
  REQUIRE(dl.status == 200);
  CHECK(dl.body == bytes);
  CHECK(dl.header("content-type") == "application/octet-stream");
  CHECK(dl.header("content-disposition").rfind("attachment;", 0) == 0);
  // Another case's code does not open it.
  const auto [other_number, other_code] = file_complaint(port, false);
  CHECK(post_json(port, "/api/v1/status/attachments/" + id,
                  json::serialize(json::object{{"tracking_code", other_code}}))
            .status == 404);
  // The case's readers open it too; the excluded account holds no key to it.
  CHECK(carol.get(c + "/attachments/" + id).body == bytes);
  const auto db = server.data_dir() / "data" / "krasip.db";
  const auto keys = db_rows(db,
                            "SELECT u.username FROM attachments a JOIN envelope_keys k ON k.envelope_id = a.envelope_id"
                            " JOIN users u ON u.key_id = k.reader_key_id");
  bool carol_has = false;
  for (const auto& r : keys) {
    CHECK(r.at(0) != "somchai");
    carol_has = carol_has || r.at(0) == "carol";
  }
  CHECK(carol_has);
  CHECK(db_rows(db, "SELECT 1 FROM attachments a JOIN envelope_keys k ON k.envelope_id = a.envelope_id"
                    " JOIN cases c ON c.reporter_key_id = k.reader_key_id")
            .size() == 1);
  // Audited, and the file is ciphertext on disk.
  CHECK(carol.get("/api/v1/audit?case_number=" + number).body.find("attachment.send") != std::string::npos);
  CHECK(read_tree(server.data_dir() / "data").find("LETTER-TO-REPORTER-8812") == std::string::npos);
}
