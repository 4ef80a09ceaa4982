#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>

namespace krasip::cases {

// Seconds since the epoch. Every service takes one, so that tests (and the
// integration tests' server, through offset_clock) can move time on.
using Clock = std::function<std::int64_t()>;

Clock system_clock();

// The system clock plus the whole number of seconds written in `offset_file`
// (read again when the file changes; a missing or unreadable file counts
// as 0). For tests that must see what happens days later without sleeping:
// `krasipd serve|purge --clock-offset-file`. It gives the operator nothing
// new: whoever can write the file can set the host's clock.
Clock offset_clock(std::filesystem::path offset_file);

}  // namespace krasip::cases
