#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <mutex>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "evidence_pack.hpp"
#include "krasip/server/api_response.hpp"

extern char** environ;

namespace krasip::server {

namespace {
struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

struct Pipe {
  Fd read, write;
  Pipe() {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    read.fd = p[0];
    write.fd = p[1];
  }
};

struct SpawnActions {
  posix_spawn_file_actions_t a;
  SpawnActions() { posix_spawn_file_actions_init(&a); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&a); }
};
}  // namespace

std::string evidence_pack_pdf(const std::filesystem::path& renderer, const std::filesystem::path& fonts_dir,
                              const boost::json::object& pack, std::chrono::milliseconds timeout) {
  static std::once_flag ignore_sigpipe;
  std::call_once(ignore_sigpipe, [] { ::signal(SIGPIPE, SIG_IGN); });
  const std::string input = boost::json::serialize(pack);
  Pipe in, out;
  SpawnActions fa;
  posix_spawn_file_actions_adddup2(&fa.a, in.read.fd, 0);
  posix_spawn_file_actions_adddup2(&fa.a, out.write.fd, 1);
  posix_spawn_file_actions_addopen(&fa.a, 2, "/dev/null", O_WRONLY, 0);
  // Nothing of krasipd's (database, sockets, keys) reaches the renderer.
  posix_spawn_file_actions_addclosefrom_np(&fa.a, 3);
  const std::string exe = renderer.string();
  const std::string fonts = fonts_dir.string();
  char* argv[] = {const_cast<char*>(exe.c_str()), const_cast<char*>(fonts.c_str()), nullptr};
#ifdef KRASIP_SANITIZER_BUILD
  // fontconfig's and pango's caches live until exit by design, and glib's
  // threads run in libraries built without ThreadSanitizer: either report
  // would turn into a failed exit status. The server itself stays checked.
  char* envp[] = {const_cast<char*>("HOME=/nonexistent"), const_cast<char*>("LANG=C.UTF-8"),
                  const_cast<char*>("ASAN_OPTIONS=detect_leaks=0"), const_cast<char*>("TSAN_OPTIONS=report_bugs=0"),
                  nullptr};
#else
  char* envp[] = {const_cast<char*>("HOME=/nonexistent"), const_cast<char*>("LANG=C.UTF-8"), nullptr};
#endif
  pid_t pid = 0;
  if (posix_spawn(&pid, exe.c_str(), &fa.a, nullptr, argv, envp) != 0) {
    throw std::runtime_error("could not start " + exe);
  }
  in.read.reset();
  out.write.reset();
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string pdf;
  bool failed = false;
  std::size_t written = 0;
  ::fcntl(in.write.fd, F_SETFL, O_NONBLOCK);
  char buf[65536];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      failed = true;
      break;
    }
    pollfd fds[2] = {{out.read.fd, POLLIN, 0}, {in.write.fd, POLLOUT, 0}};
    const int nfds = in.write.fd >= 0 ? 2 : 1;
    if (::poll(fds, nfds, static_cast<int>(left.count())) < 0) {
      if (errno == EINTR) continue;
      failed = true;
      break;
    }
    if (nfds == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const auto n = ::write(in.write.fd, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 && errno != EAGAIN) written = input.size();
      if (written == input.size()) in.write.reset();
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      const auto n = ::read(out.read.fd, buf, sizeof buf);
      if (n > 0) {
        pdf.append(buf, static_cast<std::size_t>(n));
        if (pdf.size() > 64u * 1024 * 1024) {
          failed = true;
          break;
        }
      } else if (n == 0) {
        break;
      } else if (errno != EINTR && errno != EAGAIN) {
        failed = true;
        break;
      }
    }
  }
  if (failed) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (failed || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || pdf.rfind("%PDF", 0) != 0) {
    // The operator's log says how (SIGSYS: the seccomp filter stopped it);
    // the administrator gets a clear answer and the HTML pack still works.
    const std::string how = failed                 ? "timed_out_or_too_large"
                            : WIFSIGNALED(status) ? "signal_" + std::to_string(WTERMSIG(status))
                            : WIFEXITED(status)   ? "exit_" + std::to_string(WEXITSTATUS(status))
                                                  : "no_pdf";
    spdlog::error("event=pack_pdf_failed reason={}", how);
    throw HttpError(http::status::internal_server_error, "pdf_not_made",
                    "The PDF could not be made; the evidence pack is still available as a web page to print.");
  }
  return pdf;
}

}  // namespace krasip::server
