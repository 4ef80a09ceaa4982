#pragma once
#include <cstdint>

namespace krasip::cleaner {

struct SandboxLimits {
  std::uint64_t memory_bytes = 512ULL * 1024 * 1024;  // RLIMIT_AS
  unsigned cpu_seconds = 10;                          // RLIMIT_CPU
};

// Called once everything the cleaners need is loaded: resource limits,
// no_new_privs, then a seccomp allow-list whose default action kills the
// process. Afterwards the helper can read fd 0, write fds 1 and 2, manage
// its memory and exit; it cannot open a file, a socket or a process.
// Exits the process (status 4) if any step fails: an unsandboxed helper
// must not read a byte.
void enter_sandbox(const SandboxLimits& limits);

}  // namespace krasip::cleaner
