#include "krasip/cases/agencies/agency_logo.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

#include "krasip/cases/common/case_error.hpp"

namespace krasip::cases {

namespace {

CaseError refused(const std::string& why) {
  return CaseError(ErrorCode::invalid_field, "logo: " + why, "logo");
}

std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

constexpr std::array<std::uint8_t, 8> kPngSignature{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

// Keeps the chunks that make the picture (and how it is coloured); drops
// the rest: tEXt, zTXt, iTXt, eXIf, tIME and anything unknown.
storage::Blob clean_png(const storage::Blob& in) {
  static constexpr std::array<std::string_view, 10> kKeep{"IHDR", "PLTE", "IDAT", "IEND", "tRNS",
                                                          "gAMA", "cHRM", "sRGB", "iCCP", "pHYs"};
  storage::Blob out(kPngSignature.begin(), kPngSignature.end());
  std::size_t at = kPngSignature.size();
  bool first = true;
  for (;;) {
    if (in.size() - at < 12) throw refused("the PNG file is cut short");
    const std::uint32_t length = be32(&in[at]);
    if (length > in.size() - at - 12) throw refused("the PNG file is cut short");
    const std::string_view type(reinterpret_cast<const char*>(&in[at + 4]), 4);
    if (first && type != "IHDR") throw refused("not a PNG image");
    first = false;
    const std::size_t end = at + 12 + length;
    if (std::find(kKeep.begin(), kKeep.end(), type) != kKeep.end()) {
      out.insert(out.end(), in.begin() + static_cast<std::ptrdiff_t>(at),
                 in.begin() + static_cast<std::ptrdiff_t>(end));
    }
    at = end;
    if (type == "IEND") return out;  // anything after the end is dropped too
  }
}

// Copies the segments up to the image data but APP1..APP15 (EXIF, XMP,
// ICC, maker notes, ...) and COM; keeps APP0 (JFIF) and APP14 (Adobe: how
// the colours are encoded). From SOS on, the entropy-coded data is copied.
storage::Blob clean_jpeg(const storage::Blob& in) {
  storage::Blob out{0xFF, 0xD8};
  std::size_t at = 2;
  for (;;) {
    if (in.size() - at < 4 || in[at] != 0xFF) throw refused("the JPEG file is cut short or malformed");
    const std::uint8_t marker = in[at + 1];
    if (marker == 0xFF) {  // fill byte
      ++at;
      continue;
    }
    const std::size_t length = (std::size_t{in[at + 2]} << 8) | in[at + 3];
    if (length < 2 || length > in.size() - at - 2) throw refused("the JPEG file is cut short or malformed");
    const std::size_t end = at + 2 + length;
    const bool app = marker >= 0xE0 && marker <= 0xEF;
    const bool drop = marker == 0xFE || (app && marker != 0xE0 && marker != 0xEE);
    if (!drop) {
      out.insert(out.end(), in.begin() + static_cast<std::ptrdiff_t>(at),
                 in.begin() + static_cast<std::ptrdiff_t>(end));
    }
    if (marker == 0xDA) {  // start of scan: the rest is the picture
      out.insert(out.end(), in.begin() + static_cast<std::ptrdiff_t>(end), in.end());
      if (out.size() < 2 || out[out.size() - 2] != 0xFF || out.back() != 0xD9) {
        throw refused("the JPEG file does not end where a JPEG ends");
      }
      return out;
    }
    if (marker == 0xD9) throw refused("the JPEG file has no image data");
    at = end;
  }
}

}  // namespace

storage::key_store::AgencyLogo checked_logo(const storage::Blob& bytes) {
  if (bytes.size() > kMaxLogoBytes) throw refused("at most 64 KiB");
  if (bytes.size() > kPngSignature.size() &&
      std::equal(kPngSignature.begin(), kPngSignature.end(), bytes.begin())) {
    return {clean_png(bytes), "image/png"};
  }
  if (bytes.size() > 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) {
    return {clean_jpeg(bytes), "image/jpeg"};
  }
  throw refused("a PNG or JPEG image (SVG, GIF, WebP and others are refused)");
}

}  // namespace krasip::cases
