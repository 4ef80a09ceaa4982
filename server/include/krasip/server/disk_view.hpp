#pragma once
#include <cstdint>

namespace krasip::server {

// What an agency's administrators may know of the host's disk (issue 21,
// item 4). The disk is shared by every agency of a deployment: its free
// space to the byte, read live, moves with another agency's upload (or a
// reporter's), so the health page shows whole GiB, rounded down, and a
// word; the exact figure is in the operator's metrics only.
struct DiskView {
  std::uint64_t free_gib = 0;
  std::uint64_t total_gib = 0;
  bool low = false;  // under kLowDiskGib free, or under kLowDiskPercent of the disk
};

inline constexpr std::uint64_t kGib = std::uint64_t{1} << 30;
inline constexpr std::uint64_t kLowDiskGib = 2;
inline constexpr std::uint64_t kLowDiskPercent = 5;

DiskView disk_view(std::uint64_t free_bytes, std::uint64_t total_bytes);

}  // namespace krasip::server
