#include "krasip/server/disk_view.hpp"

namespace krasip::server {

DiskView disk_view(std::uint64_t free_bytes, std::uint64_t total_bytes) {
  DiskView v;
  v.free_gib = free_bytes / kGib;
  v.total_gib = total_bytes / kGib;
  // Compared in bytes, not in the rounded figures: the word is exact at
  // its limit even on a small disk.
  v.low = free_bytes < kLowDiskGib * kGib || free_bytes < total_bytes / 100 * kLowDiskPercent;
  return v;
}

}  // namespace krasip::server
