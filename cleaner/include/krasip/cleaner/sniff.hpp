#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace krasip::cleaner {

// How many leading bytes the sniffer looks at (more are ignored).
inline constexpr std::size_t kSniffBytes = 64 * 1024;

// Loads libmagic's database (the helper does so before its seccomp filter:
// afterwards it could not open the file).
void init_sniffer();

// libmagic's MIME type of `head` (e.g. "application/x-executable").
std::string sniff_mime_type(std::span<const std::uint8_t> head);

}  // namespace krasip::cleaner
