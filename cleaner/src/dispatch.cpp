#include "krasip/cleaner/dispatch.hpp"

#include <array>

#include "krasip/cleaner/image_metadata.hpp"
#include "krasip/cleaner/sniff.hpp"

namespace krasip::cleaner {

namespace {

using CleanFn = Cleaned (*)(std::span<const std::uint8_t>, std::string_view mime);

struct Route {
  std::string_view mime;  // libmagic's answer or the canonical name
  CleanFn clean;
};

Cleaned image(std::span<const std::uint8_t> b, std::string_view) { return clean_image(b); }

// ---- THE DISPATCH: a MIME type to its cleaner. ----------------------------
// To add a cleaner, add its types here (and its init to init_cleaners()).
// e.g. {"application/pdf", [](auto b, auto) { return clean_pdf(b); }},
//      {"video/mp4", clean_media}, {"application/vnd.oasis...", clean_office}
constexpr std::array kRoutes{
    Route{"image/jpeg", image}, Route{"image/png", image},  Route{"image/webp", image},
    Route{"image/gif", image},  Route{"image/heic", image}, Route{"image/heif", image},
};

const Route* route_for(std::string_view mime) {
  for (const auto& r : kRoutes) {
    if (r.mime == mime) return &r;
  }
  return nullptr;
}

}  // namespace

bool has_cleaner(std::string_view mime) { return route_for(mime) != nullptr; }

Cleaned clean(std::span<const std::uint8_t> bytes, std::string_view mime) {
  if (const Route* r = route_for(mime)) return r->clean(bytes, mime);
  Cleaned out;
  out.bytes.assign(bytes.begin(), bytes.end());
  out.not_cleaned_reason = "there is no cleaner for this type of file";
  return out;
}

void init_cleaners() {
  init_sniffer();
  init_image_metadata();
}

}  // namespace krasip::cleaner
