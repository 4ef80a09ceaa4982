// What an agency's administrator sees of the host's disk (issue 21, item 4):
// whole GiB, rounded down, and "low" at the documented limits.
#include <doctest/doctest.h>

#include "krasip/server/disk_view.hpp"

using namespace krasip::server;

TEST_CASE("disk view: whole GiB rounded down; low under 2 GiB or under 5 % free") {
  constexpr std::uint64_t mib = std::uint64_t{1} << 20;
  // 120 GiB and 700 MiB free of 500 GiB: 120, enough.
  auto v = disk_view(120 * kGib + 700 * mib, 500 * kGib);
  CHECK(v.free_gib == 120);
  CHECK(v.total_gib == 500);
  CHECK_FALSE(v.low);
  // A megabyte written or freed does not move what the administrator sees.
  CHECK(disk_view(120 * kGib + 699 * mib, 500 * kGib).free_gib == 120);
  CHECK(disk_view(120 * kGib + 701 * mib, 500 * kGib).free_gib == 120);
  // Under 5 % of a large disk: low (25 GiB is 5 % of 500 GiB).
  CHECK(disk_view(25 * kGib, 500 * kGib).low == false);
  CHECK(disk_view(25 * kGib - 1, 500 * kGib).low);
  // Under 2 GiB of a small disk: low, though more than 5 % of it.
  CHECK(disk_view(2 * kGib, 10 * kGib).low == false);
  CHECK(disk_view(2 * kGib - 1, 10 * kGib).low);
  CHECK(disk_view(2 * kGib - 1, 10 * kGib).free_gib == 1);
  CHECK(disk_view(0, 0).low);
}
