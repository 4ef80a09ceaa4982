#pragma once
#include <cstdint>
#include <span>

#include "krasip/cleaner/cleaned.hpp"

namespace krasip::cleaner {

// Call once before the cleaner is used (Exiv2's XMP toolkit needs it, and
// the helper calls it before its seccomp filter); also mutes Exiv2's own
// logging, which could echo file contents.
void init_image_metadata();

// Removes EXIF (GPS, camera serial numbers), IPTC, XMP and comments from an
// image held in memory (Exiv2; GIF extension blocks by our own parser, see
// gif_metadata.hpp); a JPEG or PNG then keeps only the segments or chunks
// that draw it (strip_picture in formats.hpp: a PNG's text chunks and tIME,
// which Exiv2 keeps, go too). `cleaned` is true when the result is known to
// carry no EXIF, IPTC, XMP or comment: they were removed, or the image had
// none and Exiv2 cannot rewrite its format (HEIC). A format Exiv2 cannot
// parse (unless the walk can), a PNG the walk cannot follow to its end, and
// a GIF that does not parse, are returned unchanged with `cleaned` false.
Cleaned clean_image(std::span<const std::uint8_t> image);

}  // namespace krasip::cleaner
