// The sandboxed helper (issue 14), driven through krasipd's client library:
// the real krasip-cleaner, and its test-only build whose inputs hang or try
// to open a file. Real processes, real limits, real signals.
#include <doctest/doctest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "child_processes.hpp"
#include "cleaner_paths.hpp"
#include "exif_fixture.hpp"
#include "krasip/cleaner/client.hpp"
#include "krasip/cleaner/protocol.hpp"

using namespace krasip;
using cleaner::HelperFailed;
using Why = HelperFailed::Why;

namespace {

// Sanitizer builds run the helper without its seccomp filter and
// address-space limit (top CMakeLists.txt): those checks are the normal build's.
#ifdef KRASIP_SANITIZER_BUILD
constexpr bool kSanitizerBuild = true;
#else
constexpr bool kSanitizerBuild = false;
#endif

std::span<const std::uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::vector<test::ChildProcess> helpers_of_this_process() {
  std::vector<test::ChildProcess> out;
  for (auto& c : test::children_of(::getpid())) {
    if (c.name.rfind("krasip-cleaner", 0) == 0) out.push_back(c);
  }
  return out;
}

// Runs a request expected to fail; returns why.
Why failure_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const HelperFailed& e) {
    const std::string what = std::string(cleaner::to_string(e.why())) + ": " + e.what();
    MESSAGE(what);
    return e.why();
  }
  FAIL("the helper did not fail");
  return Why::bad_answer;
}

}  // namespace

TEST_CASE("cleaner helper: names the type and removes GPS from a JPEG") {
  const auto config = test::helper_config();
  const std::string jpeg = test::jpeg_with_gps();
  const auto s = cleaner::sniff(config, bytes_of(jpeg));
  CHECK(s.mime == "image/jpeg");
  CHECK(s.has_cleaner);
  CHECK(cleaner::sniff(config, bytes_of("%PDF-1.4\n%âãÏÓ\n")).mime == "application/pdf");

  std::string out;
  const auto c = cleaner::sniff_and_clean(config, bytes_of(jpeg), "image/jpeg", [&](auto part) {
    out.append(reinterpret_cast<const char*>(part.data()), part.size());
  });
  CHECK(c.cleaned);
  CHECK(c.output_bytes == out.size());
  CHECK(std::find(c.removed.begin(), c.removed.end(), "EXIF GPS") != c.removed.end());
  const auto meta = test::image_metadata(out);
  CHECK(meta.readable);
  CHECK_FALSE(meta.has_gps);
  CHECK(out.find(test::kCameraSerial) == std::string::npos);
  CHECK(helpers_of_this_process().empty());  // reaped
}

TEST_CASE("cleaner helper: runs with seccomp, no_new_privs, only its pipes and no environment" * doctest::skip(kSanitizerBuild)) {
  const auto config = test::helper_config();
  // A type without a cleaner comes back as it is: 4 MiB fill the pipe, so
  // the helper is still there, blocked writing, when the first part arrives.
  const std::string text(4 * 1024 * 1024, 'a');
  bool looked = false;
  std::string out;
  const auto c = cleaner::sniff_and_clean(config, bytes_of(text), "text/plain", [&](auto part) {
    if (!looked) {
      looked = true;
      const auto helpers = helpers_of_this_process();
      REQUIRE(helpers.size() == 1);
      const pid_t pid = helpers[0].pid;
      CHECK(test::status_field(pid, "Seccomp") == "2");  // filter mode
      CHECK(test::status_field(pid, "NoNewPrivs") == "1");
      auto fds = test::open_fds(pid);
      std::sort(fds.begin(), fds.end());
      CHECK(fds == std::vector<int>{0, 1, 2});  // none of ours: database, sockets, keys
      std::ifstream env("/proc/" + std::to_string(pid) + "/environ");
      CHECK(std::string((std::istreambuf_iterator<char>(env)), std::istreambuf_iterator<char>())
                .empty());
      std::ifstream limits("/proc/" + std::to_string(pid) + "/limits");
      const std::string l((std::istreambuf_iterator<char>(limits)),
                          std::istreambuf_iterator<char>());
      CHECK(l.find("Max file size             0") != std::string::npos);
      CHECK(l.find("Max core file size        0") != std::string::npos);
    }
    out.append(reinterpret_cast<const char*>(part.data()), part.size());
  });
  CHECK(looked);
  CHECK_FALSE(c.cleaned);
  CHECK(out == text);
}

TEST_CASE("cleaner helper: one killed mid-file is an error for that file only") {
  const auto config = test::helper_config();
  const std::string text(4 * 1024 * 1024, 'b');
  std::size_t got = 0;
  const auto why = failure_of([&] {
    cleaner::sniff_and_clean(config, bytes_of(text), "text/plain", [&](auto part) {
      if (got == 0) {
        for (const auto& h : helpers_of_this_process()) ::kill(h.pid, SIGKILL);
      }
      got += part.size();
    });
  });
  CHECK(why == Why::crashed);
  CHECK(got < text.size());
  CHECK(helpers_of_this_process().empty());  // reaped: no zombie
  // The next file is checked by a fresh helper.
  CHECK(cleaner::sniff(config, bytes_of(test::jpeg_with_gps())).mime == "image/jpeg");
}

TEST_CASE("cleaner helper: a parser that hangs is killed at the wall-clock limit") {
  auto config = test::helper_config(true);
  config.timeout = std::chrono::milliseconds(800);
  config.cpu_seconds = 60;
  const std::string hang = test::jpeg_with_gps() + "KRASIP-TEST-HANG";
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(failure_of([&] {
          cleaner::sniff_and_clean(config, bytes_of(hang), "image/jpeg", [](auto) {});
        }) == Why::timed_out);
  const auto took = std::chrono::steady_clock::now() - t0;
  CHECK(took >= std::chrono::milliseconds(800));
  CHECK(took < std::chrono::seconds(3));
  CHECK(helpers_of_this_process().empty());
}

TEST_CASE("cleaner helper: a parser that hangs is killed at the CPU limit") {
  auto config = test::helper_config(true);
  config.timeout = std::chrono::seconds(30);
  config.cpu_seconds = 1;
  const std::string hang = test::jpeg_with_gps() + "KRASIP-TEST-HANG";
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(failure_of([&] {
          cleaner::sniff_and_clean(config, bytes_of(hang), "image/jpeg", [](auto) {});
        }) == Why::timed_out);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
  CHECK(helpers_of_this_process().empty());
}

TEST_CASE("cleaner helper: opening a file is outside the seccomp allow-list and kills it" * doctest::skip(kSanitizerBuild)) {
  const auto config = test::helper_config(true);
  const std::string open = test::jpeg_with_gps() + "KRASIP-TEST-OPEN";
  std::string out;
  try {
    cleaner::sniff_and_clean(config, bytes_of(open), "image/jpeg", [&](auto part) {
      out.append(reinterpret_cast<const char*>(part.data()), part.size());
    });
    FAIL("the helper opened a file");
  } catch (const HelperFailed& e) {
    CHECK(e.why() == Why::crashed);
    CHECK(std::string(e.what()).find("signal " + std::to_string(SIGSYS)) != std::string::npos);
  }
  CHECK(out.find("OPENED") == std::string::npos);
}

TEST_CASE("cleaner helper: a file that makes the parser allocate beyond the memory limit" * doctest::skip(kSanitizerBuild)) {
  // Exiv2 holds the picture several times over while rewriting it (its
  // copy, the rewritten one, ours): a 12 MiB JPEG needs far more than the
  // 24 MiB left here above what the helper uses for a small file. Exiv2
  // 0.27 caps its own zlib inflation, so a true decompression bomb for the
  // parsers of today does not exist; the limit is what stops one.
  auto config = test::helper_config();
  {
    // How much the helper maps before reading a byte (libraries, libmagic's
    // database): found from a real one, so the test does not guess.
    std::string text(2 * 1024 * 1024, 'c');
    std::uint64_t vm_kib = 0;
    auto probe = test::helper_config();
    cleaner::sniff_and_clean(probe, bytes_of(text), "text/plain", [&](auto) {
      if (vm_kib == 0) {
        for (const auto& h : helpers_of_this_process()) {
          vm_kib = std::stoull(test::status_field(h.pid, "VmPeak"));
        }
      }
    });
    REQUIRE(vm_kib > 0);
    config.memory_mib = vm_kib / 1024 + 24;  // room for the input, not for Exiv2's copies
    MESSAGE("helper VmPeak with a 2 MiB file " << vm_kib / 1024 << " MiB; limit "
                                               << config.memory_mib << " MiB");
  }
  std::string jpeg = test::jpeg_with_gps();
  // A JPEG with 12 MiB of scan data after its headers.
  const auto eoi = jpeg.rfind("\xFF\xD9");
  REQUIRE(eoi != std::string::npos);
  jpeg.insert(eoi, std::string(12 * 1024 * 1024, '\x11'));
  // The sniff (64 KiB) still fits.
  CHECK(cleaner::sniff(config, bytes_of(jpeg)).mime == "image/jpeg");
  CHECK(failure_of([&] {
          cleaner::sniff_and_clean(config, bytes_of(jpeg), "image/jpeg", [](auto) {});
        }) == Why::out_of_memory);
  CHECK(helpers_of_this_process().empty());
}

TEST_CASE("cleaner helper: an answer larger than the output limit is refused, the helper reaped") {
  auto config = test::helper_config();
  config.max_output = 1024 * 1024;
  const std::string text(2 * 1024 * 1024, 'd');  // comes back as it is: 2 MiB
  CHECK(failure_of([&] {
          cleaner::sniff_and_clean(config, bytes_of(text), "text/plain", [](auto) {});
        }) == Why::too_large);
  CHECK(helpers_of_this_process().empty());
}

TEST_CASE("cleaner protocol: headers round-trip; lengths over the limits are refused") {
  cleaner::ResponseHeader h;
  h.mime = "image/jpeg";
  h.cleaned = true;
  h.has_cleaner = true;
  h.removed = {"EXIF GPS", "XMP"};
  h.length = 1234;
  const auto bytes = cleaner::encode(h);
  std::size_t used = 0;
  // Every proper prefix asks for more; the whole header decodes.
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    CHECK_FALSE(cleaner::decode_response(std::span(bytes).first(n), used).has_value());
  }
  const auto back = cleaner::decode_response(bytes, used);
  REQUIRE(back.has_value());
  CHECK(used == bytes.size());
  CHECK(back->mime == "image/jpeg");
  CHECK(back->removed == h.removed);
  CHECK(back->length == 1234);

  auto long_mime = bytes;
  long_mime[4] = 0xFF;  // mime length 0x..FF > 255
  long_mime[5] = 0x01;
  CHECK_THROWS_AS(cleaner::decode_response(long_mime, used), cleaner::ProtocolError);
  auto not_ours = bytes;
  not_ours[0] = 'X';
  CHECK_THROWS_AS(cleaner::decode_response(not_ours, used), cleaner::ProtocolError);
  cleaner::RequestHeader r;
  auto req = cleaner::encode(r);
  req[4] = 9;  // unknown kind
  CHECK_THROWS_AS(cleaner::decode_request(req, used), cleaner::ProtocolError);
}
