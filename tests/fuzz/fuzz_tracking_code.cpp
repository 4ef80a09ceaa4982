// Tracking-code parsing: any input is either refused or yields 21 digits
// whose Damm check passes; formatting and re-parsing gives the same code.
#include <cstdint>
#include <string_view>

#include "krasip/crypto/tracking_code.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = krasip::crypto::parse_tracking_code(text);
  if (!parsed.code) return 0;
  const auto& digits = parsed.code->digits();
  if (digits.size() != krasip::crypto::kTrackingCodeDigits) __builtin_trap();
  const auto again = krasip::crypto::parse_tracking_code(parsed.code->formatted());
  if (!again.code || !again.code->digits().equals(digits.view())) __builtin_trap();
  return 0;
}
