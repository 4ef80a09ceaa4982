#include "krasip/cases/evidence/file_types.hpp"

#include <array>
#include <vector>

#include "krasip/cases/common/text_rules.hpp"

namespace krasip::cases {

namespace {

constexpr std::array kAllowed{
    FileType{"image/jpeg", true},
    FileType{"image/png", true},
    FileType{"image/webp", true},
    FileType{"image/gif", true},
    FileType{"image/heic", true},
    FileType{"application/pdf", true},
    FileType{"application/msword", false},
    FileType{"application/vnd.openxmlformats-officedocument.wordprocessingml.document", true},
    FileType{"application/vnd.ms-excel", false},
    FileType{"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", true},
    FileType{"application/vnd.ms-powerpoint", false},
    FileType{"application/vnd.openxmlformats-officedocument.presentationml.presentation", true},
    FileType{"application/vnd.oasis.opendocument.text", true},
    FileType{"application/vnd.oasis.opendocument.spreadsheet", true},
    FileType{"audio/mpeg", true},
    FileType{"audio/mp4", true},
    FileType{"audio/ogg", true},
    FileType{"audio/wav", true},
    FileType{"audio/amr", true},
    FileType{"video/mp4", true},
    FileType{"video/quicktime", true},
    FileType{"video/webm", true},
    FileType{"video/3gpp", true},
    FileType{"text/plain", false},
};

struct Alias {
  std::string_view sniffed;
  std::string_view canonical;
};
// What libmagic 5.44 answers for some allowed formats.
constexpr std::array kAliases{
    Alias{"audio/x-wav", "audio/wav"},     Alias{"audio/vnd.wave", "audio/wav"},
    Alias{"audio/x-m4a", "audio/mp4"},     Alias{"image/heif", "image/heic"},
    Alias{"audio/x-hx-aac-adts", "audio/mpeg"}, Alias{"video/3gpp2", "video/3gpp"},
    Alias{"image/x-quicktime", "video/quicktime"},
};

bool is_bidi_control(std::uint32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
         cp == 0x200F || cp == 0x061C;
}

// Splits valid UTF-8 into code points (byte ranges); returns false on bad UTF-8.
struct CodePoint {
  std::uint32_t value;
  std::string_view bytes;
};
std::vector<CodePoint> code_points(std::string_view s) {
  std::vector<CodePoint> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    if (i + len > s.size()) len = s.size() - i;
    const std::string_view bytes = s.substr(i, len);
    std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1Fu) : len == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(bytes[k]) & 0x3Fu);
    out.push_back({cp, bytes});
    i += len;
  }
  return out;
}

}  // namespace

std::span<const FileType> allowed_file_types() { return kAllowed; }

const FileType* allowed_file_type(std::string_view sniffed) {
  for (const auto& a : kAliases) {
    if (a.sniffed == sniffed) sniffed = a.canonical;
  }
  for (const auto& t : kAllowed) {
    if (t.mime == sniffed) return &t;
  }
  return nullptr;
}

std::string sanitise_file_name(std::string_view name, std::size_t max_code_points) {
  // Only the last path segment, whichever separator the client's OS uses.
  const auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string clean;
  if (utf8_length(name)) {
    for (const auto& cp : code_points(name)) {
      if (cp.value < 0x20 || (cp.value >= 0x7F && cp.value < 0xA0) || is_bidi_control(cp.value)) {
        continue;
      }
      clean.append(cp.bytes);
    }
  } else {
    // Not UTF-8 (an old Windows code page): keep the printable ASCII only.
    for (char c : name) {
      if (c >= 0x20 && c < 0x7F) clean.push_back(c);
    }
  }
  // No leading dots or spaces (hidden files, "..") and no trailing spaces.
  std::size_t start = 0;
  while (start < clean.size() && (clean[start] == '.' || clean[start] == ' ')) ++start;
  clean.erase(0, start);
  while (!clean.empty() && clean.back() == ' ') clean.pop_back();

  auto cps = code_points(clean);
  if (cps.size() > max_code_points) {
    // Keep a short extension (".pdf") and cut the stem.
    std::size_t dot = cps.size();
    for (std::size_t i = cps.size(); i-- > 0;) {
      if (cps[i].value == '.') {
        dot = i;
        break;
      }
    }
    const std::size_t ext_len = dot < cps.size() && cps.size() - dot <= 10 ? cps.size() - dot : 0;
    const std::size_t stem = max_code_points - ext_len;
    std::string cut;
    for (std::size_t i = 0; i < stem; ++i) cut.append(cps[i].bytes);
    for (std::size_t i = cps.size() - ext_len; i < cps.size(); ++i) cut.append(cps[i].bytes);
    clean = std::move(cut);
  }
  return clean.empty() ? std::string("file") : clean;
}

}  // namespace krasip::cases
