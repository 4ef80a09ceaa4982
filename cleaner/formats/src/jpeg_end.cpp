// The true end of a JPEG: its segments are walked by their lengths (an EXIF
// thumbnail inside APP1 ends with its own FFD9, which a plain search would
// take for the end), and entropy-coded data after each SOS is scanned for
// the next marker (FF00 is a stuffed byte, FFD0-FFD7 restart markers).
#include "krasip/cleaner/formats.hpp"

namespace krasip::cleaner {

std::size_t jpeg_end_of_image(std::span<const std::uint8_t> in) {
  const std::size_t n = in.size();
  if (n < 4 || in[0] != 0xff || in[1] != 0xd8) return 0;
  std::size_t pos = 2;
  bool in_scan = false;
  while (pos < n) {
    if (in_scan) {
      // Entropy-coded data: find an FF that starts a real marker.
      while (pos + 1 < n) {
        if (in[pos] == 0xff) {
          const std::uint8_t next = in[pos + 1];
          if (next == 0x00 || (next >= 0xd0 && next <= 0xd7)) {
            pos += 2;
            continue;
          }
          if (next == 0xff) {  // fill byte before a marker
            ++pos;
            continue;
          }
          break;
        }
        ++pos;
      }
      if (pos + 1 >= n) return 0;
      in_scan = false;
    }
    if (in[pos] != 0xff) return 0;
    // Any number of FF fill bytes may precede a marker.
    while (pos < n && in[pos] == 0xff) ++pos;
    if (pos >= n) return 0;
    const std::uint8_t marker = in[pos++];
    if (marker == 0xd9) return pos;  // EOI
    if (marker == 0x00 || marker == 0xd8) return 0;
    if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;  // no length
    if (pos + 2 > n) return 0;
    const std::size_t length = (std::size_t(in[pos]) << 8) | in[pos + 1];
    if (length < 2 || pos + length > n) return 0;
    pos += length;
    if (marker == 0xda) in_scan = true;  // SOS: compressed data follows its header
  }
  return 0;
}

}  // namespace krasip::cleaner
