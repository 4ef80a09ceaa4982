#pragma once
#include <cstdint>
#include <functional>
#include <span>

namespace krasip::cases {

// Call once before threads use the cleaner (Exiv2's XMP toolkit needs it);
// also mutes Exiv2's own logging, which could echo file contents.
void init_image_metadata();

struct CleanResult {
  // True when the stored image is known to carry no EXIF, IPTC, XMP or
  // comment: they were removed, or the image had none and Exiv2 cannot
  // rewrite its format.
  bool metadata_removed = false;
};

// Removes EXIF (GPS, camera serial numbers), IPTC, XMP and comments from an
// image held in memory (Exiv2; GIF extension blocks by our own parser, see
// gif_metadata.hpp), and hands the cleaned bytes to `sink` (in one or more
// calls, in order). Exiv2's working copy is zeroed before it is freed. A
// format Exiv2 can read but not write (HEIC) or cannot parse, and a GIF
// that does not parse, is passed on unchanged, with metadata_removed telling
// whether it is known to carry nothing (never true for a broken GIF).
CleanResult clean_image(std::span<const std::uint8_t> image,
                        const std::function<void(std::span<const std::uint8_t>)>& sink);

}  // namespace krasip::cases
