#pragma once
#include "krasip/storage/key_store.hpp"

namespace krasip::cases {

// An agency's logo, as `krasipd agency add|edit --logo FILE` stores it
// (issue 11): PNG or JPEG only, told by its bytes, at most 64 KiB. SVG is
// refused (it can carry script). What is kept is the picture alone: PNG
// text, time and EXIF chunks and JPEG APPn (EXIF, XMP, ...) and comment
// segments are dropped, so a logo cannot carry its author's camera, name
// or location to every reporter's page. Anything that does not parse as
// the format it claims is refused (CaseError invalid_field, field "logo").
constexpr std::size_t kMaxLogoBytes = 64 * 1024;
storage::key_store::AgencyLogo checked_logo(const storage::Blob& bytes);

}  // namespace krasip::cases
