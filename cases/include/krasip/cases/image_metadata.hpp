#pragma once
#include <cstdint>
#include <functional>
#include <span>

namespace krasip::cases {

// Call once before threads use the cleaner (Exiv2's XMP toolkit needs it);
// also mutes Exiv2's own logging, which could echo file contents.
void init_image_metadata();

struct CleanResult {
  // True when the stored image carries no EXIF, IPTC, XMP or comment: they
  // were removed, or the image had none and Exiv2 cannot rewrite its format.
  bool metadata_removed = false;
};

// Removes EXIF (GPS, camera serial numbers), IPTC, XMP and comments from an
// image held in memory (Exiv2), and hands the cleaned bytes to `sink`
// (one call). Exiv2's working copy is zeroed before it is freed. A format
// Exiv2 can read but not write (GIF, HEIC) or cannot parse is passed on
// unchanged, with metadata_removed telling whether anything was found.
CleanResult clean_image(std::span<const std::uint8_t> image,
                        const std::function<void(std::span<const std::uint8_t>)>& sink);

}  // namespace krasip::cases
