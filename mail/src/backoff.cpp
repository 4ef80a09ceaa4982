#include "krasip/mail/backoff.hpp"

#include <algorithm>

namespace krasip::mail {

std::int64_t retry_delay_seconds(std::int64_t failures, std::int64_t base, std::int64_t cap) {
  base = std::max<std::int64_t>(base, 1);
  cap = std::max(cap, base);
  std::int64_t delay = base;
  // Doubling stops at the cap, so no overflow however many failures.
  for (std::int64_t i = 1; i < failures && delay < cap; ++i) delay *= 2;
  return std::min(delay, cap);
}

}  // namespace krasip::mail
