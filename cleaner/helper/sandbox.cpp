#include "sandbox.hpp"

#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <initializer_list>

#include "krasip/sandbox/seccomp_filter.hpp"

namespace krasip::cleaner {

namespace {

using sandbox::setup_failed;

void limit(int resource, rlim_t soft, rlim_t hard, const char* what) {
  const rlimit r{soft, hard};
  if (::setrlimit(resource, &r) != 0) setup_failed(what);
}

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
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) setup_failed("PR_SET_NO_NEW_PRIVS\n");
#ifdef KRASIP_SANITIZER_BUILD
  return;  // see the top CMakeLists.txt
#endif

  sandbox::SeccompFilter f;
  f.allow_on_fd(SCMP_SYS(read), 0);
  f.allow_on_fd(SCMP_SYS(write), 1);
  f.allow_on_fd(SCMP_SYS(write), 2);
  // Memory.
  for (int s : {SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(brk),
                SCMP_SYS(madvise), SCMP_SYS(mprotect)}) {
    f.allow(s);
  }
  // Threads' locks (libstdc++ and Exiv2 take mutexes), time, and the ways
  // out: exiting, and abort() raising SIGABRT at itself (tgkill naming this
  // process only: the helper cannot signal krasipd).
  for (int s : {SCMP_SYS(futex), SCMP_SYS(clock_gettime), SCMP_SYS(exit), SCMP_SYS(exit_group),
                SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask), SCMP_SYS(getpid),
                SCMP_SYS(gettid),
                // Expat (Exiv2's XMP) seeds its hash tables: entropy, no file.
                SCMP_SYS(getrandom)}) {
    f.allow(s);
  }
  f.allow_signals_to_self();
  f.load();
}

}  // namespace krasip::cleaner
