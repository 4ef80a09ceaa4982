// PDF cleaning: any input is cleaned or refused, never both, never the
// input handed back as cleaned; a cleaned PDF cleans again.
#include <cstdint>
#include <span>

#include "krasip/cleaner/formats.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto r = krasip::cleaner::clean_pdf(std::span(data, size));
  if (r.cleaned != r.not_cleaned_reason.empty() || r.cleaned == r.bytes.empty()) __builtin_trap();
  if (r.cleaned && !krasip::cleaner::clean_pdf(r.bytes).cleaned) __builtin_trap();
  return 0;
}
