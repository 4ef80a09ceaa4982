#include "krasip/cleaner/dispatch.hpp"

#include <array>

#include "krasip/cleaner/formats.hpp"
#include "krasip/cleaner/image_metadata.hpp"
#include "krasip/cleaner/sniff.hpp"

namespace krasip::cleaner {

namespace {

using CleanFn = Cleaned (*)(std::span<const std::uint8_t>, std::string_view mime);

struct Route {
  std::string_view mime;  // libmagic's answer or the canonical name
  CleanFn clean;
};

Cleaned image(std::span<const std::uint8_t> b, std::string_view mime) {
  // A "motion photo" is a JPEG with a video appended after its end: the
  // video (seconds around the shot, with its own GPS and device tags) is
  // cut off before the picture's own metadata is removed.
  if (mime == "image/jpeg") {
    const std::size_t end = jpeg_end_of_image(b);
    if (end != 0 && end < b.size()) {
      auto out = clean_image(b.first(end));
      out.removed.insert(out.removed.begin(), "motion-photo video after the picture");
      return out;
    }
  }
  return clean_image(b);
}

// The format cleaners answer no bytes when they cannot clean: the file is
// then stored as it came, marked not cleaned, and the reporter is told.
Cleaned stored_as_is_if_not(Cleaned c, std::span<const std::uint8_t> in) {
  if (!c.cleaned && !c.over_limit && c.bytes.empty()) c.bytes.assign(in.begin(), in.end());
  return c;
}
Cleaned pdf(std::span<const std::uint8_t> b, std::string_view) { return stored_as_is_if_not(clean_pdf(b), b); }
Cleaned office(std::span<const std::uint8_t> b, std::string_view mime) {
  return stored_as_is_if_not(clean_office(b, mime), b);
}
Cleaned heic(std::span<const std::uint8_t> b, std::string_view) { return stored_as_is_if_not(clean_heic(b), b); }
Cleaned media(std::span<const std::uint8_t> b, std::string_view mime) {
  return stored_as_is_if_not(clean_media(b, mime), b);
}

// ---- THE DISPATCH: a MIME type to its cleaner. ----------------------------
// To add a cleaner, add its types here (and its init to init_cleaners()).
// e.g. {"application/pdf", [](auto b, auto) { return clean_pdf(b); }},
//      {"video/mp4", clean_media}, {"application/vnd.oasis...", clean_office}
// Both spellings where libmagic's answer (has_cleaner) differs from the
// canonical name the server sends back (clean); see file_types.cpp.
constexpr std::array kRoutes{
    Route{"image/jpeg", image},
    Route{"image/png", image},
    Route{"image/webp", image},
    Route{"image/gif", image},
    Route{"image/heic", heic},
    Route{"image/heif", heic},
    Route{"application/pdf", pdf},
    Route{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", office},
    Route{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", office},
    Route{"application/vnd.openxmlformats-officedocument.presentationml.presentation", office},
    Route{"application/vnd.oasis.opendocument.text", office},
    Route{"application/vnd.oasis.opendocument.spreadsheet", office},
    Route{"audio/mpeg", media},
    Route{"audio/x-hx-aac-adts", media},
    Route{"audio/mp4", media},
    Route{"audio/x-m4a", media},
    Route{"audio/ogg", media},
    Route{"audio/wav", media},
    Route{"audio/x-wav", media},
    Route{"audio/vnd.wave", media},
    Route{"audio/amr", media},
    Route{"video/mp4", media},
    Route{"video/quicktime", media},
    Route{"image/x-quicktime", media},
    Route{"video/webm", media},
    Route{"video/3gpp", media},
    Route{"video/3gpp2", media},
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
  init_formats();
}

}  // namespace krasip::cleaner
