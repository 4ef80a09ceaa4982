// Pictures inside documents, and pictures uploaded on their own: a phone
// photo keeps its EXIF (GPS, camera serial number), a PNG its text chunks
// (Author, Comment, the software) and the time it was last changed. They
// are stripped here by walking the format's own structure, without a
// decoder, keeping only what draws the picture.
#include "image_strip.hpp"

#include <array>
#include <cstring>

#include "krasip/cleaner/formats.hpp"

namespace krasip::cleaner {

namespace {

void add(Labels* removed, std::string_view label) {
  if (removed != nullptr) removed->add(label);
}

// What an APPn or COM segment that is dropped holds, for the reporter.
std::string_view jpeg_label(std::uint8_t marker, std::string_view body) {
  if (marker == 0xfe) return "comment";
  if (marker == 0xe1 && body.substr(0, 6) == std::string_view("Exif\0\0", 6)) return "EXIF";
  if (marker == 0xe1) return "XMP";
  if (marker == 0xed) return "IPTC";
  if (marker == 0xe0) return "thumbnail";
  return "other application data";
}

bool keep_jpeg_segment(std::uint8_t marker, std::string_view body) {
  if (marker == 0xfe) return false;                      // COM
  if (marker < 0xe0 || marker > 0xef) return true;       // not APPn: image data
  // JFIF, not its JFXX extension: a thumbnail, which may show the picture
  // as it was before it was cropped.
  if (marker == 0xe0) return body.substr(0, 5) == std::string_view("JFIF\0", 5);
  if (marker == 0xe2) return body.substr(0, 12) == std::string_view("ICC_PROFILE\0", 12);  // colours
  if (marker == 0xee) return body.substr(0, 5) == "Adobe";  // colour transform
  return false;  // EXIF, XMP, IPTC, MPF (second pictures), maker data
}

// The ancillary PNG chunks that only say how to draw the picture: colours,
// transparency, pixel size, animation frames. Every other ancillary chunk
// is dropped: text (tEXt, zTXt, iTXt: Author, Comment, Software, XMP), EXIF
// (eXIf), the time of last change (tIME), palette names (sPLT), and private
// chunks (an editor's preview, content credentials). Critical chunks
// (upper-case first letter: IHDR, PLTE, IDAT, IEND) are kept: a decoder
// cannot draw the picture without them.
bool keep_png_chunk(std::string_view type) {
  static constexpr std::array<std::string_view, 15> kDrawing{
      "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "bKGD", "pHYs",
      "hIST", "cICP", "mDCV", "cLLI", "acTL", "fcTL", "fdAT"};
  if (type[0] >= 'A' && type[0] <= 'Z') return true;
  for (const auto k : kDrawing) {
    if (k == type) return true;
  }
  return false;
}

std::string_view png_label(std::string_view type) {
  if (type == "tEXt" || type == "zTXt" || type == "iTXt") return "text (author, comment, software)";
  if (type == "eXIf") return "EXIF";
  if (type == "tIME") return "time of last change";
  return "other data chunks";
}

}  // namespace

std::optional<std::string> strip_jpeg(std::string_view in, bool& stripped, Labels* removed) {
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
      if (after_marker != n) {
        stripped = true;
        add(removed, "data after the picture's end");
      }
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
      add(removed, jpeg_label(marker, body));
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

std::optional<std::string> strip_png(std::string_view in, bool& stripped, Labels* removed) {
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
    if (keep_png_chunk(type)) {
      out.append(in.substr(pos, end - pos));
    } else {
      stripped = true;
      add(removed, png_label(type));
    }
    pos = end;
    if (type == "IEND") {
      if (pos != in.size()) {
        stripped = true;
        add(removed, "data after the picture's end");
      }
      return out;
    }
  }
  return std::nullopt;  // no IEND
}

Cleaned strip_picture(std::span<const std::uint8_t> in) {
  const std::string_view bytes(reinterpret_cast<const char*>(in.data()), in.size());
  Cleaned out;
  Labels removed;
  bool stripped = false;
  std::optional<std::string> picture;
  if (bytes.substr(0, 2) == "\xff\xd8") {
    picture = strip_jpeg(bytes, stripped, &removed);
  } else if (bytes.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) {
    picture = strip_png(bytes, stripped, &removed);
  } else {
    out.not_cleaned_reason = "not a JPEG or PNG picture";
    return out;
  }
  if (!picture) {
    out.not_cleaned_reason = "the picture is damaged or incomplete";
    return out;
  }
  out.bytes.assign(picture->begin(), picture->end());
  out.removed = std::move(removed).labels();
  out.cleaned = true;
  return out;
}

}  // namespace krasip::cleaner
