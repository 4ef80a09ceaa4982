#include "krasip/sandbox/seccomp_filter.hpp"

#include <seccomp.h>
#include <unistd.h>

#include <cstdlib>

namespace krasip::sandbox {

namespace {
scmp_filter_ctx ctx(void* p) { return static_cast<scmp_filter_ctx>(p); }
}  // namespace

void setup_failed(const char* what) {
  const auto n = ::write(2, what, __builtin_strlen(what));
  (void)n;
  std::_Exit(4);
}

SeccompFilter::SeccompFilter() : ctx_(seccomp_init(SCMP_ACT_KILL_PROCESS)) {
  if (ctx_ == nullptr) setup_failed("seccomp_init failed\n");
  if (seccomp_attr_set(ctx(ctx_), SCMP_FLTATR_CTL_TSYNC, 1) != 0) setup_failed("seccomp TSYNC failed\n");
}

SeccompFilter::~SeccompFilter() { seccomp_release(ctx(ctx_)); }

void SeccompFilter::allow(int syscall) {
  if (seccomp_rule_add(ctx(ctx_), SCMP_ACT_ALLOW, syscall, 0) != 0) setup_failed("seccomp_rule_add failed\n");
}

void SeccompFilter::allow_on_fd(int syscall, int fd) {
  if (seccomp_rule_add(ctx(ctx_), SCMP_ACT_ALLOW, syscall, 1, SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(fd))) !=
      0) {
    setup_failed("seccomp_rule_add failed\n");
  }
}

void SeccompFilter::allow_signals_to_self() {
  // The whole 64-bit register is compared: a pid with high bits set, which
  // the kernel would truncate to another process's, does not match.
  const auto self = static_cast<scmp_datum_t>(::getpid());
  if (seccomp_rule_add(ctx(ctx_), SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1, SCMP_A0(SCMP_CMP_EQ, self)) != 0 ||
      seccomp_rule_add(ctx(ctx_), SCMP_ACT_ALLOW, SCMP_SYS(kill), 1, SCMP_A0(SCMP_CMP_EQ, self)) != 0) {
    setup_failed("seccomp_rule_add failed\n");
  }
}

void SeccompFilter::load() {
  if (seccomp_load(ctx(ctx_)) != 0) setup_failed("seccomp_load failed\n");
}

}  // namespace krasip::sandbox
