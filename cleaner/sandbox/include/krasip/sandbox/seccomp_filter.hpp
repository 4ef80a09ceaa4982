#pragma once
// The seccomp allow-list both helpers lock themselves into (krasip-cleaner,
// krasip-pack-pdf): any system call not allowed kills the process (SIGSYS).
// Linked by the helpers only; krasipd itself links no libseccomp.
#include <cstdint>

namespace krasip::sandbox {

// Writes `what` to stderr (/dev/null when krasipd starts the helper; seen
// when run by hand) and exits with status 4: a helper that could not lock
// itself down must not read a byte.
[[noreturn]] void setup_failed(const char* what);

class SeccompFilter {
 public:
  SeccompFilter();  // the default action: kill the whole process
  SeccompFilter(const SeccompFilter&) = delete;
  SeccompFilter& operator=(const SeccompFilter&) = delete;
  ~SeccompFilter();

  void allow(int syscall);
  // Allowed only when the first argument (the fd) is `fd`.
  void allow_on_fd(int syscall, int fd);
  // kill and tgkill only when they name this process (abort() and raise()
  // signal themselves through tgkill): never krasipd, whose pid a helper
  // knows (getppid), nor its process group (kill(0, ...), which the helper
  // shares with krasipd) or every process (kill(-1, ...)). tkill, which
  // names a thread of any process, is not allowed.
  void allow_signals_to_self();
  // Loads the filter on every thread of the process (threads a library
  // started before, glib's for one, are bound too), after no_new_privs.
  void load();

 private:
  void* ctx_;
};

}  // namespace krasip::sandbox
