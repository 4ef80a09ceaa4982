#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace krasip::cases {

// An evidence file type the service accepts, decided from the content
// (libmagic, in the krasip-cleaner helper), never from the name or the
// client's Content-Type.
struct FileType {
  std::string_view mime;   // canonical type, as answered and stored
  // Its metadata is removed in krasip-cleaner (issue 14): pictures,
  // PDF, OOXML/ODF documents, audio and video. GET /api/v1/intake lists
  // these as cleaned; legacy Office and text have no cleaner.
  bool cleaned;
};

// The allow-list, in the order GET /api/v1/intake announces it.
std::span<const FileType> allowed_file_types();

// How many leading bytes the helper sniffs (more are ignored).
inline constexpr std::size_t kSniffBytes = 64 * 1024;

// The allowed type for libmagic's answer (aliases such as audio/x-wav map
// to their canonical name), or nullptr when the type is not allowed.
const FileType* allowed_file_type(std::string_view sniffed_mime);

// The client's file name made safe to keep and show: no path, no control
// or bidi-override characters, valid UTF-8, at most `max_code_points`
// code points (the extension is kept when shortening); "file" if nothing
// is left.
std::string sanitise_file_name(std::string_view client_name, std::size_t max_code_points = 200);

}  // namespace krasip::cases
