// The framing krasipd reads from krasip-cleaner (and the helper from
// krasipd): whatever a taken-over helper writes, decoding either asks for
// more, refuses with ProtocolError, or gives a header within the limits
// that encodes back to the same bytes.
#include <algorithm>
#include <cstdint>
#include <span>

#include "krasip/cleaner/protocol.hpp"

using namespace krasip::cleaner;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> in(data, size);
  std::size_t used = 0;
  try {
    if (const auto h = decode_response(in, used)) {
      if (used > size || h->mime.size() > kMaxMimeBytes || h->removed.size() > kMaxRemovedItems ||
          h->not_cleaned_reason.size() > kMaxReasonBytes) {
        __builtin_trap();
      }
      const auto again = encode(*h);
      if (again.size() != used || !std::equal(again.begin(), again.end(), data)) __builtin_trap();
    }
  } catch (const ProtocolError&) {
  }
  try {
    if (const auto r = decode_request(in, used)) {
      if (used > size || r->mime.size() > kMaxMimeBytes) __builtin_trap();
    }
  } catch (const ProtocolError&) {
  }
  return 0;
}
