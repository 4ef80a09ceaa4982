// krasip-cleaner: type detection and metadata removal of one uploaded file,
// in a process that holds no secret. krasipd starts it per file with an
// empty environment and only its pipes open; it loads libmagic's database
// and the cleaners, locks itself down (sandbox.hpp), then reads one request
// on stdin, writes one response on stdout and exits.
//
// Exit status: 0 answered; 2 bad request; 3 out of memory; 4 sandbox
// could not be set up. Killed by SIGKILL/SIGXCPU: the CPU limit; by
// SIGSYS: a system call outside the allow-list.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "krasip/cleaner/dispatch.hpp"
#include "krasip/cleaner/protocol.hpp"
#include "krasip/cleaner/sniff.hpp"
#include "allocation_watch.hpp"
#include "sandbox.hpp"

#ifdef KRASIP_CLEANER_TEST_HOOKS
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#endif

namespace {

using namespace krasip::cleaner;

[[noreturn]] void bad_request() { std::_Exit(2); }

void read_exactly(std::uint8_t* p, std::size_t n) {
  while (n > 0) {
    const ssize_t got = ::read(0, p, n);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) bad_request();
    p += got;
    n -= static_cast<std::size_t>(got);
  }
}

void write_all(std::span<const std::uint8_t> d) {
  while (!d.empty()) {
    const ssize_t n = ::write(1, d.data(), d.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) std::_Exit(2);  // krasipd went away
    d = d.subspan(static_cast<std::size_t>(n));
  }
}

RequestHeader read_header() {
  std::vector<std::uint8_t> buf;
  buf.reserve(64);
  for (;;) {
    std::size_t used = 0;
    if (auto h = decode_request(buf, used)) return *h;
    if (buf.size() >= kMaxHeaderBytes) bad_request();
    std::uint8_t b = 0;
    read_exactly(&b, 1);  // byte by byte: the header is a few dozen bytes
    buf.push_back(b);
  }
}

std::uint64_t arg_u64(int argc, char** argv, std::string_view name, std::uint64_t fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (name == argv[i]) return std::strtoull(argv[i + 1], nullptr, 10);
  }
  return fallback;
}

#ifdef KRASIP_CLEANER_TEST_HOOKS
// Only in the test build (krasip-cleaner-test): inputs that make it behave
// like a broken parser, so the tests can see the server survive it.
bool contains(std::span<const std::uint8_t> d, std::string_view s) {
  return std::search(d.begin(), d.end(), s.begin(), s.end()) != d.end();
}
void test_hooks(std::span<const std::uint8_t> in) {
  if (contains(in, "KRASIP-TEST-HANG")) {
    volatile unsigned long spin = 0;
    for (;;) spin = spin + 1;
  }
  if (contains(in, "KRASIP-TEST-OPEN")) {
    const int fd = ::open("/etc/passwd", O_RDONLY);  // seccomp kills us here
    if (fd >= 0) write_all({reinterpret_cast<const std::uint8_t*>("OPENED"), 6});
  }
  // krasipd is our parent: a parser taken over could try to stop it.
  if (contains(in, "KRASIP-TEST-KILL-PARENT")) ::kill(::getppid(), SIGKILL);
  if (contains(in, "KRASIP-TEST-TGKILL-PARENT")) ::syscall(SYS_tgkill, ::getppid(), ::getppid(), SIGKILL);
}
#endif

int run(int argc, char** argv) {
  const std::uint64_t max_input = arg_u64(argc, argv, "--max-input", 20ULL * 1024 * 1024);
  SandboxLimits limits;
  limits.memory_bytes = arg_u64(argc, argv, "--memory-mib", 512) * 1024 * 1024;
  limits.cpu_seconds = static_cast<unsigned>(arg_u64(argc, argv, "--cpu-seconds", 10));

  // Everything that needs a file is loaded now (libmagic's database,
  // Exiv2's XMP toolkit); after enter_sandbox() nothing can be opened.
  init_cleaners();
  enter_sandbox(limits);

  const RequestHeader req = read_header();
  if (req.length > max_input) bad_request();
  if (req.kind == Kind::sniff && req.length > kSniffBytes) bad_request();
  std::vector<std::uint8_t> in(static_cast<std::size_t>(req.length));
  read_exactly(in.data(), in.size());
#ifdef KRASIP_CLEANER_TEST_HOOKS
  if (req.kind == Kind::sniff_clean) test_hooks(in);
#endif

  ResponseHeader res;
  res.mime = sniff_mime_type(in);
  res.has_cleaner = has_cleaner(res.mime);
  if (allocation_failed()) std::_Exit(kExitOutOfMemory);
  if (req.kind == Kind::sniff) {
    write_all(encode(res));
    return 0;
  }
  Cleaned c = clean(in, req.mime.empty() ? std::string_view(res.mime) : std::string_view(req.mime));
  std::vector<std::uint8_t>().swap(in);
  // Whatever the cleaner concluded ("damaged", "cleaned" with an object
  // lost): a file that did not fit is out of memory.
  if (allocation_failed()) std::_Exit(kExitOutOfMemory);
  if (c.over_limit) std::_Exit(kExitOverLimit);
  res.cleaned = c.cleaned;
  res.removed = std::move(c.removed);
  res.not_cleaned_reason = std::move(c.not_cleaned_reason);
  res.length = c.bytes.size();
  write_all(encode(res));
  write_all(c.bytes);
  return 0;
}

}  // namespace

#ifdef KRASIP_SANITIZER_BUILD
// The helper starts with an empty environment: ASan's leak check at exit
// (which stops the process with ptrace) is turned off here.
extern "C" const char* __asan_default_options() { return "detect_leaks=0"; }
#endif

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::bad_alloc&) {
    std::_Exit(kExitOutOfMemory);  // over RLIMIT_AS: the file asked for more than it may
  } catch (const ProtocolError&) {
    std::_Exit(2);
  } catch (...) {
    std::_Exit(5);
  }
}
