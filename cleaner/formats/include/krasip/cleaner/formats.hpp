#pragma once
// Metadata removal for uploaded evidence (issue 14): documents, audio, video,
// and the true end of a JPEG (to cut a motion-photo trailer).
//
// Every function works on bytes in memory only: no file, no network, no
// logging of content, no shared state of its own, so the sandboxed cleaner
// process can call them on hostile input. A file that cannot be cleaned
// (damaged, encrypted, an unknown sub-format) comes back with cleaned=false,
// no bytes and a short reason; the original bytes are never returned as
// "cleaned".
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "krasip/cleaner/cleaned.hpp"  // Cleaned

namespace krasip::cleaner {

// Once, before the sandbox closes: libxml2's parser state, libav's logging.
void init_formats();


// PDF (libqpdf): Info dictionary, XMP streams, embedded files and file
// attachments, JavaScript, PieceInfo; fresh document IDs. Encrypted: not cleaned.
Cleaned clean_pdf(std::span<const std::uint8_t> in);

// DOCX XLSX PPTX ODT ODS (libzip + libxml2), by the canonical MIME type:
// document properties, custom properties, thumbnails, printer settings,
// comment and tracked-change authors (replaced by "Author"), rsid session IDs.
Cleaned clean_office(std::span<const std::uint8_t> in, std::string_view mime);

// MP3 M4A OGG WAV AMR MP4 MOV WebM 3GP (libavformat), by the canonical MIME
// type: remuxed without re-encoding into the same container, with no tags,
// chapters, cover art, data or subtitle streams, and no creation times.
Cleaned clean_media(std::span<const std::uint8_t> in, std::string_view mime);

// HEIC/HEIF, rewritten in place without re-encoding (same size, same
// offsets): EXIF, XMP and other metadata items zeroed and renamed to a type
// no reader interprets; uuid/moov boxes and user descriptions turned into
// zero-filled free boxes. Anything that does not parse exactly: not cleaned.
Cleaned clean_heic(std::span<const std::uint8_t> in);

// A JPEG or PNG uploaded on its own, after Exiv2 (image_metadata.hpp): the
// same walk as for the pictures inside documents, keeping only the segments
// and chunks that draw the picture (PNG text, tIME and eXIf chunks, JPEG
// APPn segments other than JFIF, ICC and Adobe, comments, and anything after
// the end are dropped). `removed` names what was dropped. Any other format:
// not cleaned; a JPEG or PNG that does not walk to its end: not cleaned,
// "damaged or incomplete". Bytes only when cleaned.
Cleaned strip_picture(std::span<const std::uint8_t> in);

// The offset just after the EOI marker that ends the JPEG image in `in`,
// found by walking its segments and entropy-coded data (so an EOI inside an
// EXIF thumbnail does not count); 0 when `in` is not a complete JPEG.
// Bytes after it (a motion-photo video, for one) are a trailer to cut.
std::size_t jpeg_end_of_image(std::span<const std::uint8_t> in);

}  // namespace krasip::cleaner
