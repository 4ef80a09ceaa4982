// GIF cleaning: any input is either refused or gives in-bounds, ordered
// parts; the parts put together are a GIF that cleans to itself (nothing
// left to drop), so cleaning twice changes nothing.
#include <cstdint>
#include <span>
#include <vector>

#include "krasip/cleaner/gif_metadata.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> in(data, size);
  const auto parts = krasip::cleaner::gif_parts_without_metadata(in);
  if (!parts) return 0;
  std::vector<std::uint8_t> out;
  std::size_t end = 0;
  for (const auto& p : *parts) {
    if (p.offset < end || p.offset > size || p.size > size - p.offset || p.size == 0)
      __builtin_trap();
    end = p.offset + p.size;
    out.insert(out.end(), data + p.offset, data + end);
  }
  const auto again = krasip::cleaner::gif_parts_without_metadata(out);
  if (!again || again->size() != 1 || (*again)[0].offset != 0 || (*again)[0].size != out.size()) {
    __builtin_trap();
  }
  return 0;
}
