// The walk that cleans JPEG and PNG pictures, in documents and on their own
// (issue 21, item 8): in bounds, never longer than what came in, and what it
// keeps walks again unchanged (nothing left to strip).
#include <cstdint>
#include <span>

#include "krasip/cleaner/formats.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto r = krasip::cleaner::strip_picture(std::span(data, size));
  if (!r.cleaned) {
    if (!r.bytes.empty()) __builtin_trap();
    return 0;
  }
  if (r.bytes.size() > size) __builtin_trap();
  const auto again = krasip::cleaner::strip_picture(r.bytes);
  if (!again.cleaned || again.bytes != r.bytes || !again.removed.empty()) __builtin_trap();
  return 0;
}
