#include "sandbox.hpp"

#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <initializer_list>

namespace krasip::cleaner {

namespace {

[[noreturn]] void fail(const char* what) {
  // stderr is /dev/null when krasipd starts us; useful when run by hand.
  const auto n = ::write(2, what, __builtin_strlen(what));
  (void)n;
  std::_Exit(4);
}

void limit(int resource, rlim_t soft, rlim_t hard, const char* what) {
  const rlimit r{soft, hard};
  if (::setrlimit(resource, &r) != 0) fail(what);
}

// RAII for a libseccomp filter context.
class Filter {
 public:
  Filter() : ctx_(seccomp_init(SCMP_ACT_KILL_PROCESS)) {
    if (ctx_ == nullptr) fail("seccomp_init failed\n");
  }
  Filter(const Filter&) = delete;
  Filter& operator=(const Filter&) = delete;
  ~Filter() { seccomp_release(ctx_); }

  void allow(int syscall) {
    if (seccomp_rule_add(ctx_, SCMP_ACT_ALLOW, syscall, 0) != 0) fail("seccomp_rule_add failed\n");
  }
  // Allowed only when the first argument (the fd) is `fd`.
  void allow_on_fd(int syscall, int fd) {
    if (seccomp_rule_add(ctx_, SCMP_ACT_ALLOW, syscall, 1,
                         SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(fd))) != 0) {
      fail("seccomp_rule_add failed\n");
    }
  }
  void load() {
    if (seccomp_load(ctx_) != 0) fail("seccomp_load failed\n");
  }

 private:
  scmp_filter_ctx ctx_;
};

}  // namespace

void enter_sandbox(const SandboxLimits& limits) {
  // No core file: it would hold the reporter's plaintext.
  limit(RLIMIT_CORE, 0, 0, "RLIMIT_CORE\n");
#ifndef KRASIP_SANITIZER_BUILD  // see the top CMakeLists.txt
  limit(RLIMIT_AS, limits.memory_bytes, limits.memory_bytes, "RLIMIT_AS\n");
#endif
  // SIGXCPU at the soft limit, SIGKILL a second later.
  limit(RLIMIT_CPU, limits.cpu_seconds, limits.cpu_seconds + 1, "RLIMIT_CPU\n");
  limit(RLIMIT_FSIZE, 0, 0, "RLIMIT_FSIZE\n");
  // fds 0-2 are open; nothing new may be.
  limit(RLIMIT_NOFILE, 3, 3, "RLIMIT_NOFILE\n");
  // No new process (effective for an unprivileged service user; seccomp
  // refuses fork and clone anyway).
  limit(RLIMIT_NPROC, 0, 0, "RLIMIT_NPROC\n");
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail("PR_SET_NO_NEW_PRIVS\n");
#ifdef KRASIP_SANITIZER_BUILD
  return;  // see the top CMakeLists.txt
#endif

  Filter f;
  f.allow_on_fd(SCMP_SYS(read), 0);
  f.allow_on_fd(SCMP_SYS(write), 1);
  f.allow_on_fd(SCMP_SYS(write), 2);
  // Memory.
  for (int s : {SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(brk),
                SCMP_SYS(madvise), SCMP_SYS(mprotect)}) {
    f.allow(s);
  }
  // Threads' locks (libstdc++ and Exiv2 take mutexes), time, and the ways
  // out: exiting, and abort() raising SIGABRT at itself.
  for (int s : {SCMP_SYS(futex), SCMP_SYS(clock_gettime), SCMP_SYS(exit), SCMP_SYS(exit_group),
                SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask), SCMP_SYS(getpid),
                SCMP_SYS(gettid), SCMP_SYS(tgkill),
                // Expat (Exiv2's XMP) seeds its hash tables: entropy, no file.
                SCMP_SYS(getrandom)}) {
    f.allow(s);
  }
  f.load();
}

}  // namespace krasip::cleaner
