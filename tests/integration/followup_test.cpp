// Reporter follow-ups against the real krasipd (issue 4): messages with the
// tracking code, evidence files streamed, cleaned, encrypted, and nothing
// left behind by a refusal or a broken upload.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <thread>

#include "db_rows.hpp"
#include "exif_fixture.hpp"
#include "gif_fixture.hpp"
#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "krasip/cases/reporter/case_followups.hpp"
#include "krasip/cases/reporter/reporter_access.hpp"
#include "krasip/cases/common/server_secrets.hpp"
#include "krasip/crypto/recovery_key.hpp"
#include "krasip/crypto/tracking_code.hpp"
#include "krasip/storage/database.hpp"
#include "krasip/storage/key_store.hpp"
#include "server_process.hpp"

using namespace krasip::test;
using krasip::test::tiny_gif;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

const std::string kBoundary = "KrasipTestBoundary9f8e7d";
const std::string kMultipartType = "multipart/form-data; boundary=" + kBoundary;
constexpr std::size_t kMiB = 1024 * 1024;

std::string file_complaint(unsigned short port) {
  const auto r = post_json(port, "/api/v1/complaints", json::serialize(complaint(false)));
  REQUIRE(r.status == 201);
  return std::string(parse(r).at("tracking_code").as_string());
}

std::string code_part(const std::string& code) {
  return "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"tracking_code\"\r\n\r\n" +
         code + "\r\n";
}
std::string file_part_head(const std::string& filename, const std::string& type = "application/octet-stream") {
  return "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
         filename + "\"\r\nContent-Type: " + type + "\r\n\r\n";
}
std::string closing() { return "\r\n--" + kBoundary + "--\r\n"; }

std::string multipart(const std::string& code, const std::string& filename, const std::string& bytes) {
  return code_part(code) + file_part_head(filename) + bytes + closing();
}

HttpResult upload(unsigned short port, const std::string& body) {
  return request(port, "POST", "/api/v1/status/attachments", body, kMultipartType);
}

HttpResult status_of(unsigned short port, const std::string& code) {
  return post_json(port, "/api/v1/status", json::serialize(json::object{{"tracking_code", code}}));
}

// A plain-text file of `size` bytes with a distinctive marker inside: a
// type with no cleaner, so it streams to its encrypted file as it arrives
// (a cleaned type is held whole for the sandboxed cleaner).
std::string text_bytes(std::size_t size, const std::string& marker = "QUOKKA-EVIDENCE-4471") {
  std::string s = "Minutes of the meeting, " + marker + "\n";
  s.reserve(size);
  std::uint32_t x = 12345;
  while (s.size() < size) {
    x = x * 1103515245u + 12345u;
    s.push_back(s.size() % 64 == 63 ? '\n' : static_cast<char>('a' + (x >> 16) % 26));
  }
  return s;
}

// A PDF-typed file of `size` bytes with a distinctive marker inside.
std::string pdf_bytes(std::size_t size, const std::string& marker = "QUOKKA-EVIDENCE-4471") {
  std::string s = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Title (" + marker + ") >>\nendobj\n";
  s.reserve(size);
  std::uint32_t x = 12345;
  while (s.size() < size) {
    x = x * 1103515245u + 12345u;
    s.push_back(static_cast<char>('A' + (x >> 16) % 26));
  }
  return s;
}

std::filesystem::path attachments_dir(const ServerProcess& s) { return s.data_dir() / "data" / "attachments"; }

std::size_t files_in(const std::filesystem::path& dir) {
  if (!std::filesystem::exists(dir)) return 0;
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

std::int64_t attachment_rows(const ServerProcess& s) {
  krasip::storage::Database db(s.data_dir() / "data" / "krasip.db", krasip::storage::OpenMode::read_only);
  auto st = db.prepare("SELECT count(*) FROM attachments");
  st.step();
  return st.get_int(0);
}

// Waits (briefly) for the server to finish cleaning up after a refusal.
bool eventually_no_files(const ServerProcess& s, std::size_t expected = 0) {
  for (int i = 0; i < 100; ++i) {
    if (files_in(attachments_dir(s)) == expected) return true;
    std::this_thread::sleep_for(30ms);
  }
  return false;
}

long status_kib(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
  }
  return -1;
}

// Resets the process's peak RSS to its current RSS (Linux >= 4.0), so that
// VmHWM afterwards is the peak of what follows only.
bool reset_peak_rss(pid_t pid) {
  std::ofstream out("/proc/" + std::to_string(pid) + "/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

// A large upload sent in pieces, as a browser would.
HttpResult upload_large(unsigned short port, const std::string& body) {
  Connection c(port);
  REQUIRE(c.send("POST /api/v1/status/attachments HTTP/1.1\r\nHost: x\r\nContent-Type: " +
                 kMultipartType + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n"));
  for (std::size_t i = 0; i < body.size(); i += 256 * 1024) {
    REQUIRE(c.send(std::string_view(body).substr(i, 256 * 1024)));
  }
  return c.read_response(60s);
}

std::string recovery_key_text(const ServerProcess& s) {
  const std::string& out = s.init_output();
  auto at = out.find("AGENCY RECOVERY KEY");
  REQUIRE(at != std::string::npos);
  at = out.find("\n\n  ", at);
  REQUIRE(at != std::string::npos);
  at += 4;
  return out.substr(at, out.find('\n', at) - at);
}

// Decrypts an attachment the way an investigator would, here with the
// agency recovery key, through the C++ function the lead will wire.
std::string download_with_recovery_key(const ServerProcess& s, const std::string& code,
                                       const std::string& attachment_id) {
  using namespace krasip;
  const auto secret = crypto::decode_recovery_key(recovery_key_text(s));
  REQUIRE(secret);
  const auto kp = crypto::KeyPair::from_secret(*secret);
  storage::Database db(s.data_dir() / "data" / "krasip.db", storage::OpenMode::read_only);
  std::int64_t key_id = 0;
  for (const auto& r : storage::key_store::active_readers(db)) {
    if (r.kind == "recovery") key_id = r.id;
  }
  const auto secrets = cases::ServerSecrets::load(s.data_dir() / "data" / "secrets" / "pepper.key");
  const auto row = cases::open_reporter_case(secrets, db, code).row;
  auto dl = cases::AttachmentDownload::open(db, attachments_dir(s), row, attachment_id, key_id, kp);
  std::string out;
  while (auto chunk = dl.next_chunk()) out.append(reinterpret_cast<const char*>(chunk->data()), chunk->size());
  return out;
}

}  // namespace

TEST_CASE("follow-ups: intake announces uploads and messages") {
  ServerProcess server;
  const auto v = parse(request(server.port(), "GET", "/api/v1/intake"));
  CHECK(v.at("features").at("reporter_messages").as_bool());
  CHECK(v.at("features").at("attachments").as_bool());
  CHECK(v.at("limits").at("upload_max_bytes").to_number<std::int64_t>() == 20 * 1024 * 1024);
  CHECK(v.at("limits").at("case_upload_max_bytes").to_number<std::int64_t>() == 100 * 1024 * 1024);
  const auto& types = v.at("upload_types").as_array();
  CHECK(std::find(types.begin(), types.end(), json::value("application/pdf")) != types.end());
  CHECK(std::find(types.begin(), types.end(), json::value("image/jpeg")) != types.end());
  // Pictures, PDF, OOXML/ODF documents, audio and video (issue 14);
  // legacy Office formats and text have no cleaner.
  CHECK(v.at("upload_types_cleaned").as_array().size() == 20);
  CHECK_FALSE(v.at("upload_metadata_warning_th").as_string().empty());
}

TEST_CASE("follow-ups: a reporter's Thai message round-trips byte for byte; bad ones are refused") {
  ServerProcess server;
  const auto code = file_complaint(server.port());
  const std::string thai = "เพิ่มเติม: เห็นการรับเงินอีกครั้งวันที่ ๒๐ ที่ลานจอดรถ MARMOT-5150\nขอบคุณครับ 🙏";
  const auto r = post_json(server.port(), "/api/v1/status/messages",
                           json::serialize(json::object{{"tracking_code", code}, {"body", thai}}));
  REQUIRE(r.status == 201);
  CHECK(parse(r).at("message").at("from").as_string() == "reporter");
  CHECK_FALSE(parse(r).at("message").at("at").as_string().empty());

  const auto st = parse(status_of(server.port(), code));
  REQUIRE(st.at("messages").as_array().size() == 1);
  CHECK(st.at("messages").at(0).at("body").as_string() == thai);
  CHECK(st.at("messages").at(0).at("from").as_string() == "reporter");
  const auto& activity = st.at("activity").as_array();
  REQUIRE(activity.size() == 2);
  CHECK(activity.at(0).at("kind").as_string() == "status");
  CHECK(activity.at(1).at("kind").as_string() == "message");

  const auto send = [&](const json::object& o) {
    return post_json(server.port(), "/api/v1/status/messages", json::serialize(o));
  };
  const auto blank = send({{"tracking_code", code}, {"body", "  \n "}});
  CHECK(blank.status == 400);
  CHECK(error_code(blank) == "missing_field");
  CHECK(error_field(blank) == "body");
  std::string long_body;
  for (int i = 0; i < 5001; ++i) long_body += "ข";
  const auto too_long = send({{"tracking_code", code}, {"body", long_body}});
  CHECK(too_long.status == 400);
  CHECK(error_code(too_long) == "field_too_long");
  CHECK(send({{"tracking_code", code}, {"body", "bell\x07"}}).status == 400);
  CHECK(send({{"tracking_code", code}}).status == 400);
  const std::string unissued = "12345678901234567890" + std::string(1, krasip::crypto::damm_check_digit("12345678901234567890"));
  const auto wrong = send({{"tracking_code", unissued}, {"body", "hello"}});
  CHECK(wrong.status == 404);
  CHECK(error_code(wrong) == "unknown_code");

  // The message is not in clear anywhere on disk or in the log.
  const std::string disk = read_tree(server.data_dir() / "data");
  const std::string log = read_file(server.log_file());
  CHECK(disk.find("MARMOT-5150") == std::string::npos);
  CHECK(log.find("MARMOT-5150") == std::string::npos);
}

TEST_CASE("follow-ups: a JPEG with GPS EXIF is stored cleaned and encrypted") {
  ServerProcess server;
  const auto code = file_complaint(server.port());
  const std::string jpeg = jpeg_with_gps();
  REQUIRE(image_metadata(jpeg).has_gps);

  const auto r = upload(server.port(), multipart(code, "IMG_2041.jpg", jpeg));
  REQUIRE(r.status == 201);
  const auto a = parse(r).at("attachment");
  CHECK(a.at("content_type").as_string() == "image/jpeg");
  CHECK(a.at("metadata_removed").as_bool());
  CHECK(a.at("filename").as_string() == "IMG_2041.jpg");
  CHECK_FALSE(a.at("metadata_note_th").as_string().empty());
  CHECK_FALSE(a.at("metadata_note_en").as_string().empty());
  const std::string id(a.at("id").as_string());

  // The status answer lists it for the reporter.
  const auto st = parse(status_of(server.port(), code));
  REQUIRE(st.at("attachments").as_array().size() == 1);
  CHECK(st.at("attachments").at(0).at("id").as_string() == id);
  CHECK(st.at("attachments").at(0).at("from").as_string() == "reporter");
  CHECK(st.at("attachments").at(0).at("size").to_number<std::int64_t>() ==
        a.at("size").to_number<std::int64_t>());

  // Decrypted with the recovery key: a JPEG without EXIF, GPS or XMP.
  const std::string back = download_with_recovery_key(server, code, id);
  const auto meta = image_metadata(back);
  CHECK(meta.readable);
  CHECK_FALSE(meta.has_exif);
  CHECK_FALSE(meta.has_gps);
  CHECK_FALSE(meta.has_xmp);
  CHECK(back.find(kCameraSerial) == std::string::npos);
  CHECK(back.find(kCameraMake) == std::string::npos);

  // Nothing of the picture or its name in clear on disk or in the log.
  const std::string disk = read_tree(server.data_dir() / "data");
  const std::string log = read_file(server.log_file());
  for (const std::string& s : {std::string(kCameraSerial), std::string("IMG_2041"),
                               back.substr(back.size() / 2, 64)}) {
    CHECK(disk.find(s) == std::string::npos);
    CHECK(log.find(s) == std::string::npos);
  }
}

// Memory bounds are checked on the normal build only. Under a sanitizer the
// allocator keeps freed blocks in quarantine (ASan: up to 256 MiB) and adds
// shadow pages, so resident memory follows the bytes allocated in all, not
// those alive at once, and says nothing about buffering.
namespace {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitizedBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool kSanitizedBuild = true;
#else
constexpr bool kSanitizedBuild = false;
#endif
#else
constexpr bool kSanitizedBuild = false;
#endif
}  // namespace

TEST_CASE("follow-ups: a 20 MiB upload streams: bounded server memory, nothing in clear") {
  ServerProcess server;
  const auto code = file_complaint(server.port());
  // Warm up (libmagic's database, thread stacks, SQLite caches) before measuring.
  REQUIRE(upload(server.port(), multipart(code, "warm.pdf", text_bytes(300 * 1024, "WARM"))).status == 201);
  std::this_thread::sleep_for(200ms);
  // The Argon2id decoy made at start-up already set the peak far higher
  // (64 MiB): reset it, or the measure could not see a buffered upload.
  REQUIRE(reset_peak_rss(server.pid()));
  const long before = status_kib(server.pid(), "VmRSS");
  REQUIRE(before > 0);

  const std::string pdf = text_bytes(20 * kMiB);  // exactly the per-file limit
  const std::string body = multipart(code, "รายงานการเงิน.pdf", pdf);
  Connection c(server.port());
  const auto t0 = std::chrono::steady_clock::now();
  REQUIRE(c.send("POST /api/v1/status/attachments HTTP/1.1\r\nHost: x\r\nContent-Type: " +
                 kMultipartType + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n"));
  for (std::size_t i = 0; i < body.size(); i += 256 * 1024) {
    REQUIRE(c.send(std::string_view(body).substr(i, 256 * 1024)));
  }
  const auto r = c.read_response(60s);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  REQUIRE(r.status == 201);
  const long after = status_kib(server.pid(), "VmHWM");
  const long grew_kib = after - before;
  MESSAGE("VmRSS before " << before << " KiB, VmHWM after " << after << " KiB, grew " << grew_kib
                          << " KiB during a 20 MiB upload; " << secs << " s = "
                          << (20.0 / secs) << " MiB/s");
  if (!kSanitizedBuild) CHECK(grew_kib < 8 * 1024);
  const auto a = parse(r).at("attachment");
  CHECK(a.at("size").to_number<std::int64_t>() == static_cast<std::int64_t>(pdf.size()));
  CHECK_FALSE(a.at("metadata_removed").as_bool());
  CHECK(a.at("filename").as_string() == "รายงานการเงิน.pdf");

  const std::string back = download_with_recovery_key(server, code, std::string(a.at("id").as_string()));
  CHECK(back == pdf);

  // One byte over the limit: 413, and no file.
  const auto over = upload(server.port(), multipart(code, "big.pdf", text_bytes(20 * kMiB + 1)));
  CHECK(over.status == 413);
  CHECK(error_code(over) == "file_too_large");
  CHECK(eventually_no_files(server, 2));
  CHECK(attachment_rows(server) == 2);

  CHECK(server.stop() == 0);
  const std::string disk = read_tree(server.data_dir() / "data");
  const std::string log = read_file(server.log_file());
  for (const std::string& s : {std::string("QUOKKA-EVIDENCE-4471"), pdf.substr(10 * kMiB, 48),
                               std::string("รายงานการเงิน")}) {
    CHECK(disk.find(s) == std::string::npos);
    CHECK(log.find(s) == std::string::npos);
  }
}

TEST_CASE("follow-ups: an upload cut off half-way leaves no file and no row") {
  ServerProcess server;
  const auto code = file_complaint(server.port());
  {
    Connection c(server.port());
    const std::string head = code_part(code) + file_part_head("half.pdf");
    c.send("POST /api/v1/status/attachments HTTP/1.1\r\nHost: x\r\nContent-Type: " + kMultipartType +
           "\r\nContent-Length: " + std::to_string(head.size() + 5 * kMiB + closing().size()) +
           "\r\n\r\n" + head);
    const std::string part = text_bytes(2 * kMiB);
    c.send(part);
    // The partial ciphertext file exists while the upload is under way...
    bool seen = false;
    for (int i = 0; i < 100 && !seen; ++i) {
      seen = files_in(attachments_dir(server)) == 1;
      if (!seen) std::this_thread::sleep_for(20ms);
    }
    CHECK(seen);
  }  // ...and the client goes away.
  CHECK(eventually_no_files(server));
  CHECK(attachment_rows(server) == 0);
  CHECK(parse(status_of(server.port(), code)).at("attachments").as_array().empty());
}

TEST_CASE("follow-ups: oversize uploads get 413 before or while the body arrives") {
  ServerProcess server({"--upload-max-bytes", std::to_string(kMiB)});
  const auto code = file_complaint(server.port());
  {  // Content-Length over the limit: refused before any body byte is read.
    Connection c(server.port());
    c.send("POST /api/v1/status/attachments HTTP/1.1\r\nHost: x\r\nContent-Type: " + kMultipartType +
           "\r\nContent-Length: " + std::to_string(50 * kMiB) + "\r\n\r\n");
    const auto r = c.read_response(5s);
    CHECK(r.status == 413);
    CHECK(error_code(r) == "body_too_large");
  }
  {  // Chunked: no length announced; stopped as the bytes pass the limit.
    Connection c(server.port());
    c.send("POST /api/v1/status/attachments HTTP/1.1\r\nHost: x\r\nContent-Type: " + kMultipartType +
           "\r\nTransfer-Encoding: chunked\r\n\r\n");
    const std::string body = multipart(code, "big.pdf", pdf_bytes(3 * kMiB));
    bool sent_all = true;
    for (std::size_t i = 0; i < body.size() && sent_all; i += 64 * 1024) {
      const auto piece = std::string_view(body).substr(i, 64 * 1024);
      char size_line[32];
      std::snprintf(size_line, sizeof size_line, "%zx\r\n", piece.size());
      sent_all = c.send(std::string(size_line) + std::string(piece) + "\r\n");
    }
    if (sent_all) c.send("0\r\n\r\n");
    const auto r = c.read_response(10s);
    CHECK(r.status == 413);
    // Whichever trips first: the file limit or the body limit (file + 64 KiB).
    const auto code413 = error_code(r);
    CHECK((code413 == "file_too_large" || code413 == "body_too_large"));
  }
  CHECK(eventually_no_files(server));
  CHECK(attachment_rows(server) == 0);
}

TEST_CASE("follow-ups: disallowed types get 415 whatever the name says") {
  ServerProcess server;
  const auto code = file_complaint(server.port());
  std::string elf = read_file(KRASIPD_PATH).substr(0, 200 * 1024);  // a real ELF binary
  REQUIRE(elf.substr(1, 3) == "ELF");
  const auto r1 = upload(server.port(), multipart(code, "photo.jpg", elf));
  CHECK(r1.status == 415);
  CHECK(error_code(r1) == "file_type_not_allowed");
  std::string zip = std::string("PK\x03\x04\x14\x00\x00\x00\x08\x00", 10) + std::string(5000, 'z');
  const auto r2 = upload(server.port(), multipart(code, "report.pdf", zip));
  CHECK(r2.status == 415);
  CHECK(eventually_no_files(server));
  CHECK(attachment_rows(server) == 0);
}

TEST_CASE("follow-ups: the tracking code is checked before any file byte is taken") {
  ServerProcess server;
  const auto code = file_complaint(server.port());
  {  // The file before the code: 400.
    const auto r = upload(server.port(), file_part_head("a.pdf") + pdf_bytes(1000) + "\r\n" +
                                             code_part(code).substr(0) + "--" + kBoundary + "--\r\n");
    CHECK(r.status == 400);
    CHECK(error_field(r) == "tracking_code");
  }
  {  // No code field at all: 400.
    const auto r = upload(server.port(), file_part_head("a.pdf") + pdf_bytes(1000) + closing());
    CHECK(r.status == 400);
    CHECK(error_code(r) == "missing_field");
  }
  {  // A wrong code: 404 as soon as the code part ends, while the file is still to come.
    const std::string unissued =
        "12345678901234567890" + std::string(1, krasip::crypto::damm_check_digit("12345678901234567890"));
    Connection c(server.port());
    const std::string head = code_part(unissued) + file_part_head("a.pdf");
    c.send("POST /api/v1/status/attachments HTTP/1.1\r\nHost: x\r\nContent-Type: " + kMultipartType +
           "\r\nContent-Length: " + std::to_string(head.size() + 10 * kMiB) + "\r\n\r\n" + head);
    const auto r = c.read_response(5s);
    CHECK(r.status == 404);
    CHECK(error_code(r) == "unknown_code");
    CHECK(c.closed_by_peer(5s));
  }
  {  // A mistyped code: 400 malformed_code.
    const auto r = upload(server.port(), multipart("1234567-8901234-5678901", "a.pdf", pdf_bytes(100)));
    CHECK(r.status == 400);
    CHECK(error_code(r) == "malformed_code");
  }
  {  // No file part: 400.
    const auto r = upload(server.port(), code_part(code) + "--" + kBoundary + "--\r\n");
    CHECK(r.status == 400);
    CHECK(error_field(r) == "file");
  }
  {  // Not multipart at all: 415.
    const auto r = request(server.port(), "POST", "/api/v1/status/attachments", "{}", "application/json");
    CHECK(r.status == 415);
  }
  CHECK(files_in(attachments_dir(server)) == 0);
  CHECK(attachment_rows(server) == 0);
}

TEST_CASE("follow-ups: a broken multipart body gets 400 and stores nothing") {
  ServerProcess server;
  const auto code = file_complaint(server.port());
  std::string body = multipart(code, "a.pdf", pdf_bytes(300 * 1024));
  body.resize(body.size() - closing().size());  // no closing boundary
  const auto r = upload(server.port(), body);
  CHECK(r.status == 400);
  CHECK(error_code(r) == "malformed_multipart");
  const auto r2 = upload(server.port(), "--" + kBoundary + "\r\nX-Pad: " + std::string(10000, 'a') + "\r\n\r\n");
  CHECK(r2.status == 400);
  CHECK(eventually_no_files(server));
  CHECK(attachment_rows(server) == 0);
}

TEST_CASE("follow-ups: a slow but moving upload succeeds; a stalled one gets 408") {
  ServerProcess server({"--upload-chunk-timeout-ms", "1000"});
  const auto code = file_complaint(server.port());
  const std::string body = multipart(code, "slow.pdf", pdf_bytes(640 * 1024));
  {
    Connection c(server.port());
    c.send("POST /api/v1/status/attachments HTTP/1.1\r\nHost: x\r\nContent-Type: " + kMultipartType +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n");
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < body.size(); i += 64 * 1024) {
      c.send(std::string_view(body).substr(i, 64 * 1024));
      std::this_thread::sleep_for(200ms);
    }
    const auto r = c.read_response(10s);
    CHECK(r.status == 201);
    CHECK(std::chrono::steady_clock::now() - t0 > 1500ms);  // longer than one chunk deadline
  }
  {
    Connection c(server.port());
    c.send("POST /api/v1/status/attachments HTTP/1.1\r\nHost: x\r\nContent-Type: " + kMultipartType +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 100000));
    const auto r = c.read_response(10s);  // and then nothing
    CHECK(r.status == 408);
    CHECK(error_code(r) == "request_timeout");
  }
  CHECK(eventually_no_files(server, 1));
  CHECK(attachment_rows(server) == 1);
}

TEST_CASE("follow-ups: leftovers of a crash are swept at startup; stored files stay") {
  ServerProcess server;
  const auto code = file_complaint(server.port());
  REQUIRE(upload(server.port(), multipart(code, "a.pdf", pdf_bytes(5000))).status == 201);
  server.kill_hard();
  std::ofstream(attachments_dir(server) / "00112233445566778899aabbccddeeff.enc.part") << "partial";
  std::ofstream(attachments_dir(server) / "ffeeddccbbaa99887766554433221100.enc") << "no row";
  CHECK(files_in(attachments_dir(server)) == 3);
  server.start();
  CHECK(files_in(attachments_dir(server)) == 1);
  CHECK(parse(status_of(server.port(), code)).at("attachments").as_array().size() == 1);
}

TEST_CASE("follow-ups: an investigator sees the reporter's file and message and downloads the file") {
  ServerProcess server;
  auto alice_acc = add_account(server, "alice");
  const auto [number, code] = krasip::test::file_complaint(server.port(), false);
  const std::string bytes = pdf_bytes(200 * 1024, "WOMBAT-EXHIBIT-12");
  REQUIRE(upload(server.port(), multipart(code, "สัญญาจ้าง.pdf", bytes)).status == 201);
  REQUIRE(post_json(server.port(), "/api/v1/status/messages",
                    json::serialize(json::object{{"tracking_code", code}, {"body", "แนบสัญญาให้แล้วค่ะ"}})).status == 201);

  Investigator alice(server.port(), alice_acc);
  const auto view = alice.get("/api/v1/cases/" + number);
  REQUIRE(view.status == 200);
  const auto v = parse(view);
  REQUIRE(v.at("attachments").as_array().size() == 1);
  const auto& a = v.at("attachments").at(0);
  CHECK(a.at("filename").as_string() == "สัญญาจ้าง.pdf");
  CHECK(a.at("content_type").as_string() == "application/pdf");
  CHECK(a.at("size").as_int64() == static_cast<std::int64_t>(bytes.size()));
  REQUIRE(v.at("messages").as_array().size() == 1);
  CHECK(v.at("messages").at(0).at("body").as_string() == "แนบสัญญาให้แล้วค่ะ");

  const std::string id(a.at("id").as_string());
  const auto dl = alice.get("/api/v1/cases/" + number + "/attachments/" + id);
  REQUIRE(dl.status == 200);
  CHECK(dl.body == bytes);
  CHECK(dl.header("content-type") == "application/octet-stream");
  CHECK(dl.header("content-disposition").rfind("attachment;", 0) == 0);
  CHECK(dl.header("content-security-policy").rfind("sandbox", 0) == 0);
  CHECK(alice.get("/api/v1/cases/" + number + "/attachments/00000000000000000000000000000000").status == 404);
  CHECK(request(server.port(), "GET", "/api/v1/cases/" + number + "/attachments/" + id).status == 401);
  CHECK(alice.get("/api/v1/audit?case_number=" + number).body.find("attachment.download") != std::string::npos);
}

TEST_CASE("an account added while the server runs is a reader of the next complaint") {
  // The reader directory is loaded (the intake form reads it) before the
  // account is added. Before the agency's first case a new account joins
  // its channel (issue 20: after it, that is a channel change a second
  // person approves).
  ServerProcess server;
  REQUIRE(request(server.port(), "GET", "/api/v1/intake").status == 200);
  auto late_acc = add_account(server, "late");
  const auto [number, code] = krasip::test::file_complaint(server.port(), false);
  Investigator late(server.port(), late_acc);
  CHECK(late.get("/api/v1/cases/" + number).status == 200);
}


TEST_CASE("follow-ups: a 20 MiB download streams from the decrypting reader: bounded memory, same bytes") {
  ServerProcess server;
  auto alice_acc = add_account(server, "alice");
  const auto [number, code] = krasip::test::file_complaint(server.port(), false);
  const std::string pdf = pdf_bytes(20 * kMiB, "NUMBAT-LEDGER-20");
  const auto up = upload_large(server.port(), multipart(code, "บัญชี.pdf", pdf));
  REQUIRE(up.status == 201);
  const std::string id(parse(up).at("attachment").at("id").as_string());
  const std::string path = "/api/v1/cases/" + number + "/attachments/" + id;
  Investigator alice(server.port(), alice_acc);
  // Warm up (a worker thread's arena, SQLite caches) before measuring.
  REQUIRE(alice.get(path).status == 200);
  std::this_thread::sleep_for(200ms);

  REQUIRE(reset_peak_rss(server.pid()));
  const long rss_before = status_kib(server.pid(), "VmRSS");
  REQUIRE(rss_before > 0);
  HttpResult dl;
  for (int i = 0; i < 3; ++i) {
    dl = alice.get(path);
    REQUIRE(dl.status == 200);
  }
  const long peak = status_kib(server.pid(), "VmHWM");
  MESSAGE("RSS before " << rss_before << " KiB, peak during three 20 MiB downloads " << peak
                        << " KiB: grew " << (peak - rss_before) << " KiB");
  if (!kSanitizedBuild) CHECK(peak - rss_before < 1024);  // the whole file would be 20480 KiB

  CHECK(dl.body.size() == pdf.size());
  CHECK(dl.body == pdf);
  CHECK(dl.header("content-length") == std::to_string(pdf.size()));
  CHECK(dl.header("content-type") == "application/octet-stream");
  CHECK(dl.header("content-disposition").rfind("attachment;", 0) == 0);
  CHECK(dl.header("content-disposition").find("%E0%B8%9A") != std::string::npos);  // บ
  CHECK(dl.header("content-security-policy").rfind("sandbox", 0) == 0);
  CHECK(dl.header("cache-control") == "no-store");
  CHECK(dl.header("x-content-type-options") == "nosniff");
  // The connection stays usable after a streamed body.
  CHECK(alice.get("/api/v1/auth/me").status == 200);
}

TEST_CASE("follow-ups: a tampered evidence file ends the download at the bad chunk") {
  ServerProcess server;
  auto alice_acc = add_account(server, "alice");
  const auto [number, code] = krasip::test::file_complaint(server.port(), false);
  const std::string pdf = pdf_bytes(2 * kMiB, "DINGO-TAMPER-5");
  const auto up = upload_large(server.port(), multipart(code, "t.pdf", pdf));
  REQUIRE(up.status == 201);
  const std::string id(parse(up).at("attachment").at("id").as_string());
  REQUIRE(files_in(attachments_dir(server)) == 1);
  const auto file = std::filesystem::directory_iterator(attachments_dir(server))->path();

  // One bit flipped in the 6th chunk (header 36 bytes, chunks 64 KiB + 17).
  constexpr std::size_t kChunk = 64 * 1024;
  const std::size_t bad_chunk = 5;
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    const std::streamoff at = 36 + static_cast<std::streamoff>(bad_chunk * (kChunk + 17) + 100);
    f.seekg(at);
    char b = 0;
    f.read(&b, 1);
    b = static_cast<char>(b ^ 0x01);
    f.seekp(at);
    f.write(&b, 1);
  }
  Investigator alice(server.port(), alice_acc);
  Connection c(server.port());
  REQUIRE(c.send("GET /api/v1/cases/" + number + "/attachments/" + id + " HTTP/1.1\r\nHost: x\r\nCookie: " +
                 alice.cookie() + "\r\n\r\n"));
  const auto r = c.read_response(10s);
  CHECK(r.status == 200);  // the header went out before the bad chunk was read
  CHECK(r.header("content-length") == std::to_string(pdf.size()));
  // Only the authentic chunks before the bad one arrived, then the server closed.
  CHECK(r.body.size() == bad_chunk * kChunk);
  CHECK(r.body == pdf.substr(0, r.body.size()));
  CHECK(c.closed_by_peer(2s));
  CHECK(read_file(server.log_file()).find("event=download_broken") != std::string::npos);
}

TEST_CASE("follow-ups: a GIF's XMP and comment are removed; a broken GIF is not called clean") {
  ServerProcess server;
  auto alice_acc = add_account(server, "alice");
  const auto [number, code] = krasip::test::file_complaint(server.port(), false);
  const std::string gif = tiny_gif(true);
  const auto up = upload(server.port(), multipart(code, "map.gif", gif));
  REQUIRE(up.status == 201);
  const auto a = parse(up).at("attachment");
  CHECK(a.at("content_type").as_string() == "image/gif");
  CHECK(a.at("metadata_removed").as_bool());

  // What an investigator downloads: the same picture, without the metadata.
  Investigator alice(server.port(), alice_acc);
  const auto dl = alice.get("/api/v1/cases/" + number + "/attachments/" + std::string(a.at("id").as_string()));
  REQUIRE(dl.status == 200);
  CHECK(dl.body == tiny_gif(false));
  for (const std::string& s : {std::string(krasip::test::kGifXmpAuthor), std::string(krasip::test::kGifComment),
                              std::string("XMP DataXMP"), std::string("xmpmeta")}) {
    CHECK(dl.body.find(s) == std::string::npos);
  }
  CHECK(dl.body.find("NETSCAPE2.0") != std::string::npos);  // it still loops

  // Cut short (no trailer): stored as sent, with the warning.
  const std::string broken = gif.substr(0, gif.size() - 1);
  const auto up2 = upload(server.port(), multipart(code, "broken.gif", broken));
  REQUIRE(up2.status == 201);
  const auto b = parse(up2).at("attachment");
  CHECK(b.at("content_type").as_string() == "image/gif");
  CHECK_FALSE(b.at("metadata_removed").as_bool());
  CHECK(b.at("metadata_note_en").as_string().find("cannot be cleaned") != std::string::npos);
  const auto dl2 = alice.get("/api/v1/cases/" + number + "/attachments/" + std::string(b.at("id").as_string()));
  CHECK(dl2.body == broken);
}

namespace {
// "YYYY-MM-DD" in Bangkok, the way a reporter-side time is shown.
std::string bangkok_today() {
  const std::time_t local = std::time(nullptr) + 7 * 3600;
  std::tm tm{};
  gmtime_r(&local, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}
}  // namespace

// A subdistrict gets a few complaints a month: a time to the second, joined
// with the web server log of the page that embeds the widget, names the
// reporter's address. Reporter-side times keep the day, stored and shown.
TEST_CASE("reporter-side times are kept to the Bangkok day; reporter requests are only counted") {
  ServerProcess server;
  const auto port = server.port();
  auto alice_acc = add_account(server, "alice");
  const std::string before = bangkok_today();
  REQUIRE(request(port, "GET", "/").status == 200);  // the page that hosts the form
  const auto filed = post_json(port, "/api/v1/complaints", json::serialize(complaint(false)));
  REQUIRE(filed.status == 201);
  const std::string code(parse(filed).at("tracking_code").as_string());
  const std::string number(parse(filed).at("case_number").as_string());
  const std::string received(parse(filed).at("received_at").as_string());
  CHECK((received == before || received == bangkok_today()));  // a date, no time of day
  const auto msg = post_json(port, "/api/v1/status/messages",
                             json::serialize(json::object{{"tracking_code", code}, {"body", "ข้อมูลเพิ่มเติม"}}));
  REQUIRE(msg.status == 201);
  CHECK(parse(msg).at("message").at("at").as_string() == received);
  REQUIRE(upload(port, multipart(code, "scan.pdf", pdf_bytes(4096))).status == 201);
  const auto db = server.data_dir() / "data" / "krasip.db";
  const auto untouched = db_rows(db, "SELECT updated_at, received_at FROM cases");
  REQUIRE(untouched.size() == 1);
  CHECK(untouched[0][0] == untouched[0][1]);  // until an investigator changes the case
  Investigator alice(port, alice_acc);
  REQUIRE(alice.send("POST", "/api/v1/cases/" + number + "/messages", R"({"body":"ได้รับแล้ว"})").status == 201);

  // Stored: 00:00 Bangkok time (UTC+7) of the day, whatever the hour now.
  const auto day_values = [&](const std::string& sql) {
    const auto rows = db_rows(db, sql);
    CHECK_FALSE(rows.empty());
    for (const auto& r : rows) {
      CAPTURE(sql);
      CHECK((std::stoll(r.at(0)) + 25200) % 86400 == 0);
    }
  };
  day_values("SELECT received_at FROM cases");
  day_values("SELECT at FROM messages WHERE author = 'reporter'");
  day_values("SELECT at FROM attachments WHERE author = 'reporter'");
  day_values("SELECT created_at FROM reader_keys WHERE kind = 'reporter'");
  day_values("SELECT created_at FROM envelopes WHERE field = 'complaint'"
             " OR id IN (SELECT envelope_id FROM messages WHERE author = 'reporter')"
             " OR id IN (SELECT envelope_id FROM attachments WHERE author = 'reporter')");
  day_values("SELECT at FROM case_events WHERE status = 'received'");
  // The evidence file's own times say no more than its row.
  for (const auto& r : db_rows(db, "SELECT file_name FROM attachments WHERE author = 'reporter'")) {
    struct stat st {};
    REQUIRE(::stat((server.data_dir() / "data" / "attachments" / r.at(0)).c_str(), &st) == 0);
    CHECK((static_cast<std::int64_t>(st.st_mtime) + 25200) % 86400 == 0);
  }

  // Shown: dates for the reporter's side, full times for investigators'.
  const auto status = parse(status_of(port, code));
  CHECK(status.at("received_at").as_string() == received);
  const auto& messages = status.at("messages").as_array();
  REQUIRE(messages.size() == 2);
  CHECK(messages.at(0).at("from").as_string() == "reporter");  // in the order written
  CHECK(messages.at(0).at("at").as_string() == received);
  CHECK(std::string(messages.at(1).at("at").as_string()).ends_with("+07:00"));
  CHECK(status.at("attachments").at(0).at("at").as_string() == received);
  CHECK(status.at("timeline").at(0).at("at").as_string() == received);
  const auto view = parse(alice.get("/api/v1/cases/" + number));
  CHECK(view.at("received_at").as_string() == received);
  CHECK(view.at("messages").at(0).at("at").as_string() == received);
  CHECK(std::string(view.at("deadlines").at("acknowledge_due").as_string()).size() == 10);

  // The reporter's requests leave no line of their own, investigators' do.
  const std::string log = read_file(server.log_file());
  for (const char* route : {"route=/api/v1/complaints", "route=/api/v1/status", "route=static"}) {
    CAPTURE(route);
    CHECK(log.find(route) == std::string::npos);
  }
  CHECK(log.find("event=request method=POST route=/api/v1/cases/{number}/messages status=201") !=
        std::string::npos);
  REQUIRE(server.stop() == 0);
  const std::string final_log = read_file(server.log_file());
  CHECK(final_log.find("event=request_counts method=POST route=/api/v1/complaints status=201 n=1") !=
        std::string::npos);
  CHECK(final_log.find("event=request_counts method=POST route=/api/v1/status/messages status=201 n=1") !=
        std::string::npos);
}
