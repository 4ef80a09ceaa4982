// Issue 21, item 7: the helpers cannot reach krasipd. An upload (through
// krasip-cleaner) and a picture of the agency's page (through
// krasip-cleaner, then krasip-pack-pdf's PNG and JPEG handling) that take a
// helper over and try to signal krasipd (kill, tgkill on getppid()) or open
// a file are stopped by the helper's seccomp filter: that request fails
// with a clear error, and krasipd goes on serving. The test builds of the
// helpers (krasip-cleaner-test, krasip-pack-pdf-test) make the calls when
// their input carries a marker, after their lock-down, as a crafted file
// would.
#include <doctest/doctest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "exif_fixture.hpp"
#include "fixtures.hpp"
#include "investigator_client.hpp"
#include "server_process.hpp"

using namespace krasip::test;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

// Without their filters (sanitizer builds; top CMakeLists.txt) the helpers
// would do what the markers ask: kill krasipd. The normal build checks them.
#ifdef KRASIP_SANITIZER_BUILD
constexpr bool kSanitizerBuild = true;
#else
constexpr bool kSanitizerBuild = false;
#endif

const std::string kBoundary = "KrasipLockdownBoundary3";

HttpResult upload(unsigned short port, const std::string& code, const std::string& bytes) {
  const std::string body =
      "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"tracking_code\"\r\n\r\n" + code + "\r\n--" +
      kBoundary +
      "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"map.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n" +
      bytes + "\r\n--" + kBoundary + "--\r\n";
  return request(port, "POST", "/api/v1/status/attachments", body, "multipart/form-data; boundary=" + kBoundary);
}

// A JPEG whose scan data carries `marker`: cleaning keeps it (it is picture
// data), so it reaches krasip-pack-pdf.
std::string jpeg_carrying(const std::string& marker) {
  std::string jpeg = jpeg_with_gps();
  jpeg.insert(jpeg.rfind("\xFF\xD9"), marker);
  return jpeg;
}

bool alive(pid_t pid) { return ::kill(pid, 0) == 0; }

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE(
    "helpers: a crafted upload or picture that tries to signal krasipd or open a file is killed by the filter; krasipd "
    "goes on" *
    doctest::skip(kSanitizerBuild)) {
  ServerProcess server({"--cleaner", KRASIP_CLEANER_TEST_PATH, "--pack-pdf", KRASIP_PACK_PDF_TEST_PATH});
  const auto port = server.port();
  auto admin_acc = init_admin(server);
  Investigator admin(port, admin_acc);
  const auto [number, code] = file_complaint(port, false);
  const std::string sigsys = std::to_string(SIGSYS);

  // krasip-cleaner: its parser taken over by the upload.
  for (const char* marker : {"KRASIP-TEST-KILL-PARENT", "KRASIP-TEST-TGKILL-PARENT", "KRASIP-TEST-OPEN"}) {
    CAPTURE(marker);
    const auto r = upload(port, code, jpeg_with_gps() + marker);
    CHECK(r.status == 422);
    CHECK(error_code(r) == "file_not_processed");
    REQUIRE(alive(server.pid()));
    CHECK(request(port, "GET", "/healthz").status == 200);
  }
  const std::string log = read_file(server.log_file());
  CHECK(count_of(log, "event=cleaner_failed step=clean reason=crashed") == 3);
  CHECK(count_of(log, "signal " + sigsys) >= 3);
  // A plain upload is still cleaned and stored.
  const auto ok = upload(port, code, jpeg_with_gps());
  CHECK(ok.status == 201);

  // krasip-pack-pdf: the picture of the agency's page, printed into the
  // evidence pack's PDF.
  const std::string pack = "/api/v1/admin/evidence-pack?format=pdf";
  for (const char* marker : {"KRASIP-PDF-TEST-KILL-PARENT", "KRASIP-PDF-TEST-TGKILL-PARENT", "KRASIP-PDF-TEST-OPEN"}) {
    CAPTURE(marker);
    REQUIRE(admin.send_body("PUT", "/api/v1/admin/site-picture", jpeg_carrying(marker), "image/jpeg").status == 200);
    const auto r = admin.get(pack);
    CHECK(r.status == 500);
    CHECK(r.header("content-type").find("application/json") != std::string::npos);
    CHECK(error_code(r) == "pdf_not_made");
    REQUIRE(alive(server.pid()));
    // The HTML pack, which needs no helper, is still there.
    CHECK(admin.get("/api/v1/admin/evidence-pack").status == 200);
  }
  CHECK(count_of(read_file(server.log_file()), "event=pack_pdf_failed reason=signal_" + sigsys) == 3);

  // With an ordinary picture, the PDF is made again by the same helper.
  REQUIRE(admin.send_body("PUT", "/api/v1/admin/site-picture", jpeg_with_gps(), "image/jpeg").status == 200);
  const auto pdf = admin.get(pack);
  CHECK(pdf.status == 200);
  CHECK(pdf.body.rfind("%PDF", 0) == 0);
  CHECK(alive(server.pid()));
}
