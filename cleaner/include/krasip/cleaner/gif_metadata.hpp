#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace krasip::cleaner {

// A part of the input to copy to the output, [offset, offset + size).
struct ByteRange {
  std::size_t offset = 0;
  std::size_t size = 0;
};

// Exiv2 0.27 can neither read nor write GIF metadata, so GIFs are cleaned
// here: the parts of a GIF to keep, in order, to rebuild it without
// metadata. Kept: the header, the screen descriptor and colour tables, the
// images, Graphic Control extensions (frame timing, transparency) and the
// NETSCAPE2.0 / ANIMEXTS1.0 looping extension. Dropped: every other
// Application extension (XMP "XMP DataXMP", ICC profiles, editors' data),
// Comment and Plain Text extensions, unknown extensions, and anything after
// the trailer. nullopt if the data is not a complete, well-formed GIF:
// every length is checked against the end of the data.
std::optional<std::vector<ByteRange>> gif_parts_without_metadata(std::span<const std::uint8_t> gif);

}  // namespace krasip::cleaner
