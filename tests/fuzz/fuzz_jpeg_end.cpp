// The end of a JPEG: in bounds, and the JPEG cut there ends at its own end.
#include <cstdint>
#include <span>

#include "krasip/cleaner/formats.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span in(data, size);
  const auto end = krasip::cleaner::jpeg_end_of_image(in);
  if (end > size) __builtin_trap();
  if (end != 0 && krasip::cleaner::jpeg_end_of_image(in.first(end)) != end) __builtin_trap();
  return 0;
}
