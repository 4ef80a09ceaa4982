#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace krasip::cleaner {

// What a cleaner made of one file. `bytes` is the file to store (cleaned,
// or the input unchanged when `cleaned` is false); `removed` names what was
// taken out ("EXIF GPS", "XMP"), for the reporter; `not_cleaned_reason`
// says why a file could not be cleaned (empty when it was). `over_limit`:
// the file would unpack past one of the cleaners' named caps (a
// decompression bomb); it is refused like a helper over its memory limit,
// never stored.
struct Cleaned {
  std::vector<std::uint8_t> bytes;
  bool cleaned = false;
  bool over_limit = false;
  std::vector<std::string> removed;
  std::string not_cleaned_reason;
};

}  // namespace krasip::cleaner
