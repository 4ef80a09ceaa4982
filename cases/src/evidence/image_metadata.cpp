#include "krasip/cases/evidence/image_metadata.hpp"

#include <sodium.h>

#include <cstring>
#include <mutex>

#include "krasip/cases/evidence/gif_metadata.hpp"

// Exiv2 0.27's API still uses std::auto_ptr; keep its deprecation noise here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <exiv2/exiv2.hpp>

namespace krasip::cases {

namespace {

bool has_metadata(Exiv2::Image& img) {
  return !img.exifData().empty() || !img.iptcData().empty() || !img.xmpData().empty() ||
         !img.xmpPacket().empty() || !img.comment().empty();
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

CleanResult clean_image(std::span<const std::uint8_t> data,
                        const std::function<void(std::span<const std::uint8_t>)>& sink) {
  CleanResult result;
  if (data.size() >= 6 && std::memcmp(data.data(), "GIF8", 4) == 0) {
    // Exiv2 0.27 neither reads nor writes GIF metadata: cleaned here, or
    // stored unchanged and not claimed clean.
    const auto parts = gif_parts_without_metadata(data);
    if (!parts) {
      sink(data);
      return result;
    }
    for (const auto& p : *parts) sink(data.subspan(p.offset, p.size));
    result.metadata_removed = true;
    return result;
  }
  init_image_metadata();
  Exiv2::Image::AutoPtr img;  // RAII (std::auto_ptr in Exiv2 0.27)
  try {
    img = Exiv2::ImageFactory::open(data.data(), static_cast<long>(data.size()));
    img->readMetadata();
  } catch (const Exiv2::AnyError&) {
    // Not an image Exiv2 understands: stored as it is, not claimed clean.
    sink(data);
    return result;
  }
  const bool had = has_metadata(*img);
  try {
    img->clearMetadata();
    img->writeMetadata();
  } catch (const Exiv2::AnyError&) {
    // Read-only format for Exiv2 (HEIC): unchanged bytes.
    sink(data);
    result.metadata_removed = !had;
    return result;
  }
  // The rewritten image is in the MemIo's own buffer: hand it on, then zero it.
  Exiv2::BasicIo& io = img->io();
  io.open();
  const std::size_t size = io.size();
  Exiv2::byte* bytes = io.mmap(true);
  struct Wipe {
    Exiv2::byte* p;
    std::size_t n;
    ~Wipe() {
      if (p != nullptr && n != 0) sodium_memzero(p, n);
    }
  } wipe{bytes, size};
  sink({bytes, size});
  result.metadata_removed = true;
  return result;
}

}  // namespace krasip::cases
#pragma GCC diagnostic pop
