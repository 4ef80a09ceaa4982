// Pictures inside documents: a phone photo pasted into a report keeps its
// EXIF (GPS, camera serial number) inside the DOCX or the PDF. These are
// stripped here by walking the format's own structure, without a decoder;
// the upload-level image cleaning (Exiv2) is elsewhere.
#include "image_strip.hpp"

#include <array>
#include <cstring>

namespace krasip::cleaner {

namespace {

bool keep_jpeg_segment(std::uint8_t marker, std::string_view body) {
  if (marker == 0xfe) return false;                      // COM
  if (marker < 0xe0 || marker > 0xef) return true;       // not APPn: image data
  if (marker == 0xe0) return body.substr(0, 5) == std::string_view("JFIF\0", 5) ||
                             body.substr(0, 5) == std::string_view("JFXX\0", 5);
  if (marker == 0xe2) return body.substr(0, 12) == std::string_view("ICC_PROFILE\0", 12);  // colours
  if (marker == 0xee) return body.substr(0, 5) == "Adobe";  // colour transform
  return false;  // EXIF, XMP, IPTC, MPF (second pictures), maker data
}

}  // namespace

std::optional<std::string> strip_jpeg(std::string_view in, bool& stripped) {
  const std::size_t n = in.size();
  const auto u = [&](std::size_t i) { return static_cast<std::uint8_t>(in[i]); };
  if (n < 4 || u(0) != 0xff || u(1) != 0xd8) return std::nullopt;
  std::string out = "\xff\xd8";
  std::size_t pos = 2;
  while (pos < n) {
    if (u(pos) != 0xff) return std::nullopt;
    std::size_t m = pos;
    while (m < n && u(m) == 0xff) ++m;
    if (m >= n) return std::nullopt;
    const std::uint8_t marker = u(m);
    const std::size_t after_marker = m + 1;
    if (marker == 0xd9) {  // EOI: anything after it (a motion-photo video) is dropped
      out += "\xff\xd9";
      if (after_marker != n) stripped = true;
      return out;
    }
    if (marker == 0x00 || marker == 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker == 0x01)
      return std::nullopt;
    if (after_marker + 2 > n) return std::nullopt;
    const std::size_t length = (std::size_t(u(after_marker)) << 8) | u(after_marker + 1);
    if (length < 2 || after_marker + length > n) return std::nullopt;
    const std::size_t end = after_marker + length;
    const auto body = in.substr(after_marker + 2, length - 2);
    if (keep_jpeg_segment(marker, body)) {
      out += '\xff';
      out.append(in.substr(m, end - m));
    } else {
      stripped = true;
    }
    pos = end;
    if (marker == 0xda) {  // SOS: entropy-coded data up to the next real marker
      std::size_t scan = pos;
      while (scan + 1 < n) {
        if (u(scan) == 0xff) {
          const std::uint8_t next = u(scan + 1);
          if (next == 0x00 || (next >= 0xd0 && next <= 0xd7) || next == 0xff) {
            scan += next == 0xff ? 1 : 2;
            continue;
          }
          break;
        }
        ++scan;
      }
      if (scan + 1 >= n) return std::nullopt;
      out.append(in.substr(pos, scan - pos));
      pos = scan;
    }
  }
  return std::nullopt;  // no EOI
}

std::optional<std::string> strip_png(std::string_view in, bool& stripped) {
  static constexpr std::string_view kSignature("\x89PNG\r\n\x1a\n", 8);
  if (in.substr(0, 8) != kSignature) return std::nullopt;
  std::string out(kSignature);
  std::size_t pos = 8;
  const auto u = [&](std::size_t i) { return static_cast<std::uint8_t>(in[i]); };
  while (pos + 12 <= in.size()) {
    const std::size_t length =
        (std::size_t(u(pos)) << 24) | (std::size_t(u(pos + 1)) << 16) | (std::size_t(u(pos + 2)) << 8) | u(pos + 3);
    if (length > in.size() - pos - 12) return std::nullopt;
    const auto type = in.substr(pos + 4, 4);
    const std::size_t end = pos + 12 + length;
    // Text chunks (author, comment, software, XMP), EXIF and the time of last change.
    if (type == "tEXt" || type == "zTXt" || type == "iTXt" || type == "eXIf" || type == "tIME") {
      stripped = true;
    } else {
      out.append(in.substr(pos, end - pos));
    }
    pos = end;
    if (type == "IEND") {
      if (pos != in.size()) stripped = true;
      return out;
    }
  }
  return std::nullopt;  // no IEND
}

}  // namespace krasip::cleaner
