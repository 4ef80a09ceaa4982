// Uploads checked in the sandboxed helper (issue 14), through the real
// krasipd: a helper that is killed, hangs or runs out of memory costs that
// upload only (a clear error, nothing stored), and the server goes on; the
// number of uploads held at once is capped.
#include <doctest/doctest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "child_processes.hpp"
#include "exif_fixture.hpp"
#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "server_process.hpp"

using namespace krasip::test;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

// Sanitizer builds run the helper without its seccomp filter and
// address-space limit (top CMakeLists.txt): those checks are the normal build's.
#ifdef KRASIP_SANITIZER_BUILD
constexpr bool kSanitizerBuild = true;
#else
constexpr bool kSanitizerBuild = false;
#endif

const std::string kBoundary = "KrasipSandboxBoundary42";
const std::string kType = "multipart/form-data; boundary=" + kBoundary;

std::string multipart(const std::string& code, const std::string& name, const std::string& bytes) {
  return "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"tracking_code\"\r\n\r\n" +
         code + "\r\n--" + kBoundary +
         "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name +
         "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n--" + kBoundary +
         "--\r\n";
}

HttpResult upload(unsigned short port, const std::string& code, const std::string& name,
                  const std::string& bytes) {
  return request(port, "POST", "/api/v1/status/attachments", multipart(code, name, bytes), kType);
}

std::string request_head(std::size_t length) {
  return "POST /api/v1/status/attachments HTTP/1.1\r\nHost: x\r\nContent-Type: " + kType +
         "\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n";
}

std::vector<ChildProcess> helpers_of(const ServerProcess& s) {
  std::vector<ChildProcess> out;
  for (auto& c : children_of(s.pid())) {
    if (c.name.rfind("krasip-cleaner", 0) == 0) out.push_back(c);
  }
  return out;
}

bool eventually_no_helpers(const ServerProcess& s) {
  for (int i = 0; i < 200; ++i) {
    if (helpers_of(s).empty()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

std::size_t files_in(const ServerProcess& s) {
  std::size_t n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(s.data_dir() / "data" / "attachments", ec);
       it != std::filesystem::directory_iterator(); ++it) {
    ++n;
  }
  return n;
}

// A JPEG whose bytes make the test build of the helper loop forever.
std::string hanging_jpeg() { return jpeg_with_gps() + "KRASIP-TEST-HANG"; }

// The server still takes a normal upload, cleaned.
void still_serves(const ServerProcess& s, const std::string& code) {
  const auto ok = upload(s.port(), code, "ok.jpg", jpeg_with_gps());
  REQUIRE(ok.status == 201);
  CHECK(parse(ok).at("attachment").at("metadata_removed").as_bool());
  const auto removed = parse(ok).at("attachment").at("removed").as_array();
  CHECK(std::find(removed.begin(), removed.end(), json::value("EXIF GPS")) != removed.end());
}

}  // namespace

// Timing-bound (it finds the helper, then kills it while it works): under
// a sanitizer the helper starts too slowly for that, so the normal build
// runs it; the unit test of a killed helper runs in every build.
TEST_CASE(
    "uploads: a checker killed mid-file is a clear error for that upload; the server goes on" *
    doctest::skip(kSanitizerBuild)) {
  ServerProcess server({"--cleaner", KRASIP_CLEANER_TEST_PATH, "--cleaner-timeout-ms", "30000",
                        "--cleaner-cpu-seconds", "30"});
  const auto [number, code] = file_complaint(server.port(), false);
  const std::string body = multipart(code, "map.jpg", hanging_jpeg());
  Connection c(server.port());
  REQUIRE(c.send(request_head(body.size()) + body));

  // The helper cleaning it, found among krasipd's children, while it runs.
  // The one looping: still running a second later (a sniff lasts
  // milliseconds on a quiet machine, a few hundred on a loaded one).
  const auto running = [&]() -> pid_t {
    for (const auto& h : helpers_of(server)) {
      if (h.state == 'R') return h.pid;
    }
    return 0;
  };
  pid_t helper = 0;
  for (int i = 0; i < 30 && helper == 0; ++i) {
    const pid_t seen = running();
    std::this_thread::sleep_for(1s);
    if (seen != 0 && running() == seen) helper = seen;
  }
  REQUIRE(helper != 0);
  // What it may do: seccomp filter mode, no new privileges, only its pipes.
  if (!kSanitizerBuild) CHECK(status_field(helper, "Seccomp") == "2");  // see kSanitizerBuild
  if (!kSanitizerBuild) CHECK(status_field(helper, "NoNewPrivs") == "1");  // a sanitized helper may still be starting
  auto fds = open_fds(helper);
  std::sort(fds.begin(), fds.end());
  CHECK(fds == std::vector<int>{0, 1, 2});

  REQUIRE(::kill(helper, SIGKILL) == 0);
  const auto r = c.read_response(10s);
  CHECK(r.status == 422);
  CHECK(error_code(r) == "file_not_processed");
  CHECK(std::string(parse(r).at("error").at("message").as_string()).find("could not be checked") !=
        std::string::npos);
  CHECK(eventually_no_helpers(server));  // reaped: no zombie
  CHECK(files_in(server) == 0);          // nothing stored, nothing half-written
  // The step killed is the cleaning one in the normal build; a sanitized
  // helper starts slowly enough that the test may catch the type check.
  const std::string logged = read_file(server.log_file());
  CHECK(logged.find(kSanitizerBuild ? "event=cleaner_failed step=" : "event=cleaner_failed step=clean reason=crashed") !=
        std::string::npos);
  CHECK(logged.find("reason=crashed") != std::string::npos);

  still_serves(server, code);
}

TEST_CASE("uploads: a checker that hangs is stopped at --cleaner-timeout-ms; the server goes on") {
  ServerProcess server({"--cleaner", KRASIP_CLEANER_TEST_PATH, "--cleaner-timeout-ms", "1000",
                        "--cleaner-cpu-seconds", "30"});
  const auto [number, code] = file_complaint(server.port(), false);
  const auto t0 = std::chrono::steady_clock::now();
  const auto r = upload(server.port(), code, "map.jpg", hanging_jpeg());
  const auto took = std::chrono::steady_clock::now() - t0;
  CHECK(r.status == 422);
  CHECK(error_code(r) == "file_not_processed");
  CHECK(took >= 1s);
  CHECK(took < 5s);
  CHECK(eventually_no_helpers(server));
  CHECK(files_in(server) == 0);
  CHECK(read_file(server.log_file()).find("reason=timed_out") != std::string::npos);
  still_serves(server, code);
}

TEST_CASE("uploads: a file that makes the checker allocate past --cleaner-memory-mib is refused" * doctest::skip(kSanitizerBuild)) {
  // Exiv2 holds the picture several times over while rewriting it. The
  // limit is on address space, and the helper maps some 200 MiB of shared
  // libraries (libavcodec and its codecs) before reading a byte: 240 MiB
  // leaves a small file room and a 19 MiB one none.
  ServerProcess server({"--cleaner-memory-mib", "240"});
  const auto [number, code] = file_complaint(server.port(), false);
  std::string big = jpeg_with_gps();
  big.insert(big.rfind("\xFF\xD9"), std::string(19 * 1024 * 1024, '\x11'));
  const auto r = upload(server.port(), code, "big.jpg", big);
  CHECK(r.status == 422);
  CHECK(error_code(r) == "file_not_processed");
  CHECK(read_file(server.log_file()).find("reason=out_of_memory") != std::string::npos);
  CHECK(eventually_no_helpers(server));
  CHECK(files_in(server) == 0);
  still_serves(server, code);
}

// Real decompression bombs (tests/samples/make-samples: 2 GiB of zeros
// deflated to 2 MiB). The cleaners refuse them by their own named caps
// (office.cpp kMaxEntrySize/kMaxTotalSize, pdf_qpdf.cpp
// kMaxObjectStreamBytes) before inflating them, so this holds in every
// build, with or without RLIMIT_AS (the sanitizer builds run without it).
TEST_CASE("uploads: decompression bombs are refused by the cleaners' caps, quickly, for that upload only") {
  ServerProcess server;
  const auto [number, code] = file_complaint(server.port(), false);
  const auto dir = server.data_dir() / "bombs";
  std::filesystem::create_directories(dir);
  const std::string make = std::string("/usr/bin/python3 ") + KRASIP_MAKE_SAMPLES + " " + dir.string() +
                           " docx-bomb pdf-objstm-bomb pdf-bomb 2>&1";
  REQUIRE(std::system(make.c_str()) == 0);

  for (const char* kind : {"docx-bomb", "pdf-objstm-bomb"}) {
    CAPTURE(kind);
    const std::string bytes = read_file(dir / (std::string("sample.") + kind));
    REQUIRE(bytes.size() < 4 * 1024 * 1024);  // 2 GiB once inflated
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = upload(server.port(), code, std::string("evidence.") + (kind[0] == 'd' ? "docx" : "pdf"), bytes);
    const auto took = std::chrono::steady_clock::now() - t0;
    CHECK(r.status == 422);
    CHECK(error_code(r) == "file_not_processed");
    CHECK(took < 10s);
    CHECK(eventually_no_helpers(server));
    CHECK(files_in(server) == 0);
    // The named cap refused it, not the memory limit or a crash.
    CHECK(read_file(server.log_file()).find("reason=over_limit") != std::string::npos);
  }
  // Page content is copied without being inflated: a bomb there costs the
  // cleaner nothing and the PDF is stored, cleaned, as it came.
  const auto t0 = std::chrono::steady_clock::now();
  const auto content = upload(server.port(), code, "content.pdf", read_file(dir / "sample.pdf-bomb"));
  CHECK(content.status == 201);
  CHECK(std::chrono::steady_clock::now() - t0 < 10s);
  // The server still answers, and a good upload is cleaned.
  CHECK(request(server.port(), "GET", "/api/v1/intake").status == 200);
  still_serves(server, code);
}

TEST_CASE(
    "uploads: beyond --max-concurrent-uploads 503 server_busy with Retry-After; the place frees "
    "up") {
  ServerProcess server({"--max-concurrent-uploads", "1"});
  const auto [number, code] = file_complaint(server.port(), false);
  const std::string body = multipart(code, "slow.jpg", jpeg_with_gps());
  Connection slow(server.port());
  // Half of the body: the upload holds its place while the rest is awaited.
  REQUIRE(slow.send(request_head(body.size()) + body.substr(0, body.size() / 2)));
  std::this_thread::sleep_for(200ms);

  const auto busy = upload(server.port(), code, "other.jpg", jpeg_with_gps());
  CHECK(busy.status == 503);
  CHECK(error_code(busy) == "server_busy");
  CHECK(busy.header("retry-after") == "5");
  // Other routes are not held up.
  CHECK(request(server.port(), "GET", "/api/v1/intake").status == 200);

  REQUIRE(slow.send(body.substr(body.size() / 2)));
  CHECK(slow.read_response(10s).status == 201);
  std::this_thread::sleep_for(50ms);
  CHECK(upload(server.port(), code, "after.jpg", jpeg_with_gps()).status == 201);
}

TEST_CASE("krasipd links no parser; a missing --cleaner fails the start with the reason") {
  std::string ldd;
  {
    const std::string cmd = std::string("ldd ") + KRASIPD_PATH;
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p != nullptr);
    char buf[4096];
    while (const auto n = std::fread(buf, 1, sizeof buf, p)) ldd.append(buf, n);
    ::pclose(p);
  }
  REQUIRE(ldd.find("libsodium") != std::string::npos);  // ldd worked
  CHECK(ldd.find("libmagic") == std::string::npos);
  CHECK(ldd.find("libexiv2") == std::string::npos);
  CHECK(ldd.find("libseccomp") == std::string::npos);

  ServerProcess server;
  server.stop();
  CHECK_THROWS(server.restart_with({"--cleaner", "/nonexistent/krasip-cleaner"}));
  CHECK(read_file(server.stderr_file()).find("--cleaner") != std::string::npos);
}

// Issue 21, item 8: a valid PDF that needs more memory than the helper may
// use was stored as "damaged PDF", its /Author intact, because qpdf's
// failure was taken for damage. Running out of memory is 422
// file_not_processed, nothing stored; a truly damaged PDF is still stored,
// not cleaned, with the reason.
TEST_CASE("uploads: a valid PDF too big for --cleaner-memory-mib is refused, never stored as damaged" *
          doctest::skip(kSanitizerBuild)) {
  // 12 MB, 120,000 objects (make-samples pdf-many-objects): qpdf cleans it
  // within the default 512 MiB on this machine, and needs far more than the
  // little that 240 MiB leaves above the helper's libraries (see above). At
  // 400 MiB the cleaner of before stored it as "damaged PDF", /Author and all.
  ServerProcess server({"--cleaner-memory-mib", "240"});
  const auto [number, code] = file_complaint(server.port(), false);
  const auto dir = server.data_dir() / "pdfs";
  std::filesystem::create_directories(dir);
  const std::string make = std::string("/usr/bin/python3 ") + KRASIP_MAKE_SAMPLES + " " + dir.string() +
                           " pdf-many-objects pdf 2>&1";
  REQUIRE(std::system(make.c_str()) == 0);
  const std::string many = read_file(dir / "sample.pdf-many-objects");
  REQUIRE(many.size() > 12000000);
  REQUIRE(many.find("/Author (SomchaiPlanted)") != std::string::npos);

  const auto r = upload(server.port(), code, "register.pdf", many);
  CHECK(r.status == 422);
  CHECK(error_code(r) == "file_not_processed");
  CHECK(read_file(server.log_file()).find("event=cleaner_failed step=clean reason=out_of_memory") != std::string::npos);
  CHECK(eventually_no_helpers(server));
  CHECK(files_in(server) == 0);

  // A PDF cut off after its first kilobyte is damaged: stored as it came,
  // not cleaned, and the reporter told why.
  const std::string pdf = read_file(dir / "sample.pdf");
  const auto cut = upload(server.port(), code, "cut.pdf", pdf.substr(0, 1024));
  REQUIRE(cut.status == 201);
  const auto a = parse(cut).at("attachment");
  CHECK_FALSE(a.at("metadata_removed").as_bool());
  CHECK(a.at("not_cleaned_reason").as_string() == "damaged PDF");
  CHECK(files_in(server) == 1);
  still_serves(server, code);
}
