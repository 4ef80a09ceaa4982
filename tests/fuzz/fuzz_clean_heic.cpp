// HEIC cleaning: the in-place ISOBMFF rewriter. Cleaned or refused, never
// both; when cleaned, the same size as the input (offsets are kept).
#include <cstdint>
#include <span>

#include "krasip/cleaner/formats.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto r = krasip::cleaner::clean_heic(std::span(data, size));
  if (r.cleaned != r.not_cleaned_reason.empty()) __builtin_trap();
  if (r.cleaned && r.bytes.size() != size) __builtin_trap();
  if (!r.cleaned && !r.bytes.empty()) __builtin_trap();
  return 0;
}
