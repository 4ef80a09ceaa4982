#include "krasip/cleaner/image_metadata.hpp"

#include <algorithm>
#include <cstring>
#include <mutex>

#include "krasip/cleaner/formats.hpp"
#include "krasip/cleaner/gif_metadata.hpp"

// Exiv2 0.27's API still uses std::auto_ptr; keep its deprecation noise here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <exiv2/exiv2.hpp>

namespace krasip::cleaner {

namespace {

std::vector<std::uint8_t> copy_of(std::span<const std::uint8_t> d) { return {d.begin(), d.end()}; }

bool has_gps(const Exiv2::ExifData& exif) {
  for (const auto& d : exif) {
    if (d.groupName() == "GPSInfo") return true;
  }
  return false;
}

// What the reporter is told was taken out.
std::vector<std::string> metadata_in(Exiv2::Image& img) {
  std::vector<std::string> found;
  if (!img.exifData().empty()) {
    if (has_gps(img.exifData())) found.emplace_back("EXIF GPS");
    found.emplace_back("EXIF");
  }
  if (!img.iptcData().empty()) found.emplace_back("IPTC");
  if (!img.xmpData().empty() || !img.xmpPacket().empty()) found.emplace_back("XMP");
  if (!img.comment().empty()) found.emplace_back("comment");
  return found;
}

Cleaned clean_gif(std::span<const std::uint8_t> data) {
  Cleaned out;
  // Exiv2 0.27 neither reads nor writes GIF metadata: cleaned here, or
  // returned unchanged and not claimed clean.
  const auto parts = gif_parts_without_metadata(data);
  if (!parts) {
    out.bytes = copy_of(data);
    out.not_cleaned_reason = "the GIF is damaged or incomplete";
    return out;
  }
  std::size_t kept = 0;
  for (const auto& p : *parts) kept += p.size;
  out.bytes.reserve(kept);
  for (const auto& p : *parts) {
    const auto part = data.subspan(p.offset, p.size);
    out.bytes.insert(out.bytes.end(), part.begin(), part.end());
  }
  if (kept < data.size()) out.removed.emplace_back("GIF comment and application extensions");
  out.cleaned = true;
  return out;
}

// Exiv2 removes the metadata it knows (EXIF, IPTC, XMP, its own comment
// keywords), and keeps a PNG's other text chunks (Author, a compressed
// Comment) and its tIME. JPEG and PNG then go through the walk that cleans
// pictures inside documents (strip_picture), which keeps only what draws
// the picture: what it returns is clean whatever Exiv2 managed, also for a
// JPEG or PNG Exiv2 could not read or rewrite. A PNG the walk cannot follow
// to its end is not called clean; a JPEG it cannot walk (no end marker,
// say) keeps Exiv2's answer, in which there is no EXIF, IPTC, XMP or comment.
// `exiv2_found`: what Exiv2 saw in the bytes but could not take out; the
// walk does.
Cleaned walked(Cleaned c, std::vector<std::string> exiv2_found = {}) {
  const std::string_view head(reinterpret_cast<const char*>(c.bytes.data()), std::min<std::size_t>(c.bytes.size(), 8));
  const bool png = head == std::string_view("\x89PNG\r\n\x1a\n", 8);
  const bool jpeg = head.substr(0, 2) == "\xff\xd8";
  if (!png && !jpeg) return c;
  auto w = strip_picture(c.bytes);
  if (!w.cleaned) {
    if (png) {
      c.cleaned = false;
      c.not_cleaned_reason = w.not_cleaned_reason;
    }
    return c;
  }
  c.bytes = std::move(w.bytes);
  for (auto& label : exiv2_found) c.removed.push_back(std::move(label));
  for (auto& label : w.removed) {
    if (std::find(c.removed.begin(), c.removed.end(), label) == c.removed.end()) c.removed.push_back(std::move(label));
  }
  c.cleaned = true;
  c.not_cleaned_reason.clear();
  return c;
}

}  // namespace

void init_image_metadata() {
  static std::once_flag once;
  std::call_once(once, [] {
    Exiv2::LogMsg::setLevel(Exiv2::LogMsg::mute);
    Exiv2::XmpParser::initialize();
    Exiv2::enableBMFF(true);  // HEIC: readable, not writable in 0.27
  });
}

Cleaned clean_image(std::span<const std::uint8_t> data) {
  if (data.size() >= 6 && std::memcmp(data.data(), "GIF8", 4) == 0) return clean_gif(data);
  init_image_metadata();
  Cleaned out;
  Exiv2::Image::AutoPtr img;  // RAII (std::auto_ptr in Exiv2 0.27)
  try {
    img = Exiv2::ImageFactory::open(data.data(), static_cast<long>(data.size()));
    img->readMetadata();
  } catch (const Exiv2::AnyError&) {
    out.bytes = copy_of(data);
    out.not_cleaned_reason = "the picture could not be read";
    return walked(std::move(out));
  }
  auto found = metadata_in(*img);
  try {
    img->clearMetadata();
    img->writeMetadata();
  } catch (const Exiv2::AnyError&) {
    // Read-only format for Exiv2 (HEIC): unchanged bytes, clean only if
    // there was nothing to remove.
    out.bytes = copy_of(data);
    out.cleaned = found.empty();
    if (!out.cleaned) out.not_cleaned_reason = "this picture format cannot be rewritten";
    return walked(std::move(out), std::move(found));
  }
  Exiv2::BasicIo& io = img->io();
  io.open();
  const std::size_t size = io.size();
  const Exiv2::byte* bytes = io.mmap(false);
  out.bytes.assign(bytes, bytes + size);
  out.removed = std::move(found);
  out.cleaned = true;
  return walked(std::move(out));
}

}  // namespace krasip::cleaner
#pragma GCC diagnostic pop
