#pragma once
#include <cstdint>

namespace krasip::mail {

// Seconds to wait after the `failures`-th failed attempt (1, 2, ...):
// `base`, doubled each time, never more than `cap`. With the defaults
// (30 s, 1 h) a mail is tried at 30 s, 1, 2, 4 ... 32 min, then hourly.
std::int64_t retry_delay_seconds(std::int64_t failures, std::int64_t base = 30,
                                 std::int64_t cap = 3600);

}  // namespace krasip::mail
