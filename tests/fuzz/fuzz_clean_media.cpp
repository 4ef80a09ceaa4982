// Audio/video cleaning: the first byte picks the type, the rest is the
// file. Cleaned or refused, never both, never empty when cleaned.
#include <cstdint>
#include <span>
#include <string_view>

#include "krasip/cleaner/formats.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::string_view kMimes[] = {"audio/mpeg", "audio/mp4",       "audio/ogg",
                                                "audio/wav",  "audio/amr",       "video/mp4",
                                                "video/quicktime", "video/webm", "video/3gpp"};
  if (size == 0) return 0;
  const auto mime = kMimes[data[0] % 9];
  const auto r = krasip::cleaner::clean_media(std::span(data + 1, size - 1), mime);
  if (r.cleaned != r.not_cleaned_reason.empty() || r.cleaned == r.bytes.empty()) __builtin_trap();
  return 0;
}
