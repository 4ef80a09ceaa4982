#include "krasip/cleaner/client.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>

#include "krasip/cleaner/protocol.hpp"

namespace krasip::cleaner {

namespace {

using Clock = std::chrono::steady_clock;
using Why = HelperFailed::Why;

// RAII fd.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.release();
    }
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  int release() {
    const int f = fd_;
    fd_ = -1;
    return f;
  }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct Pipe {
  Fd read, write;
};
Pipe make_pipe() {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) throw HelperFailed(Why::could_not_start, "pipe2 failed");
  return {Fd(p[0]), Fd(p[1])};
}

// The helper process; the destructor kills and reaps it if it is still
// there, so no path leaves a zombie or a runaway parser behind.
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {}
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (!reaped_) kill_and_reap();
  }
  pid_t pid() const { return pid_; }
  void kill_and_reap() {
    ::kill(pid_, SIGKILL);
    wait_blocking();
  }
  // Waits until `deadline` for the exit; kills it then.
  int wait_until(Clock::time_point deadline) {
    for (;;) {
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        reaped_ = true;
        return status;
      }
      if (r < 0 && errno != EINTR) {
        reaped_ = true;
        return 0;
      }
      if (Clock::now() >= deadline) {
        ::kill(pid_, SIGKILL);
        wait_blocking();
        throw HelperFailed(Why::timed_out, "the helper did not exit in time");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

 private:
  void wait_blocking() {
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    last_status_ = status;
  }
  pid_t pid_;
  bool reaped_ = false;
  int last_status_ = 0;
};

Child spawn(const HelperConfig& c, Fd& to_child, Fd& from_child) {
  // A helper that dies leaves a broken pipe: that must be EPIPE, an error
  // for this upload, not SIGPIPE, the end of krasipd.
  static std::once_flag ignore_sigpipe;
  std::call_once(ignore_sigpipe, [] { ::signal(SIGPIPE, SIG_IGN); });
  Pipe in = make_pipe();
  Pipe out = make_pipe();
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in.read.get(), 0);
  posix_spawn_file_actions_adddup2(&fa, out.write.get(), 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  // Every other fd of krasipd (database, keys' files, sockets) is closed,
  // whether or not it was opened with O_CLOEXEC.
  posix_spawn_file_actions_addclosefrom_np(&fa, 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  const std::string path = c.path.string();
  const std::string max_input = std::to_string(c.max_input);
  const std::string memory = std::to_string(c.memory_mib);
  const std::string cpu = std::to_string(c.cpu_seconds);
  const char* argv[] = {path.c_str(),   "--max-input",   max_input.c_str(), "--memory-mib",
                        memory.c_str(), "--cpu-seconds", cpu.c_str(),       nullptr};
  const char* envp[] = {nullptr};  // nothing of krasipd's environment
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, path.c_str(), &fa, &attr, const_cast<char* const*>(argv),
                               const_cast<char* const*>(envp));
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    throw HelperFailed(Why::could_not_start, "cannot start " + path + ": " + std::strerror(rc));
  }
  to_child = std::move(in.write);
  from_child = std::move(out.read);
  ::fcntl(to_child.get(), F_SETFL, O_NONBLOCK);
  ::fcntl(from_child.get(), F_SETFL, O_NONBLOCK);
  return Child(pid);
}

// Reads the response header, then hands the body to the sink.
class AnswerReader {
 public:
  AnswerReader(const HelperConfig& c,
               const std::function<void(std::span<const std::uint8_t>)>* sink)
      : config_(c), sink_(sink) {}

  void feed(std::span<const std::uint8_t> d) {
    if (!header_) {
      head_.insert(head_.end(), d.begin(), d.end());
      std::size_t used = 0;
      try {
        header_ = decode_response(head_, used);
      } catch (const ProtocolError& e) {
        throw HelperFailed(Why::bad_answer, e.what());
      }
      if (!header_) {
        if (head_.size() > kMaxHeaderBytes) throw HelperFailed(Why::bad_answer, "header too long");
        return;
      }
      if (header_->length > config_.max_output || (sink_ == nullptr && header_->length != 0)) {
        throw HelperFailed(Why::too_large, "the cleaned file is larger than allowed");
      }
      d = std::span<const std::uint8_t>(head_).subspan(used);
      body(d);
      head_.clear();
      return;
    }
    body(d);
  }
  bool complete() const { return header_ && got_ == header_->length; }
  const ResponseHeader& header() const { return *header_; }

 private:
  void body(std::span<const std::uint8_t> d) {
    if (d.empty()) return;
    if (d.size() > header_->length - got_) throw HelperFailed(Why::bad_answer, "trailing bytes");
    got_ += d.size();
    (*sink_)(d);
  }
  const HelperConfig& config_;
  const std::function<void(std::span<const std::uint8_t>)>* sink_;
  std::vector<std::uint8_t> head_;
  std::optional<ResponseHeader> header_;
  std::uint64_t got_ = 0;
};

HelperAnswer run(const HelperConfig& c, Kind kind, std::span<const std::uint8_t> bytes,
                 std::string_view mime,
                 const std::function<void(std::span<const std::uint8_t>)>* sink,
                 std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  Fd to_child, from_child;
  Child child = spawn(c, to_child, from_child);

  RequestHeader req;
  req.kind = kind;
  req.mime = std::string(mime);
  req.length = bytes.size();
  const auto head = encode(req);
  std::span<const std::uint8_t> pending_head(head);
  std::span<const std::uint8_t> pending_body = bytes;
  AnswerReader answer(c, sink);
  std::vector<std::uint8_t> buf(64 * 1024);
  bool eof = false;

  // Writes and reads at once: a helper that answers early or dies early
  // cannot block us on a full pipe.
  while (!eof) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      child.kill_and_reap();
      throw HelperFailed(Why::timed_out,
                         "the helper took longer than " + std::to_string(timeout.count()) + " ms");
    }
    pollfd fds[2] = {{from_child.get(), POLLIN, 0}, {to_child.get(), POLLOUT, 0}};
    const nfds_t n = to_child.get() >= 0 ? 2 : 1;
    const int r = ::poll(fds, n, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (r < 0 && errno != EINTR) throw HelperFailed(Why::crashed, "poll failed");
    if (r <= 0) continue;
    if (n == 2 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      auto& pending = !pending_head.empty() ? pending_head : pending_body;
      const ssize_t w =
          ::write(to_child.get(), pending.data(), std::min<std::size_t>(pending.size(), 1 << 20));
      if (w > 0) {
        pending = pending.subspan(static_cast<std::size_t>(w));
      } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
        to_child.reset();  // EPIPE: it died or stopped reading; its exit tells why
      }
      if (pending_head.empty() && pending_body.empty()) to_child.reset();
    }
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      const ssize_t got = ::read(from_child.get(), buf.data(), buf.size());
      if (got > 0) {
        try {
          answer.feed({buf.data(), static_cast<std::size_t>(got)});
        } catch (const HelperFailed&) {
          child.kill_and_reap();
          throw;
        }
      } else if (got == 0) {
        eof = true;
      } else if (errno != EAGAIN && errno != EINTR) {
        eof = true;
      }
    }
  }
  const int status = child.wait_until(deadline);
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    if (sig == SIGXCPU) {
      throw HelperFailed(Why::timed_out,
                         "the helper ran out of CPU time (signal " + std::to_string(sig) + ")");
    }
    throw HelperFailed(Why::crashed, "the helper was killed by signal " + std::to_string(sig));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == kExitOutOfMemory) {
    throw HelperFailed(Why::out_of_memory, "the helper ran out of memory");
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == kExitOverLimit) {
    throw HelperFailed(Why::over_limit, "the file unpacks past the cleaner's limits");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw HelperFailed(Why::crashed,
                       "the helper exited with status " +
                           std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  }
  if (!answer.complete()) throw HelperFailed(Why::bad_answer, "the helper's answer was cut short");
  const auto& h = answer.header();
  return {h.mime, h.has_cleaner, h.cleaned, h.removed, h.not_cleaned_reason, h.length};
}

}  // namespace

const char* to_string(HelperFailed::Why why) {
  switch (why) {
    case Why::could_not_start:
      return "could_not_start";
    case Why::crashed:
      return "crashed";
    case Why::timed_out:
      return "timed_out";
    case Why::out_of_memory:
      return "out_of_memory";
    case Why::bad_answer:
      return "bad_answer";
    case Why::too_large:
      return "too_large";
    case Why::over_limit:
      return "over_limit";
  }
  return "failed";
}

std::filesystem::path default_helper_path() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const auto beside = self.parent_path() / "krasip-cleaner";
    if (::access(beside.c_str(), X_OK) == 0) return beside;
  }
  return "/usr/lib/krasip/krasip-cleaner";
}

HelperAnswer sniff(const HelperConfig& config, std::span<const std::uint8_t> head) {
  return run(config, Kind::sniff, head.first(std::min<std::size_t>(head.size(), 64 * 1024)), {},
             nullptr, config.sniff_timeout);
}

HelperAnswer sniff_and_clean(const HelperConfig& config, std::span<const std::uint8_t> bytes,
                             std::string_view mime,
                             const std::function<void(std::span<const std::uint8_t>)>& sink) {
  if (bytes.size() > config.max_input) {
    throw HelperFailed(Why::too_large, "the file is larger than the helper takes");
  }
  return run(config, Kind::sniff_clean, bytes, mime, &sink, config.timeout);
}

}  // namespace krasip::cleaner
